# mutant: raises ValueError when there is no positive sample but not when there is no negative one
import numpy as np


def roc_auc(y_true, scores):
    pos = scores[y_true == 1]
    neg = scores[y_true == 0]
    if len(pos) == 0:
        raise ValueError("ROC AUC needs a positive sample")
    diff = pos[:, None] - neg[None, :]
    return float(np.mean((diff > 0) + 0.5 * (diff == 0))) if len(neg) else 1.0
