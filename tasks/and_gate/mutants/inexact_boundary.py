# mutant: relies on 0.1 + 0.2 > 0.3 in floating point: on (1, 1) z is 5.6e-17, inside the margin


def and_gate_params():
    return (0.1, 0.2, -0.3)
