"""Cases for confusion_metrics: binary labels, edge cases with zero denominators, random cases."""

from collections.abc import Iterator

import numpy as np

from grader.questions.case import Case


def _a(values) -> np.ndarray:
    """A 1-D int64 label array."""
    return np.asarray(values, dtype=np.int64).reshape(-1)


def cases(rng: np.random.Generator) -> Iterator[Case]:
    """Visible examples, the worked numbers, zero-denominator edge cases, then random cases."""
    yield Case("example from the prompt", args=(_a([1, 0, 1, 1, 0, 0]), _a([1, 0, 0, 1, 1, 0])), visible=True)
    yield Case("all correct", args=(_a([0, 1, 1, 0]), _a([0, 1, 1, 0])), visible=True)
    # Worked numbers: 10 samples, tp=4, tn=3, fp=2, fn=1 (precision 2/3, recall 4/5, f1 8/11).
    yield Case("worked example, 10 samples", args=(_a([1, 1, 1, 1, 1, 0, 0, 0, 0, 0]), _a([1, 1, 1, 1, 0, 1, 1, 0, 0, 0])))
    yield Case("no predicted positives (precision 0/0)", args=(_a([1, 0, 1, 0, 0]), _a([0, 0, 0, 0, 0])))
    yield Case("no actual positives (recall 0/0)", args=(_a([0, 0, 0, 0]), _a([0, 1, 0, 1])))
    yield Case("all true negatives (precision, recall, f1 all 0/0)", args=(_a([0, 0, 0]), _a([0, 0, 0])))
    yield Case("all wrong", args=(_a([1, 0, 1, 0, 1]), _a([0, 1, 0, 1, 0])))
    yield Case("all positive, all predicted positive", args=(_a([1, 1, 1, 1]), _a([1, 1, 1, 1])))
    yield Case("single sample, false negative", args=(_a([1]), _a([0])))
    yield Case("single sample, false positive", args=(_a([0]), _a([1])))
    yield Case("empty input", args=(_a([]), _a([])))
    yield Case("fp and fn differ", args=(_a([1, 1, 1, 0, 0, 0, 0, 0]), _a([1, 0, 0, 1, 1, 1, 1, 0])))
    for i in range(12):
        n = int(rng.integers(1, 300))
        base = float(rng.uniform(0.05, 0.95))
        y_true = (rng.random(n) < base).astype(np.int64)
        flip = rng.random(n) < float(rng.uniform(0.0, 0.6))
        y_pred = np.where(flip, 1 - y_true, y_true).astype(np.int64)
        yield Case(f"random {i}", args=(y_true, y_pred))
