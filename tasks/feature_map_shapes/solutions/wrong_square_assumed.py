# expect: wrong_answer
# Mistake: assumes square inputs and computes the width from the height.


def feature_map_shapes(input_shape, layers):
    c, h, _ = input_shape
    shapes = []
    for layer in layers:
        if layer["type"] == "conv":
            c = layer["out"]
            h = (h + 2 * layer["p"] - layer["k"]) // layer["s"] + 1
        elif layer["type"] == "pool":
            h = (h - layer["k"]) // layer["s"] + 1
        shapes.append((c, h, h))
    return shapes
