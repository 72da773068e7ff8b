# expect: wrong_answer
# Mistake: true division without floor, giving float sizes such as 110.5.


def feature_map_shapes(input_shape, layers):
    c, h, w = input_shape
    shapes = []
    for layer in layers:
        if layer["type"] == "conv":
            c = layer["out"]
            h = (h + 2 * layer["p"] - layer["k"]) / layer["s"] + 1
            w = (w + 2 * layer["p"] - layer["k"]) / layer["s"] + 1
        elif layer["type"] == "pool":
            h = (h - layer["k"]) / layer["s"] + 1
            w = (w - layer["k"]) / layer["s"] + 1
        shapes.append((c, h, w))
    return shapes
