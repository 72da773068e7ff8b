# mutant: divides the Gram matrix by C (the number of channels) instead of C * H * W
import numpy as np


def gram_matrix(F):
    c, h, w = F.shape
    A = F.reshape(c, h * w)
    return A @ A.T / c


def cosine_similarity(u, v):
    u, v = np.asarray(u, dtype=float), np.asarray(v, dtype=float)
    nu, nv = np.linalg.norm(u), np.linalg.norm(v)
    if nu == 0 or nv == 0:
        raise ValueError("zero vector")
    return float(u @ v / (nu * nv))
