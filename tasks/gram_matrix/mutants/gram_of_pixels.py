# mutant: multiplies A.T @ A (H*W x H*W, pixels against pixels) instead of A @ A.T (channels)
import numpy as np


def gram_matrix(F):
    c, h, w = F.shape
    A = F.reshape(c, h * w)
    return A.T @ A / (c * h * w)


def cosine_similarity(u, v):
    u, v = np.asarray(u, dtype=float), np.asarray(v, dtype=float)
    nu, nv = np.linalg.norm(u), np.linalg.norm(v)
    if nu == 0 or nv == 0:
        raise ValueError("zero vector")
    return float(u @ v / (nu * nv))
