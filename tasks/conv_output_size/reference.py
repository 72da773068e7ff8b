"""Reference for conv_output_size (trusted side)."""


def conv_output_size(n: int, f: int, p: int, s: int) -> int:
    """floor((n + 2p - f) / s) + 1, with integer arithmetic only."""
    if s < 1:
        raise ValueError(f"stride must be at least 1, got {s}")
    if n + 2 * p < f:
        raise ValueError(f"a {f}-wide filter does not fit in {n} + 2 * {p} pixels")
    return (n + 2 * p - f) // s + 1
