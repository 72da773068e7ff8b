# expect: wrong_answer
# Mistake: the backward pass treats the mean and variance as constants: dx = dout * gamma / sqrt(var + eps).
import numpy as np


def _stats(x, eps):
    mean = x.mean(axis=(0, 2, 3), keepdims=True)
    var = x.var(axis=(0, 2, 3), keepdims=True)
    inv_std = 1.0 / np.sqrt(var + eps)
    return (x - mean) * inv_std, inv_std


def batchnorm_forward(x, gamma, beta, eps):
    x_hat, _ = _stats(x, eps)
    return gamma.reshape(1, -1, 1, 1) * x_hat + beta.reshape(1, -1, 1, 1)


def batchnorm_backward(dout, x, gamma, eps):
    x_hat, inv_std = _stats(x, eps)
    dx = dout * gamma.reshape(1, -1, 1, 1) * inv_std
    return {"dx": dx, "dgamma": (dout * x_hat).sum(axis=(0, 2, 3)), "dbeta": dout.sum(axis=(0, 2, 3))}
