"""Reference for confusion_metrics (trusted side): counts as ints, rates with 0.0 on a zero denominator."""

import numpy as np


def _ratio(num: int, den: int) -> float:
    """num / den, or 0.0 when den is 0."""
    return float(num) / float(den) if den else 0.0


def confusion_metrics(y_true: np.ndarray, y_pred: np.ndarray) -> dict:
    """The four confusion-matrix cells and the metrics built on them."""
    t = np.asarray(y_true).astype(bool)
    p = np.asarray(y_pred).astype(bool)
    tp = int(np.count_nonzero(t & p))
    tn = int(np.count_nonzero(~t & ~p))
    fp = int(np.count_nonzero(~t & p))
    fn = int(np.count_nonzero(t & ~p))
    return {
        "tp": tp,
        "tn": tn,
        "fp": fp,
        "fn": fn,
        "accuracy": _ratio(tp + tn, tp + tn + fp + fn),
        "precision": _ratio(tp, tp + fp),
        "recall": _ratio(tp, tp + fn),
        "f1": _ratio(2 * tp, 2 * tp + fp + fn),
    }
