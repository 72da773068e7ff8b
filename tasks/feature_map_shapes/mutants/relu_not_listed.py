# mutant: lists a shape only for layers that change it, skipping the ReLUs
def feature_map_shapes(input_shape, layers):
    c, h, w = input_shape
    shapes = []
    for layer in layers:
        if layer["type"] == "conv":
            k, s, p = layer["k"], layer["s"], layer["p"]
            c, h, w = layer["out"], (h + 2 * p - k) // s + 1, (w + 2 * p - k) // s + 1
        elif layer["type"] == "pool":
            k, s = layer["k"], layer["s"]
            h, w = (h - k) // s + 1, (w - k) // s + 1
        else:
            continue
        shapes.append((c, h, w))
    return shapes
