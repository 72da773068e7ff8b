"""Reference for normalize_features (trusted side): min-max and z-score per column, unit L2 rows."""

import numpy as np


def min_max_scale(X: np.ndarray) -> np.ndarray:
    """(x - min) / (max - min) per column; a constant column gives zeros."""
    X = np.asarray(X, dtype=np.float64)
    lo, hi = X.min(axis=0), X.max(axis=0)
    span = hi - lo
    constant = span == 0
    return np.where(constant, 0.0, (X - lo) / np.where(constant, 1.0, span))


def standardize(X: np.ndarray) -> np.ndarray:
    """(x - mean) / std per column, population std (ddof=0); a constant column gives zeros."""
    X = np.asarray(X, dtype=np.float64)
    constant = X.max(axis=0) == X.min(axis=0)
    std = X.std(axis=0)
    return np.where(constant, 0.0, (X - X.mean(axis=0)) / np.where(constant, 1.0, std))


def unit_length(X: np.ndarray) -> np.ndarray:
    """Each row divided by its Euclidean norm; a zero row stays zero."""
    X = np.asarray(X, dtype=np.float64)
    norms = np.sqrt((X * X).sum(axis=1, keepdims=True))
    return np.where(norms == 0, 0.0, X / np.where(norms == 0, 1.0, norms))
