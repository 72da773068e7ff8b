# expect: wrong_answer
# Mistake: normalises over the batch axis (axis 0), which is batch normalisation, not layer normalisation.
import numpy as np


def layernorm_forward(x, gamma, beta, eps):
    mean = x.mean(axis=0, keepdims=True)
    var = x.var(axis=0, keepdims=True)
    return gamma * (x - mean) / np.sqrt(var + eps) + beta
