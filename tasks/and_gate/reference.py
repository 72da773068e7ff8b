"""Reference for and_gate (trusted side)."""


def and_gate_params() -> tuple[float, float, float]:
    """One AND perceptron: z = x1 + x2 - 1.5, so |z| >= 0.5 on every input."""
    return (1.0, 1.0, -1.5)
