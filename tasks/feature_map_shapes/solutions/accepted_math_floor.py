# expect: accepted
# A correct solution with math.floor of a true division; lists instead of tuples are fine.
import math


def feature_map_shapes(input_shape, layers):
    c, h, w = input_shape
    out = []
    for layer in layers:
        kind = layer["type"]
        if kind in ("conv", "pool"):
            p = layer.get("p", 0) if kind == "conv" else 0
            h = math.floor((h + 2 * p - layer["k"]) / layer["s"]) + 1
            w = math.floor((w + 2 * p - layer["k"]) / layer["s"]) + 1
            if kind == "conv":
                c = layer["out"]
        out.append([c, h, w])
    return out
