# expect: accepted
# A correct solution: flatten the channels, one matrix product, divide by C*H*W; check norms.
import numpy as np


def gram_matrix(F):
    c, h, w = F.shape
    a = F.reshape(c, h * w)
    return a @ a.T / (c * h * w)


def cosine_similarity(u, v):
    nu = np.sqrt(np.sum(u * u))
    nv = np.sqrt(np.sum(v * v))
    if nu == 0 or nv == 0:
        raise ValueError("zero vector")
    return float(np.sum(u * v) / (nu * nv))
