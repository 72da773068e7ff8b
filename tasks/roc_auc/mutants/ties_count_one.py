# mutant: counts a tied pair as a win (s_pos >= s_neg), not one half
import numpy as np


def roc_auc(y_true, scores):
    pos = scores[y_true == 1]
    neg = scores[y_true == 0]
    if len(pos) == 0 or len(neg) == 0:
        raise ValueError("ROC AUC needs both classes")
    return float(np.mean(pos[:, None] >= neg[None, :]))
