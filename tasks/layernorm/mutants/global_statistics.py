# mutant: takes one mean and one variance over the whole array instead of one per row
import numpy as np


def layernorm_forward(x, gamma, beta, eps):
    mean = x.mean()
    var = x.var()
    return gamma * (x - mean) / np.sqrt(var + eps) + beta
