# expect: wrong_answer
# Mistake: normalises each column to unit length instead of each row (sample).
import numpy as np


def min_max_scale(X):
    lo = X.min(axis=0)
    span = X.max(axis=0) - lo
    return (X - lo) / np.where(span == 0, 1.0, span)


def standardize(X):
    std = X.std(axis=0)
    return (X - X.mean(axis=0)) / np.where(std == 0, 1.0, std)


def unit_length(X):
    norms = np.linalg.norm(X, axis=0, keepdims=True)
    return X / np.where(norms == 0, 1.0, norms)
