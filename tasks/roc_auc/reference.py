"""Reference for roc_auc (trusted side): the Mann-Whitney U statistic with average ranks for ties."""

import numpy as np
from scipy.stats import rankdata


def roc_auc(y_true: np.ndarray, scores: np.ndarray) -> float:
    """AUC = (sum of the positives' average ranks - n_pos (n_pos + 1) / 2) / (n_pos n_neg)."""
    y = np.asarray(y_true).astype(bool)
    s = np.asarray(scores, dtype=float)
    n_pos = int(y.sum())
    n_neg = int(y.size - n_pos)
    if n_pos == 0 or n_neg == 0:
        raise ValueError("only one class is present in y_true: ROC AUC is not defined")
    ranks = rankdata(s, method="average")
    u = float(ranks[y].sum()) - n_pos * (n_pos + 1) / 2.0
    return u / (n_pos * n_neg)
