# mutant: returns ((w1, w2), b), a pair, instead of the flat tuple (w1, w2, b)


def and_gate_params():
    return ((1.0, 1.0), -1.5)
