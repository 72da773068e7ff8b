# expect: accepted
# A correct solution: replace zero spreads and zero norms by 1 before dividing, so those entries come out 0.
import numpy as np


def min_max_scale(X):
    lo = X.min(axis=0)
    span = X.max(axis=0) - lo
    span = np.where(span == 0, 1.0, span)
    return (X - lo) / span


def standardize(X):
    mean = X.mean(axis=0)
    std = X.std(axis=0)
    std = np.where(std == 0, 1.0, std)
    return (X - mean) / std


def unit_length(X):
    norms = np.linalg.norm(X, axis=1, keepdims=True)
    norms = np.where(norms == 0, 1.0, norms)
    return X / norms
