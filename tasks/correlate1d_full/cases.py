"""Cases for correlate1d_full: the full 1-D cross-correlation of two sequences."""

from collections.abc import Iterator

import numpy as np

from grader.questions.case import Case


def cases(rng: np.random.Generator) -> Iterator[Case]:
    """Visible examples, edge cases, then seeded random cases."""
    yield Case("example from the question", args=(np.array([1.0, 2.0, 3.0]), np.array([0.0, 1.0, 0.5])), visible=True)
    yield Case("small integers", args=(np.array([1, 2, 3, 4]), np.array([1, -1])), visible=True)
    yield Case("asymmetric kernel", args=(np.array([3.0, -1.0, 2.0, 0.5, 4.0]), np.array([1.0, 2.0, -3.0])))
    yield Case("kernel longer than signal", args=(rng.normal(size=4), rng.normal(size=12)))
    yield Case("signal of length 1", args=(np.array([-1.5]), rng.normal(size=6)))
    yield Case("kernel of length 1", args=(rng.normal(size=8), np.array([2.0])))
    yield Case("both of length 1", args=(np.array([3]), np.array([7])))
    yield Case("integer input", args=(rng.integers(-9, 10, size=15), rng.integers(-9, 10, size=6)))
    yield Case("integer kernel longer", args=(rng.integers(-5, 6, size=5), rng.integers(-5, 6, size=14)))
    # Values with no exact binary form, beside integers and round numbers.
    yield Case("integer signal, inexact float kernel", args=(np.array([3, -1, 4, 1, -5, 9]), np.array([0.1, 0.7, 0.3])))
    yield Case("kernel longer than signal, inexact values", args=(np.array([0.1, -0.7]), np.array([0.3, 0.1, -0.7, 0.7, 0.3])))
    yield Case("signal with itself", args=(np.array([1.0, 3.0, -2.0, 0.5]),) * 2)
    yield Case("longest inputs", args=(rng.normal(size=200), rng.normal(size=200)))
    for i in range(12):
        n = int(rng.integers(1, 201))
        m = int(rng.integers(1, 201))
        if i % 4 == 3:
            a, v = rng.integers(-20, 21, size=n), rng.integers(-20, 21, size=m)
        else:
            a, v = rng.normal(size=n) * 10.0, rng.normal(size=m)
        yield Case(f"random {i}", args=(a, v))
