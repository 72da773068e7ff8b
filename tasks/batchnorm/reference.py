"""Reference for batchnorm (trusted side): training-mode batch norm per channel, in NumPy float64."""

import numpy as np

_AXES = (0, 2, 3)


def _normalise(x: np.ndarray, eps: float) -> tuple[np.ndarray, np.ndarray]:
    """x_hat and 1 / sqrt(var + eps), statistics over N, H, W (biased variance)."""
    x = np.asarray(x, dtype=np.float64)
    mean = x.mean(axis=_AXES, keepdims=True)
    centred = x - mean
    inv_std = 1.0 / np.sqrt((centred * centred).mean(axis=_AXES, keepdims=True) + eps)
    return centred * inv_std, inv_std


def batchnorm_forward(x: np.ndarray, gamma: np.ndarray, beta: np.ndarray, eps: float) -> np.ndarray:
    """y = gamma * (x - mean) / sqrt(var + eps) + beta, batch statistics per channel."""
    x_hat, _ = _normalise(x, eps)
    return np.asarray(gamma, dtype=np.float64)[None, :, None, None] * x_hat + np.asarray(beta, dtype=np.float64)[None, :, None, None]


def batchnorm_backward(dout: np.ndarray, x: np.ndarray, gamma: np.ndarray, eps: float) -> dict:
    """dx, dgamma, dbeta, with the paths through the batch mean and variance.

    dx = gamma / sqrt(var + eps) * (dout - mean(dout) - x_hat * mean(dout * x_hat)),
    means over N, H, W.
    """
    dout = np.asarray(dout, dtype=np.float64)
    x_hat, inv_std = _normalise(x, eps)
    g = np.asarray(gamma, dtype=np.float64)[None, :, None, None]
    dx = g * inv_std * (dout - dout.mean(axis=_AXES, keepdims=True) - x_hat * (dout * x_hat).mean(axis=_AXES, keepdims=True))
    return {"dx": dx, "dgamma": (dout * x_hat).sum(axis=_AXES), "dbeta": dout.sum(axis=_AXES)}
