# expect: accepted
# A correct solution: compare every positive with every negative, ties count one half.
import numpy as np


def roc_auc(y_true, scores):
    pos = scores[y_true == 1]
    neg = scores[y_true == 0]
    if len(pos) == 0 or len(neg) == 0:
        raise ValueError("ROC AUC needs both classes")
    diff = pos[:, None] - neg[None, :]
    return float(np.mean((diff > 0) + 0.5 * (diff == 0)))
