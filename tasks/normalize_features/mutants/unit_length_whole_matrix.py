# mutant: unit_length divides by the norm of the whole matrix, not each row's
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
    norm = np.linalg.norm(X)
    return X / norm if norm > 0 else np.zeros_like(X)
