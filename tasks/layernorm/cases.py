"""Cases for layernorm: normalisation over the last axis of 1-D to 4-D inputs."""

from collections.abc import Iterator

import numpy as np

from grader.questions.case import Case


def _params(rng: np.random.Generator, d: int) -> tuple[np.ndarray, np.ndarray]:
    return rng.uniform(0.5, 2.0, size=d) * rng.choice([-1.0, 1.0], size=d), rng.normal(size=d)


def cases(rng: np.random.Generator) -> Iterator[Case]:
    """Visible examples, worked numbers, edge cases, then random cases."""
    x = np.array([[1.0, 2.0, 3.0, 4.0], [2.0, 2.0, 2.0, 6.0]])
    yield Case("example, unit gamma and zero beta", args=(x, np.ones(4), np.zeros(4), 1e-5), visible=True)
    yield Case("example, gamma and beta", args=(x, np.array([1.0, 0.5, 2.0, -1.0]), np.array([0.0, 0.1, 0.2, 0.3]), 1e-5), visible=True)
    # Worked numbers: a batch of 2 sequences of 3 tokens with 4 features (transformer-style input).
    xw = np.array([[[0.5, -1.0, 2.0, 0.0], [1.0, 1.0, 1.0, 1.0], [3.0, -3.0, 0.5, 0.25]],
                   [[-2.0, 4.0, 1.0, 0.0], [0.1, 0.2, 0.3, 0.4], [10.0, 20.0, 30.0, 40.0]]])
    yield Case("worked example, 2 x 3 x 4", args=(xw, np.array([1.0, 2.0, 0.5, 1.5]), np.array([0.0, -0.5, 0.5, 1.0]), 1e-5))
    yield Case("square input, rows not columns", args=(rng.normal(size=(5, 5)) * 3.0, *_params(rng, 5), 1e-5))
    yield Case("1-D input, a single row", args=(rng.normal(size=7), *_params(rng, 7), 1e-5))
    yield Case("D = 1 gives beta", args=(rng.normal(size=(4, 1)), np.array([2.0]), np.array([0.75]), 1e-5))
    yield Case("constant rows give beta", args=(np.array([[3.0, 3.0, 3.0], [-1.5, -1.5, -1.5], [1.0, 2.0, 3.0]]), np.array([1.0, 2.0, 3.0]), np.array([0.5, -0.5, 0.0]), 1e-5))
    # Constant rows of values with no exact binary form: their float variance is tiny, not 0. The eps
    # (1e-10) keeps a mean a few ulps off, as another NumPy build sums it, well inside the tolerance.
    yield Case("constant rows of inexact values give beta", args=(np.array([[0.1] * 6, [0.7] * 6, [0.3, 0.1, 0.7, 0.3, 0.1, 0.7]]), np.array([1.5, -0.5, 2.0, 1.0, 0.3, -1.0]), np.array([0.1, 0.7, -0.3, 0.0, 0.5, 0.2]), 1e-10))
    yield Case("large eps", args=(rng.normal(size=(3, 6)) * 0.1, *_params(rng, 6), 1.0))
    yield Case("small variance rows", args=(rng.normal(size=(4, 8)) * 1e-3, np.ones(8), np.zeros(8), 1e-5))
    yield Case("rows with a large offset", args=(rng.normal(size=(3, 10)) + 1000.0, *_params(rng, 10), 1e-5))
    yield Case("4-D input", args=(rng.normal(size=(2, 3, 2, 5)), *_params(rng, 5), 1e-5))
    for i in range(12):
        ndim = int(rng.integers(1, 5))
        shape = tuple(int(s) for s in rng.integers(1, 7, size=ndim - 1)) + (int(rng.integers(2, 33)),)
        eps = float(rng.choice([1e-5, 1e-6, 1e-3]))
        x = rng.normal(size=shape) * float(rng.uniform(0.2, 5.0)) + float(rng.normal() * 3.0)
        yield Case(f"random {i}", args=(x, *_params(rng, shape[-1]), eps))
