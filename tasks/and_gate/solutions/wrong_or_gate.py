# expect: wrong_answer
# Mistake: these are OR weights (b = -0.5), so (0, 1) and (1, 0) give 1.


def and_gate_params():
    return (1.0, 1.0, -0.5)
