# mutant: differentiates in z = (x - mu) / sigma and forgets the chain rule's 1 / sigma: -z * f(x)
import math

import numpy as np


def _check(sigma):
    if sigma <= 0:
        raise ValueError("sigma must be positive")


def normal_pdf(x, mu, sigma):
    _check(sigma)
    z = (np.asarray(x, dtype=float) - mu) / sigma
    return np.exp(-0.5 * z * z) / (sigma * math.sqrt(2.0 * math.pi))


def normal_pdf_grad(x, mu, sigma):
    _check(sigma)
    x = np.asarray(x, dtype=float)
    return -(x - mu) / sigma * normal_pdf(x, mu, sigma)
