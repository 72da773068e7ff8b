# expect: wrong_answer
# Mistake: adds eps to the standard deviation instead of to the variance: (x - mean) / (std + eps).
import numpy as np


def layernorm_forward(x, gamma, beta, eps):
    mean = x.mean(axis=-1, keepdims=True)
    std = x.std(axis=-1, keepdims=True)
    return gamma * (x - mean) / (std + eps) + beta
