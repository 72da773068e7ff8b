# expect: wrong_answer
# Mistake: drops the minus sign of the chain rule: the derivative comes out as +(x - mu) / sigma^2 * f(x).
import math

import numpy as np


def normal_pdf(x, mu, sigma):
    if sigma <= 0:
        raise ValueError("sigma must be positive")
    x = np.asarray(x, dtype=float)
    return np.exp(-((x - mu) ** 2) / (2 * sigma**2)) / (sigma * math.sqrt(2 * math.pi))


def normal_pdf_grad(x, mu, sigma):
    if sigma <= 0:
        raise ValueError("sigma must be positive")
    x = np.asarray(x, dtype=float)
    return (x - mu) / sigma**2 * normal_pdf(x, mu, sigma)
