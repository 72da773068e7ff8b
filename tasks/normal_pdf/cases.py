"""Cases for normal_pdf: the density and its x-derivative, sigma <= 0, tails, random cases."""

from collections.abc import Iterator

import numpy as np

from grader.questions.case import Case

_PDF, _GRAD = "normal_pdf", "normal_pdf_grad"


def cases(rng: np.random.Generator) -> Iterator[Case]:
    """Visible examples, worked numbers, edge cases, then random cases for both functions."""
    x = np.array([-1.0, 0.0, 1.0])
    yield Case("standard normal at -1, 0, 1", args=(x, 0.0, 1.0), call=_PDF, visible=True)
    yield Case("standard normal derivative at -1, 0, 1", args=(x, 0.0, 1.0), call=_GRAD, visible=True)
    yield Case("scalar x, mu=1, sigma=0.5", args=(2.0, 1.0, 0.5), call=_PDF, visible=True)
    # Worked numbers: N(5, 2^2) on a grid of whole numbers around the mean.
    grid = np.arange(0.0, 11.0)
    yield Case("worked example, N(5, 4) density", args=(grid, 5.0, 2.0), call=_PDF)
    yield Case("worked example, N(5, 4) derivative", args=(grid, 5.0, 2.0), call=_GRAD)
    yield Case("scalar x derivative", args=(-0.3, 0.4, 1.7), call=_GRAD)
    yield Case("derivative is zero at the mean", args=(np.array([3.25]), 3.25, 0.8), call=_GRAD)
    yield Case("sigma = 0 raises (pdf)", args=(x, 0.0, 0.0), call=_PDF, raises="ValueError")
    yield Case("sigma = 0 raises (grad)", args=(x, 0.0, 0.0), call=_GRAD, raises="ValueError")
    yield Case("negative sigma raises (pdf)", args=(x, 0.0, -1.0), call=_PDF, raises="ValueError")
    yield Case("negative sigma raises (grad)", args=(x, 1.0, -2.5), call=_GRAD, raises="ValueError")
    # Parameters with no exact binary form, beside round ones.
    yield Case("small negative sigma raises (pdf)", args=(np.array([0.1, 0.7]), 0.3, -0.1), call=_PDF, raises="ValueError")
    yield Case("inexact parameters (pdf)", args=(np.array([0.1, 0.3, 0.7, -0.3]), 0.1, 0.7), call=_PDF)
    yield Case("derivative is zero at an inexact mean", args=(np.array([0.7, 0.1, 0.3]), 0.7, 0.3), call=_GRAD)
    tails = np.array([-1e4, -500.0, -40.0, -8.0, 8.0, 40.0, 500.0, 1e4])
    yield Case("far tails underflow to 0 (pdf)", args=(tails, 0.0, 1.0), call=_PDF)
    yield Case("far tails underflow to 0 (grad)", args=(tails, 0.0, 1.0), call=_GRAD)
    yield Case("narrow sigma, tall peak", args=(np.linspace(-0.005, 0.005, 11), 0.0, 1e-3), call=_PDF)
    yield Case("narrow sigma derivative", args=(np.linspace(-0.005, 0.005, 11), 0.0, 1e-3), call=_GRAD)
    yield Case("wide sigma", args=(np.array([-300.0, 0.0, 50.0, 1000.0]), 20.0, 150.0), call=_PDF)
    yield Case("2-D x", args=(rng.normal(size=(3, 4)) * 2.0, -0.5, 1.3), call=_GRAD)
    for i in range(12):
        call = _PDF if i % 2 == 0 else _GRAD
        shape = tuple(int(s) for s in rng.integers(1, 8, size=int(rng.integers(1, 4))))
        mu = float(rng.normal() * 3.0)
        sigma = float(rng.uniform(0.2, 5.0))
        xs = mu + rng.normal(size=shape) * sigma * float(rng.uniform(0.5, 3.0))
        yield Case(f"random {i} {call.split('_')[-1]}", args=(xs, mu, sigma), call=call)
