# mutant: treats nearly equal scores as tied (np.isclose), though 0.1 + 0.2 and 0.3 are different scores
import numpy as np


def roc_auc(y_true, scores):
    pos = scores[y_true == 1]
    neg = scores[y_true == 0]
    if len(pos) == 0 or len(neg) == 0:
        raise ValueError("ROC AUC needs both classes")
    tie = np.isclose(pos[:, None], neg[None, :])
    win = (pos[:, None] > neg[None, :]) & ~tie
    return float(np.mean(win + 0.5 * tie))
