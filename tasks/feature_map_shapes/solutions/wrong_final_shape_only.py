# expect: wrong_answer
# Mistake: returns only the final shape instead of the list of shapes after every layer.


def feature_map_shapes(input_shape, layers):
    c, h, w = input_shape
    for layer in layers:
        if layer["type"] == "conv":
            c = layer["out"]
            h = (h + 2 * layer["p"] - layer["k"]) // layer["s"] + 1
            w = (w + 2 * layer["p"] - layer["k"]) // layer["s"] + 1
        elif layer["type"] == "pool":
            h = (h - layer["k"]) // layer["s"] + 1
            w = (w - layer["k"]) // layer["s"] + 1
    return (c, h, w)
