# expect: wrong_answer
# Mistake: reshapes to (H*W, C) and transposes, which mixes values of different channels
# instead of flattening each channel (the layout is C x H x W, not H x W x C).
import numpy as np


def gram_matrix(F):
    c, h, w = F.shape
    a = F.reshape(h * w, c).T
    return a @ a.T / (c * h * w)


def cosine_similarity(u, v):
    nu, nv = np.linalg.norm(u), np.linalg.norm(v)
    if nu == 0 or nv == 0:
        raise ValueError("zero vector")
    return float(np.dot(u, v) / (nu * nv))
