# expect: wrong_answer
# Mistake: uses the unbiased variance (ddof=1), dividing by D - 1 instead of D.
import numpy as np


def layernorm_forward(x, gamma, beta, eps):
    mean = x.mean(axis=-1, keepdims=True)
    var = x.var(axis=-1, keepdims=True, ddof=1) if x.shape[-1] > 1 else np.zeros_like(mean)
    return gamma * (x - mean) / np.sqrt(var + eps) + beta
