# mutant: NAND weights (both weights negative, positive bias): the output is the negation of AND


def and_gate_params():
    return (-1.0, -1.0, 1.5)
