# mutant: uses ~ on the integer label arrays as if they were booleans (~0 is -1, ~1 is -2), so tn and fn come out wrong
import numpy as np


def _safe_div(num, den):
    return num / den if den != 0 else 0.0


def confusion_metrics(y_true, y_pred):
    y_true = np.asarray(y_true)
    y_pred = np.asarray(y_pred)
    tp = int(np.count_nonzero(y_true & y_pred))
    tn = int(np.count_nonzero(~y_true & ~y_pred))
    fp = int(np.count_nonzero(~y_true & y_pred))
    fn = int(np.count_nonzero(y_true & ~y_pred))
    precision = _safe_div(tp, tp + fp)
    recall = _safe_div(tp, tp + fn)
    return {
        "tp": tp, "tn": tn, "fp": fp, "fn": fn,
        "accuracy": _safe_div(tp + tn, tp + tn + fp + fn),
        "precision": precision,
        "recall": recall,
        "f1": _safe_div(2 * precision * recall, precision + recall),
    }
