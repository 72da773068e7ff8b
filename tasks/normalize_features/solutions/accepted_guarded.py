# expect: accepted
# A correct solution: replace zero spreads and zero norms by 1 before dividing, so those entries come out 0.
import numpy as np


def min_max_scale(X):
    lo = X.min(axis=0)
    span = X.max(axis=0) - lo
    span = np.where(span == 0, 1.0, span)
    return (X - lo) / span


def standardize(X):
    # A constant column is found by its spread (max == min), not by std == 0: the float std
    # of a constant column of 0.1 is a tiny non-zero number.
    constant = X.max(axis=0) == X.min(axis=0)
    std = np.where(constant, 1.0, X.std(axis=0))
    return np.where(constant, 0.0, (X - X.mean(axis=0)) / std)


def unit_length(X):
    norms = np.linalg.norm(X, axis=1, keepdims=True)
    norms = np.where(norms == 0, 1.0, norms)
    return X / norms
