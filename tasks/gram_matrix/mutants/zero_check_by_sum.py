# mutant: tests for the zero vector with sum(u) == 0, which also refuses non-zero vectors summing to 0
import numpy as np


def gram_matrix(F):
    c, h, w = F.shape
    A = F.reshape(c, h * w)
    return A @ A.T / (c * h * w)


def cosine_similarity(u, v):
    u, v = np.asarray(u, dtype=float), np.asarray(v, dtype=float)
    if u.sum() == 0 or v.sum() == 0:
        raise ValueError("zero vector")
    return float(u @ v / (np.linalg.norm(u) * np.linalg.norm(v)))
