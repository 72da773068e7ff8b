"""Reference for gram_matrix (trusted side)."""

import numpy as np


def gram_matrix(F: np.ndarray) -> np.ndarray:
    """C x C Gram matrix of the flattened channels, divided by C * H * W."""
    F = np.asarray(F, dtype=float)
    c, h, w = F.shape
    A = F.reshape(c, h * w)
    return A @ A.T / (c * h * w)


def cosine_similarity(u: np.ndarray, v: np.ndarray) -> float:
    """(u . v) / (|u| |v|); ValueError for a zero vector."""
    u, v = np.asarray(u, dtype=float), np.asarray(v, dtype=float)
    nu, nv = np.linalg.norm(u), np.linalg.norm(v)
    if nu == 0 or nv == 0:
        raise ValueError("the cosine similarity of a zero vector is undefined")
    return float(np.dot(u, v) / (nu * nv))
