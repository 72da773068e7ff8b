# expect: accepted
# A correct solution: the computational graph backpropagated stage by stage (as in CS231n), after moving C first.
import numpy as np


def _to_rows(a):
    # N x C x H x W -> C x (N*H*W)
    return a.transpose(1, 0, 2, 3).reshape(a.shape[1], -1)


def _from_rows(r, shape):
    n, c, h, w = shape
    return r.reshape(c, n, h, w).transpose(1, 0, 2, 3)


def batchnorm_forward(x, gamma, beta, eps):
    r = _to_rows(x)
    mu = r.mean(axis=1, keepdims=True)
    xc = r - mu
    var = (xc ** 2).mean(axis=1, keepdims=True)
    y = gamma[:, None] * xc / np.sqrt(var + eps) + beta[:, None]
    return _from_rows(y, x.shape)


def batchnorm_backward(dout, x, gamma, eps):
    r, d = _to_rows(x), _to_rows(dout)
    m = r.shape[1]
    mu = r.mean(axis=1, keepdims=True)
    xc = r - mu
    var = (xc ** 2).mean(axis=1, keepdims=True)
    std = np.sqrt(var + eps)
    xhat = xc / std
    dbeta = d.sum(axis=1)
    dgamma = (d * xhat).sum(axis=1)
    dxhat = d * gamma[:, None]
    dxc = dxhat / std
    dstd = -(dxhat * xc).sum(axis=1, keepdims=True) / std ** 2
    dvar = dstd / (2 * std)
    dxc += 2 * xc * dvar / m
    dmu = -dxc.sum(axis=1, keepdims=True)
    dr = dxc + dmu / m
    return {"dx": _from_rows(dr, x.shape), "dgamma": dgamma, "dbeta": dbeta}
