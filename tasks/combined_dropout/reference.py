"""Reference for combined_dropout (trusted side): independent layers, keep (1 - p)(1 - q)."""


def combined_keep_prob(p: float, q: float) -> float:
    """Kept by both layers."""
    return (1.0 - float(p)) * (1.0 - float(q))


def combined_drop_prob(p: float, q: float) -> float:
    """Dropped by at least one layer: the complement of being kept by both."""
    return 1.0 - combined_keep_prob(p, q)
