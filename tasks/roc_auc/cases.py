"""Cases for roc_auc: ties, perfect and reversed rankings, one class present, random cases."""

from collections.abc import Iterator

import numpy as np

from grader.questions.case import Case


def _y(values) -> np.ndarray:
    """A 1-D int64 label array."""
    return np.asarray(values, dtype=np.int64)


def _s(values) -> np.ndarray:
    """A 1-D float64 score array."""
    return np.asarray(values, dtype=np.float64)


def cases(rng: np.random.Generator) -> Iterator[Case]:
    """Visible examples, the worked numbers, edge cases, then random cases (some with many ties)."""
    yield Case("example from the prompt", args=(_y([0, 0, 1, 1]), _s([0.1, 0.4, 0.35, 0.8])), visible=True)
    yield Case("two samples, tied scores", args=(_y([0, 1]), _s([0.5, 0.5])), visible=True)
    # Worked numbers: scores of 5 positives and 5 negatives with one tie across the classes.
    yield Case("worked example, 10 samples with a tie", args=(_y([1, 1, 0, 1, 1, 0, 1, 0, 0, 0]), _s([0.9, 0.8, 0.7, 0.6, 0.55, 0.55, 0.4, 0.3, 0.2, 0.1])))
    yield Case("perfect ranking", args=(_y([0, 0, 0, 1, 1]), _s([0.1, 0.2, 0.3, 0.8, 0.9])))
    yield Case("reversed ranking", args=(_y([1, 1, 0, 0, 0]), _s([0.1, 0.2, 0.3, 0.8, 0.9])))
    yield Case("all scores tied", args=(_y([1, 0, 1, 0, 0, 1]), _s([0.3] * 6)))
    yield Case("ties within and across classes", args=(_y([1, 0, 1, 0, 1, 0, 0, 1]), _s([2.0, 2.0, 1.0, 1.0, 3.0, 0.0, 3.0, 2.0])))
    yield Case("labels in unsorted order", args=(_y([1, 0, 0, 1, 0, 1, 1, 0]), _s([0.2, 0.9, 0.1, 0.7, 0.4, 0.8, 0.3, 0.05])))
    yield Case("one positive among many", args=(_y([0] * 9 + [1]), _s(np.linspace(0.0, 1.0, 10)[::-1])))
    yield Case("negative scores (logits)", args=(_y([0, 1, 0, 1, 1]), _s([-3.5, -0.2, 1.5, 2.0, -1.0])))
    # Scores with no exact binary form: equal ones tie, nearly equal ones (0.1 + 0.2 and 0.3) do not.
    yield Case("ties of inexact scores", args=(_y([1, 0, 1, 0, 1, 0]), _s([0.1, 0.1, 0.7, 0.3, 0.3, 0.7])))
    yield Case("nearly equal scores are not ties", args=(_y([1, 0, 0, 1]), _s([0.1 + 0.2, 0.3, 0.9, 0.5])))
    yield Case("only negatives raises ValueError", args=(_y([0, 0, 0]), _s([0.1, 0.5, 0.9])), raises="ValueError")
    yield Case("only positives raises ValueError", args=(_y([1, 1]), _s([0.2, 0.4])), raises="ValueError")
    yield Case("single sample raises ValueError", args=(_y([1]), _s([0.7])), raises="ValueError")
    for i in range(12):
        n = int(rng.integers(2, 3000))
        y = (rng.random(n) < float(rng.uniform(0.1, 0.9))).astype(np.int64)
        y[int(rng.integers(0, n))] = 1
        y[int(rng.integers(0, n))] = 0
        if (y == 1).all() or (y == 0).all():
            y[0] = 1 - y[0]
        s = rng.normal(size=n) + float(rng.uniform(0.0, 2.0)) * y
        if i % 3 == 0:
            s = np.round(s, 1)  # many ties
        yield Case(f"random {i}", args=(y, s))
