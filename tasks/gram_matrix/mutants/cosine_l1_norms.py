# mutant: divides by the vectors' L1 norms (sums of absolute values) instead of their Euclidean lengths
import numpy as np


def gram_matrix(F):
    c, h, w = F.shape
    A = F.reshape(c, h * w)
    return A @ A.T / (c * h * w)


def cosine_similarity(u, v):
    u, v = np.asarray(u, dtype=float), np.asarray(v, dtype=float)
    nu, nv = np.abs(u).sum(), np.abs(v).sum()
    if nu == 0 or nv == 0:
        raise ValueError("zero vector")
    return float(u @ v / (nu * nv))
