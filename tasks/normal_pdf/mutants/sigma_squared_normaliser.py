# mutant: normalises by sigma^2 * sqrt(2 pi) instead of sigma * sqrt(2 pi)
import math

import numpy as np


def _check(sigma):
    if sigma <= 0:
        raise ValueError("sigma must be positive")


def normal_pdf(x, mu, sigma):
    _check(sigma)
    z = (np.asarray(x, dtype=float) - mu) / sigma
    return np.exp(-0.5 * z * z) / (sigma**2 * math.sqrt(2.0 * math.pi))


def normal_pdf_grad(x, mu, sigma):
    _check(sigma)
    x = np.asarray(x, dtype=float)
    return -(x - mu) / sigma**2 * normal_pdf(x, mu, sigma)
