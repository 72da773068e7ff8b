# expect: accepted
# A correct solution: one shape rule per layer kind, integer floor division.


def _size(n, k, s, p):
    return (n + 2 * p - k) // s + 1


def feature_map_shapes(input_shape, layers):
    c, h, w = input_shape
    shapes = []
    for layer in layers:
        if layer["type"] == "conv":
            c = layer["out"]
            h = _size(h, layer["k"], layer["s"], layer["p"])
            w = _size(w, layer["k"], layer["s"], layer["p"])
        elif layer["type"] == "pool":
            h = _size(h, layer["k"], layer["s"], 0)
            w = _size(w, layer["k"], layer["s"], 0)
        shapes.append((c, h, w))
    return shapes
