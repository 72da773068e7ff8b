# expect: forbidden_api
# Uses scipy.stats.norm, which the question forbids.
from scipy.stats import norm


def normal_pdf(x, mu, sigma):
    if sigma <= 0:
        raise ValueError("sigma must be positive")
    return norm.pdf(x, mu, sigma)


def normal_pdf_grad(x, mu, sigma):
    if sigma <= 0:
        raise ValueError("sigma must be positive")
    return -(x - mu) / sigma**2 * norm.pdf(x, mu, sigma)
