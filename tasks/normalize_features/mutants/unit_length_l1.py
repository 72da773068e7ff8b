# mutant: unit_length divides each row by its L1 norm (sum of absolute values), not its Euclidean length
import numpy as np


def min_max_scale(X):
    lo = X.min(axis=0)
    span = X.max(axis=0) - lo
    return np.where(span == 0, 0.0, (X - lo) / np.where(span == 0, 1.0, span))


def standardize(X):
    constant = X.max(axis=0) == X.min(axis=0)
    std = np.where(constant, 1.0, X.std(axis=0))
    return np.where(constant, 0.0, (X - X.mean(axis=0)) / std)


def unit_length(X):
    norms = np.abs(X).sum(axis=1, keepdims=True)
    return np.where(norms == 0, 0.0, X / np.where(norms == 0, 1.0, norms))
