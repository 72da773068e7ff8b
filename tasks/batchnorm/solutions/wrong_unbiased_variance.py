# expect: wrong_answer
# Mistake: uses the unbiased variance (ddof=1, divide by N*H*W - 1) to normalise, as in the running estimate.
import numpy as np


def _stats(x, eps):
    mean = x.mean(axis=(0, 2, 3), keepdims=True)
    var = x.var(axis=(0, 2, 3), keepdims=True, ddof=1)
    inv_std = 1.0 / np.sqrt(var + eps)
    return (x - mean) * inv_std, inv_std


def batchnorm_forward(x, gamma, beta, eps):
    x_hat, _ = _stats(x, eps)
    return gamma.reshape(1, -1, 1, 1) * x_hat + beta.reshape(1, -1, 1, 1)


def batchnorm_backward(dout, x, gamma, eps):
    x_hat, inv_std = _stats(x, eps)
    m = x.shape[0] * x.shape[2] * x.shape[3]
    dx_hat = dout * gamma.reshape(1, -1, 1, 1)
    dx = inv_std / m * (m * dx_hat - dx_hat.sum(axis=(0, 2, 3), keepdims=True)
                        - x_hat * (dx_hat * x_hat).sum(axis=(0, 2, 3), keepdims=True))
    return {"dx": dx, "dgamma": (dout * x_hat).sum(axis=(0, 2, 3)), "dbeta": dout.sum(axis=(0, 2, 3))}
