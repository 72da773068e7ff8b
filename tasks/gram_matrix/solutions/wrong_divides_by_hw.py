# expect: wrong_answer
# Mistake: divides by H*W (the length of one channel) instead of C*H*W.
import numpy as np


def gram_matrix(F):
    c, h, w = F.shape
    a = F.reshape(c, h * w)
    return a @ a.T / (h * w)


def cosine_similarity(u, v):
    nu, nv = np.linalg.norm(u), np.linalg.norm(v)
    if nu == 0 or nv == 0:
        raise ValueError("zero vector")
    return float(np.dot(u, v) / (nu * nv))
