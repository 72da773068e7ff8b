# mutant: standardize divides by the variance instead of the standard deviation
import numpy as np


def min_max_scale(X):
    lo = X.min(axis=0)
    span = X.max(axis=0) - lo
    return np.where(span == 0, 0.0, (X - lo) / np.where(span == 0, 1.0, span))


def standardize(X):
    constant = X.max(axis=0) == X.min(axis=0)
    var = np.where(constant, 1.0, X.var(axis=0))
    return np.where(constant, 0.0, (X - X.mean(axis=0)) / var)


def unit_length(X):
    norms = np.linalg.norm(X, axis=1, keepdims=True)
    return np.where(norms == 0, 0.0, X / np.where(norms == 0, 1.0, norms))
