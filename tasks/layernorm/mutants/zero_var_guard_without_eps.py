# mutant: drops eps and guards a zero variance with var == 0, which a constant row of an inexact value (0.1) misses
import numpy as np


def layernorm_forward(x, gamma, beta, eps):
    mean = x.mean(axis=-1, keepdims=True)
    var = x.var(axis=-1, keepdims=True)
    std = np.sqrt(np.where(var == 0, 1.0, var))
    return gamma * (x - mean) / std + beta
