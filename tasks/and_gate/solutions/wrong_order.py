# expect: wrong_answer
# Mistake: returns (b, w1, w2) instead of (w1, w2, b).


def and_gate_params():
    return (-1.5, 1.0, 1.0)
