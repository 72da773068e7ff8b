# mutant: checks only the first vector for zero; a zero second vector gives 0 / 0 = NaN
import numpy as np


def gram_matrix(F):
    c, h, w = F.shape
    A = F.reshape(c, h * w)
    return A @ A.T / (c * h * w)


def cosine_similarity(u, v):
    u, v = np.asarray(u, dtype=float), np.asarray(v, dtype=float)
    if not np.any(u):
        raise ValueError("zero vector")
    return float(u @ v / (np.linalg.norm(u) * np.linalg.norm(v)))
