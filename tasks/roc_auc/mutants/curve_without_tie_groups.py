# mutant: the ROC curve steps one sample at a time, so tied scores make a staircase instead of a diagonal
import numpy as np


def roc_auc(y_true, scores):
    y = np.asarray(y_true)
    n_pos, n_neg = np.sum(y == 1), np.sum(y == 0)
    if n_pos == 0 or n_neg == 0:
        raise ValueError("only one class present")
    order = np.argsort(-scores, kind="mergesort")
    y = y[order]
    tpr = np.r_[0.0, np.cumsum(y == 1) / n_pos]
    fpr = np.r_[0.0, np.cumsum(y == 0) / n_neg]
    return float(np.sum((fpr[1:] - fpr[:-1]) * (tpr[1:] + tpr[:-1]) / 2.0))
