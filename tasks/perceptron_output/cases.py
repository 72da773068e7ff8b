"""Cases for perceptron_output: (z, y) of a perceptron with a step activation."""

from collections.abc import Iterator

import numpy as np

from grader.questions.case import Case

_BINARY = ((0.0, 0.0), (0.0, 1.0), (1.0, 0.0), (1.0, 1.0))


def cases(rng: np.random.Generator) -> Iterator[Case]:
    """Visible examples, the question's inputs and biases, edge cases, then random cases."""
    w = np.array([1.0, 1.0])
    yield Case("fires", args=(np.array([1.0, 0.0]), w, -0.5), visible=True)
    yield Case("does not fire", args=(np.array([0.0, 0.0]), w, -0.5), visible=True)
    # The question's perceptron: weights 1 and 1, the four binary inputs, biases -2.5 and -0.25.
    for b in (-2.5, -0.25):
        for x1, x2 in _BINARY:
            yield Case(f"question input ({x1:g}, {x2:g}), b={b}", args=(np.array([x1, x2]), w, b))
    yield Case("z exactly 0 gives 0", args=(np.array([1.0, 0.0]), w, -1.0))
    yield Case("z exactly 0, three inputs", args=(np.array([2.0, -1.0, 0.5]), np.array([0.5, 3.0, 4.0]), 0.0))
    # z is exactly 0 again, from values with no exact binary form (in any order of summation).
    yield Case("z exactly 0 from inexact values", args=(np.array([0.7, 0.0]), np.array([1.0, 0.3]), -0.7))
    yield Case("z exactly 0, inexact bias", args=(np.array([0.1]), np.array([1.0]), -0.1))
    yield Case("tiny positive z", args=(np.array([1.0]), np.array([1e-3]), 0.0))
    yield Case("one input, negative weight", args=(np.array([3.0]), np.array([-2.0]), 5.5))
    yield Case("zero weights, positive bias", args=(rng.normal(size=4), np.zeros(4), 0.25))
    yield Case("integer inputs", args=(np.array([1, 0, 1, 1]), np.array([2, -1, -1, 3]), -3))
    for i in range(12):
        n = int(rng.integers(1, 33))
        x = rng.normal(size=n) if i % 3 else rng.integers(0, 2, size=n).astype(float)
        yield Case(f"random {i}", args=(x, rng.normal(size=n), float(rng.normal())))
