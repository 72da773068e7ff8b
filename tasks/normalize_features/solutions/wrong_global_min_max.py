# expect: wrong_answer
# Mistake: min-max scales with the minimum and maximum of the whole matrix instead of each column's.
import numpy as np


def min_max_scale(X):
    lo, hi = X.min(), X.max()
    return (X - lo) / (hi - lo) if hi > lo else np.zeros_like(X, dtype=float)


def standardize(X):
    std = X.std(axis=0)
    return (X - X.mean(axis=0)) / np.where(std == 0, 1.0, std)


def unit_length(X):
    norms = np.linalg.norm(X, axis=1, keepdims=True)
    return X / np.where(norms == 0, 1.0, norms)
