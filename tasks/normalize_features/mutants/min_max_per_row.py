# mutant: min-max scales each row (axis=1) instead of each column
import numpy as np


def min_max_scale(X):
    lo = X.min(axis=1, keepdims=True)
    span = X.max(axis=1, keepdims=True) - lo
    return np.where(span == 0, 0.0, (X - lo) / np.where(span == 0, 1.0, span))


def standardize(X):
    constant = X.max(axis=0) == X.min(axis=0)
    std = np.where(constant, 1.0, X.std(axis=0))
    return np.where(constant, 0.0, (X - X.mean(axis=0)) / std)


def unit_length(X):
    norms = np.linalg.norm(X, axis=1, keepdims=True)
    return np.where(norms == 0, 0.0, X / np.where(norms == 0, 1.0, norms))
