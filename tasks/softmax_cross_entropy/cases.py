"""Cases for softmax_cross_entropy: stable softmax along an axis, mean cross-entropy."""

from collections.abc import Iterator

import numpy as np

from grader.questions.case import Case

_S, _X = "softmax", "cross_entropy"


def _labels(rng: np.random.Generator, n: int, k: int) -> np.ndarray:
    return rng.integers(0, k, size=n).astype(np.int64)


def cases(rng: np.random.Generator) -> Iterator[Case]:
    """Visible examples, worked numbers, edge cases (extreme logits, axes), then random."""
    yield Case("softmax of [1, 2, 3]", args=(np.array([1.0, 2.0, 3.0]),), call=_S, visible=True)
    yield Case("cross-entropy of two rows", args=(np.array([[2.0, 1.0, 0.1], [0.5, 2.5, 0.3]]), np.array([0, 1])), call=_X, visible=True)
    # Worked numbers: the three-class scores of a small network, then its loss.
    yield Case("worked softmax of three scores", args=(np.array([2.0, 1.0, 0.1]),), call=_S)
    yield Case("worked cross-entropy, true class 0", args=(np.array([[2.0, 1.0, 0.1]]), np.array([0])), call=_X)
    yield Case("worked cross-entropy, true class 2", args=(np.array([[2.0, 1.0, 0.1]]), np.array([2])), call=_X)
    # The why's: logits of +-1000.
    yield Case("softmax of +1000 logits", args=(np.array([1000.0, 1000.0, -1000.0]),), call=_S)
    yield Case("softmax of -1000 logits", args=(np.array([-1000.0, -1001.0, -1002.0]),), call=_S)
    yield Case("softmax rows with +-1000", args=(np.array([[1000.0, 0.0, -1000.0], [-1000.0, -1000.0, -999.0], [999.0, 1000.0, 998.0]]),), call=_S)
    yield Case("cross-entropy [1000, -1000], label 1", args=(np.array([[1000.0, -1000.0]]), np.array([1])), call=_X)
    yield Case("cross-entropy of extreme rows", args=(np.array([[1000.0, -1000.0, 0.0], [-1000.0, -1000.0, -1000.0], [500.0, 1000.0, -1000.0]]), np.array([0, 2, 2])), call=_X)
    yield Case("softmax all equal", args=(np.full(5, 3.7),), call=_S)
    yield Case("softmax one element", args=(np.array([-42.0]),), call=_S)
    yield Case("softmax integer input", args=(np.array([[1, 2, 3], [4, 4, 0]]),), call=_S)
    yield Case("softmax axis 0 of a matrix", args=(rng.normal(size=(4, 3)) * 5.0,), kwargs={"axis": 0}, call=_S)
    yield Case("softmax axis 1 of a 3-D array", args=(rng.normal(size=(2, 5, 3)) * 3.0,), kwargs={"axis": 1}, call=_S)
    yield Case("softmax axis -2 of a 3-D array", args=(rng.normal(size=(3, 4, 2)),), kwargs={"axis": -2}, call=_S)
    yield Case("softmax axis given positionally", args=(rng.normal(size=(3, 6)) * 2.0, 0), call=_S)
    yield Case("cross-entropy one class", args=(rng.normal(size=(4, 1)), np.zeros(4, dtype=np.int64)), call=_X)
    yield Case("cross-entropy one row", args=(rng.normal(size=(1, 7)), np.array([6])), call=_X)
    yield Case("cross-entropy uniform logits", args=(np.zeros((3, 10)), np.array([0, 4, 9])), call=_X)
    yield Case("cross-entropy large scale logits", args=(rng.normal(size=(6, 5)) * 300.0, _labels(rng, 6, 5)), call=_X)
    for i in range(12):
        if i % 2 == 0:
            ndim = int(rng.integers(1, 4))
            shape = tuple(int(s) for s in rng.integers(1, 9, size=ndim))
            axis = int(rng.integers(-ndim, ndim))
            z = rng.normal(size=shape) * float(rng.choice([1.0, 10.0, 400.0]))
            yield Case(f"random {i} softmax", args=(z,), kwargs={"axis": axis}, call=_S)
        else:
            n, k = int(rng.integers(1, 65)), int(rng.integers(1, 21))
            logits = rng.normal(size=(n, k)) * float(rng.choice([1.0, 10.0, 400.0]))
            yield Case(f"random {i} cross-entropy", args=(logits, _labels(rng, n, k)), call=_X)
