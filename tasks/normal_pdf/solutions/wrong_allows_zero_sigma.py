# expect: wrong_answer
# Mistake: only rejects negative sigma; sigma = 0 slips through and gives NaN / inf instead of ValueError.
import math

import numpy as np


def normal_pdf(x, mu, sigma):
    if sigma < 0:
        raise ValueError("sigma must be non-negative")
    x = np.asarray(x, dtype=float)
    with np.errstate(all="ignore"):
        return np.exp(-((x - mu) ** 2) / (2 * sigma**2)) / (sigma * math.sqrt(2 * math.pi))


def normal_pdf_grad(x, mu, sigma):
    if sigma < 0:
        raise ValueError("sigma must be non-negative")
    x = np.asarray(x, dtype=float)
    with np.errstate(all="ignore"):
        return -(x - mu) / sigma**2 * normal_pdf(x, mu, sigma)
