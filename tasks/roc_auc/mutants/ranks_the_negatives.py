# mutant: sums the ranks of the negatives instead of the positives, which gives 1 - AUC
import numpy as np


def roc_auc(y_true, scores):
    y = np.asarray(y_true) == 1
    n_pos, n_neg = int(y.sum()), int((~y).sum())
    if n_pos == 0 or n_neg == 0:
        raise ValueError("only one class present")
    order = np.argsort(scores, kind="mergesort")
    ranks = np.empty(len(scores))
    ranks[order] = np.arange(1, len(scores) + 1)
    for value in np.unique(scores):
        same = scores == value
        ranks[same] = ranks[same].mean()
    u = ranks[~y].sum() - n_neg * (n_neg + 1) / 2.0
    return float(u / (n_pos * n_neg))
