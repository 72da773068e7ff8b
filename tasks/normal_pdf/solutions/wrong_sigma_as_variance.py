# expect: wrong_answer
# Mistake: treats sigma as the variance: exp(-(x - mu)^2 / (2 sigma)) / sqrt(2 pi sigma).
import math

import numpy as np


def normal_pdf(x, mu, sigma):
    if sigma <= 0:
        raise ValueError("sigma must be positive")
    x = np.asarray(x, dtype=float)
    return np.exp(-((x - mu) ** 2) / (2 * sigma)) / math.sqrt(2 * math.pi * sigma)


def normal_pdf_grad(x, mu, sigma):
    if sigma <= 0:
        raise ValueError("sigma must be positive")
    x = np.asarray(x, dtype=float)
    return -(x - mu) / sigma * normal_pdf(x, mu, sigma)
