# mutant: pooling rounds up (ceil mode), counting a last window that sticks out of the input
import math


def feature_map_shapes(input_shape, layers):
    c, h, w = input_shape
    shapes = []
    for layer in layers:
        if layer["type"] == "conv":
            k, s, p = layer["k"], layer["s"], layer["p"]
            c, h, w = layer["out"], (h + 2 * p - k) // s + 1, (w + 2 * p - k) // s + 1
        elif layer["type"] == "pool":
            k, s = layer["k"], layer["s"]
            h, w = math.ceil((h - k) / s) + 1, math.ceil((w - k) / s) + 1
        shapes.append((c, h, w))
    return shapes
