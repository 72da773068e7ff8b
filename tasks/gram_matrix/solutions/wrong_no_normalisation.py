# expect: wrong_answer
# Mistake: returns the raw Gram matrix A @ A.T, without dividing by C*H*W.
import numpy as np


def gram_matrix(F):
    c, h, w = F.shape
    a = F.reshape(c, h * w)
    return a @ a.T


def cosine_similarity(u, v):
    nu, nv = np.linalg.norm(u), np.linalg.norm(v)
    if nu == 0 or nv == 0:
        raise ValueError("zero vector")
    return float(np.dot(u, v) / (nu * nv))
