# expect: wrong_answer
# Mistake: no check for a single class: it divides 0 by 0 and returns NaN instead of raising ValueError.
import numpy as np


def roc_auc(y_true, scores):
    pos = scores[y_true == 1]
    neg = scores[y_true == 0]
    diff = pos[:, None] - neg[None, :]
    with np.errstate(all="ignore"):
        total = np.sum((diff > 0) + 0.5 * (diff == 0))
        return float(np.float64(total) / (len(pos) * len(neg)))
