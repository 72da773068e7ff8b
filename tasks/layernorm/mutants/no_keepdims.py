# mutant: takes the row statistics without keepdims; they then broadcast along the last axis (silently wrong for square inputs)
import numpy as np


def layernorm_forward(x, gamma, beta, eps):
    mean = x.mean(axis=-1)
    var = x.var(axis=-1)
    return gamma * (x - mean) / np.sqrt(var + eps) + beta
