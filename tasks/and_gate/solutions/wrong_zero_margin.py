# expect: wrong_answer
# Mistake: b = -1 puts (0, 1) and (1, 0) exactly on the boundary (z = 0): no margin.


def and_gate_params():
    return (1.0, 1.0, -1.0)
