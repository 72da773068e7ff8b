# mutant: dgamma sums dout * x (the raw input) instead of dout * x_hat (the normalised one)
import numpy as np

AX = (0, 2, 3)


def _stats(x, eps):
    mean = x.mean(axis=AX, keepdims=True)
    var = x.var(axis=AX, keepdims=True)
    inv_std = 1.0 / np.sqrt(var + eps)
    return (x - mean) * inv_std, inv_std


def batchnorm_forward(x, gamma, beta, eps):
    x_hat, _ = _stats(x, eps)
    return gamma.reshape(1, -1, 1, 1) * x_hat + beta.reshape(1, -1, 1, 1)


def batchnorm_backward(dout, x, gamma, eps):
    x_hat, inv_std = _stats(x, eps)
    dbeta = dout.sum(axis=AX)
    dgamma = (dout * x).sum(axis=AX)
    m = x.shape[0] * x.shape[2] * x.shape[3]
    dx_hat = dout * gamma.reshape(1, -1, 1, 1)
    dx = inv_std / m * (m * dx_hat - dx_hat.sum(axis=AX, keepdims=True)
                        - x_hat * (dx_hat * x_hat).sum(axis=AX, keepdims=True))
    return {"dx": dx, "dgamma": dgamma, "dbeta": dbeta}
