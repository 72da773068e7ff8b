# mutant: the convolution's size ignores its stride (as if s = 1)
def feature_map_shapes(input_shape, layers):
    c, h, w = input_shape
    shapes = []
    for layer in layers:
        if layer["type"] == "conv":
            k, p = layer["k"], layer["p"]
            c, h, w = layer["out"], h + 2 * p - k + 1, w + 2 * p - k + 1
        elif layer["type"] == "pool":
            k, s = layer["k"], layer["s"]
            h, w = (h - k) // s + 1, (w - k) // s + 1
        shapes.append((c, h, w))
    return shapes
