# mutant: a convolution keeps the input's channel count instead of taking its number of filters
def feature_map_shapes(input_shape, layers):
    c, h, w = input_shape
    shapes = []
    for layer in layers:
        if layer["type"] == "conv":
            k, s, p = layer["k"], layer["s"], layer["p"]
            h, w = (h + 2 * p - k) // s + 1, (w + 2 * p - k) // s + 1
        elif layer["type"] == "pool":
            k, s = layer["k"], layer["s"]
            h, w = (h - k) // s + 1, (w - k) // s + 1
        shapes.append((c, h, w))
    return shapes
