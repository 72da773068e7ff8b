# expect: accepted
# A correct solution: build the ROC curve at each distinct threshold and integrate it with the trapezoid rule.
import numpy as np


def roc_auc(y_true, scores):
    y = np.asarray(y_true)
    n_pos = np.sum(y == 1)
    n_neg = np.sum(y == 0)
    if n_pos == 0 or n_neg == 0:
        raise ValueError("only one class present")
    order = np.argsort(-scores, kind="mergesort")
    s, y = scores[order], y[order]
    tps = np.cumsum(y == 1)
    fps = np.cumsum(y == 0)
    last = np.r_[np.diff(s) != 0, True]   # the last index of each group of equal scores
    tpr = np.r_[0.0, tps[last] / n_pos]
    fpr = np.r_[0.0, fps[last] / n_neg]
    return float(np.sum((fpr[1:] - fpr[:-1]) * (tpr[1:] + tpr[:-1]) / 2.0))
