# expect: wrong_answer
# Mistake: no guard for zero spread or zero norm: a constant column or a zero row gives 0/0 = NaN.
import numpy as np


def min_max_scale(X):
    with np.errstate(all="ignore"):
        return (X - X.min(axis=0)) / (X.max(axis=0) - X.min(axis=0))


def standardize(X):
    with np.errstate(all="ignore"):
        return (X - X.mean(axis=0)) / X.std(axis=0)


def unit_length(X):
    with np.errstate(all="ignore"):
        return X / np.linalg.norm(X, axis=1, keepdims=True)
