# expect: wrong_answer
# Mistake: assumes every pooling layer halves the size (h // 2), whatever its k and s.


def feature_map_shapes(input_shape, layers):
    c, h, w = input_shape
    shapes = []
    for layer in layers:
        if layer["type"] == "conv":
            c = layer["out"]
            h = (h + 2 * layer["p"] - layer["k"]) // layer["s"] + 1
            w = (w + 2 * layer["p"] - layer["k"]) // layer["s"] + 1
        elif layer["type"] == "pool":
            h, w = h // 2, w // 2
        shapes.append((c, h, w))
    return shapes
