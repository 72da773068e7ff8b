"""Reference for normal_pdf (trusted side): scipy.stats.norm and the derivative -(x - mu) / sigma^2 * pdf."""

import numpy as np
from scipy.stats import norm


def _check(sigma: float) -> None:
    if not sigma > 0:
        raise ValueError(f"sigma must be positive, got {sigma}")


def normal_pdf(x, mu: float, sigma: float):
    """The N(mu, sigma^2) density at x."""
    _check(sigma)
    return norm.pdf(np.asarray(x, dtype=float), loc=mu, scale=sigma)


def normal_pdf_grad(x, mu: float, sigma: float):
    """d/dx of the density: -(x - mu) / sigma^2 times the density."""
    _check(sigma)
    x = np.asarray(x, dtype=float)
    return -(x - mu) / sigma**2 * norm.pdf(x, loc=mu, scale=sigma)
