# expect: wrong_answer
# Mistake: no check for the zero vector: 0 / 0 gives NaN instead of raising ValueError.
import numpy as np


def gram_matrix(F):
    c, h, w = F.shape
    a = F.reshape(c, h * w)
    return a @ a.T / (c * h * w)


def cosine_similarity(u, v):
    return np.dot(u, v) / (np.linalg.norm(u) * np.linalg.norm(v))
