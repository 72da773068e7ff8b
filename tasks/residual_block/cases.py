"""Cases for residual_block: a two-layer fully connected block with an identity skip connection."""

from collections.abc import Iterator

import numpy as np

from grader.questions.case import Case


def _block(rng: np.random.Generator, d: int, h: int) -> tuple[np.ndarray, ...]:
    """Random W1 (h x d), b1 (h), W2 (d x h), b2 (d)."""
    return rng.normal(size=(h, d)), rng.normal(size=h), rng.normal(size=(d, h)), rng.normal(size=d)


def cases(rng: np.random.Generator) -> Iterator[Case]:
    """Visible examples (a vector, a batch), edge cases, then random vectors and batches."""
    W1 = np.array([[1.0, 0.0], [0.0, -1.0], [1.0, 1.0]])
    b1 = np.array([0.0, 0.5, -1.0])
    W2 = np.array([[1.0, -1.0, 0.5], [0.0, 2.0, -1.0]])
    b2 = np.array([0.1, -0.2])
    yield Case("vector example", args=(np.array([1.0, -2.0]), W1, b1, W2, b2), visible=True)
    yield Case("batch example", args=(np.array([[1.0, -2.0], [0.5, 0.5], [-3.0, 1.0]]), W1, b1, W2, b2), visible=True)
    yield Case("batch of one row stays 2-D", args=(np.array([[1.0, -2.0]]), W1, b1, W2, b2))
    d, h = 5, 3
    zero = (np.zeros((h, d)), np.zeros(h), np.zeros((d, h)), np.zeros(d))
    yield Case("zero weights: relu(x)", args=(rng.normal(size=(4, d)), *zero))
    yield Case("zero branch, bias only: relu(x + b2)", args=(rng.normal(size=d), np.zeros((h, d)), np.zeros(h), rng.normal(size=(d, h)), rng.normal(size=d)))
    dead = list(_block(rng, d, h))
    dead[1] = np.full(h, -100.0)
    yield Case("hidden units all dead", args=(rng.normal(size=(3, d)), *dead))
    neg = list(_block(rng, d, h))
    neg[3] = np.full(d, -1000.0)
    yield Case("output all clipped to 0", args=(rng.normal(size=(2, d)), *neg))
    yield Case("one feature", args=(rng.normal(size=(6, 1)), *_block(rng, 1, 4)))
    yield Case("one hidden unit, vector", args=(rng.normal(size=4), *_block(rng, 4, 1)))
    yield Case("one hidden unit, batch", args=(rng.normal(size=(5, 4)), *_block(rng, 4, 1)))
    yield Case("square weights, batch", args=(rng.normal(size=(4, 3)), *_block(rng, 3, 3)))
    for i in range(14):
        d, h = int(rng.integers(1, 13)), int(rng.integers(1, 13))
        scale = float(rng.uniform(0.5, 3.0))
        if i % 2 == 0:
            x = rng.normal(size=d) * scale
            label = "vector"
        else:
            n = int(rng.integers(1, 17))
            x = rng.normal(size=(n, d)) * scale
            label = "batch"
        yield Case(f"random {i} {label}", args=(x, *_block(rng, d, h)))
