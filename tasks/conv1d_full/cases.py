"""Cases for conv1d_full: the full 1-D convolution of two sequences."""

from collections.abc import Iterator

import numpy as np

from grader.questions.case import Case


def cases(rng: np.random.Generator) -> Iterator[Case]:
    """Visible examples, edge cases, then seeded random cases."""
    yield Case("example from the question", args=(np.array([1.0, 2.0, 3.0]), np.array([0.0, 1.0, 0.5])), visible=True)
    yield Case("small integers", args=(np.array([1, 2, 3, 4]), np.array([1, -1])), visible=True)
    yield Case("asymmetric kernel", args=(np.array([3.0, -1.0, 2.0, 0.5, 4.0]), np.array([1.0, 2.0, -3.0])))
    yield Case("kernel longer than signal", args=(rng.normal(size=3), rng.normal(size=11)))
    yield Case("signal of length 1", args=(np.array([2.5]), rng.normal(size=7)))
    yield Case("kernel of length 1", args=(rng.normal(size=9), np.array([-3.0])))
    yield Case("both of length 1", args=(np.array([4]), np.array([-2])))
    yield Case("integer input", args=(rng.integers(-9, 10, size=17), rng.integers(-9, 10, size=5)))
    yield Case("integer kernel longer", args=(rng.integers(-5, 6, size=4), rng.integers(-5, 6, size=13)))
    # Values with no exact binary form, beside integers and round numbers.
    yield Case("integer signal, inexact float kernel", args=(np.array([3, -1, 4, 1, -5, 9]), np.array([0.1, 0.7, 0.3])))
    yield Case("kernel longer than signal, inexact values", args=(np.array([0.1, -0.7]), np.array([0.3, 0.1, -0.7, 0.7, 0.3])))
    yield Case("longest inputs", args=(rng.normal(size=200), rng.normal(size=200)))
    for i in range(12):
        n = int(rng.integers(1, 201))
        m = int(rng.integers(1, 201))
        if i % 4 == 3:
            a, v = rng.integers(-20, 21, size=n), rng.integers(-20, 21, size=m)
        else:
            a, v = rng.normal(size=n) * 10.0, rng.normal(size=m)
        yield Case(f"random {i}", args=(a, v))
