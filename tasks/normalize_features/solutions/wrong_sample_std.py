# expect: wrong_answer
# Mistake: standardises with the sample standard deviation (ddof=1) instead of the population one.
import numpy as np


def min_max_scale(X):
    lo = X.min(axis=0)
    span = X.max(axis=0) - lo
    return (X - lo) / np.where(span == 0, 1.0, span)


def standardize(X):
    if X.shape[0] < 2:
        return np.zeros_like(X, dtype=float)
    std = X.std(axis=0, ddof=1)
    return (X - X.mean(axis=0)) / np.where(std == 0, 1.0, std)


def unit_length(X):
    norms = np.linalg.norm(X, axis=1, keepdims=True)
    return X / np.where(norms == 0, 1.0, norms)
