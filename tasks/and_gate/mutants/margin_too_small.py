# mutant: b = -1.9995 computes AND, but (1, 1) gives z = 0.0005, below the required margin of 1e-3


def and_gate_params():
    return (1.0, 1.0, -1.9995)
