# expect: wrong_answer
# Mistake: ranks with argsort of argsort, which gives tied scores distinct ranks instead of their average rank.
import numpy as np


def roc_auc(y_true, scores):
    y = y_true == 1
    n_pos = y.sum()
    n_neg = len(y) - n_pos
    if n_pos == 0 or n_neg == 0:
        raise ValueError("need both classes")
    ranks = np.argsort(np.argsort(scores)) + 1
    return float((ranks[y].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg))
