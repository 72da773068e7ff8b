"""Cases for gaussian_blur_separable: Gaussian blur, zero padding, output the image's shape."""

from collections.abc import Iterator

import numpy as np

from grader.questions.case import Case


def _impulse(h: int, w: int, i: int, j: int) -> np.ndarray:
    img = np.zeros((h, w))
    img[i, j] = 1.0
    return img


def cases(rng: np.random.Generator) -> Iterator[Case]:
    """Visible examples, worked numbers, edge cases, then random cases."""
    yield Case("impulse 3x5, sigma 1, radius 1", args=(_impulse(3, 5, 1, 2), 1.0, 1), visible=True)
    yield Case("ramp 4x6, sigma 0.8, radius 1", args=(np.arange(24.0).reshape(4, 6), 0.8, 1), visible=True)
    # Worked numbers: the 5x5 kernel (sigma 1, radius 2) on an impulse, a step edge and a checkerboard.
    yield Case("impulse 7x7 shows the 5x5 kernel", args=(_impulse(7, 7, 3, 3), 1.0, 2))
    yield Case("impulse near a corner", args=(_impulse(6, 8, 0, 1), 1.5, 3))
    yield Case("vertical step edge", args=(np.array([[10.0, 10.0, 10.0, 0.0, 0.0, 0.0]] * 6), 1.0, 2))
    yield Case("checkerboard", args=((np.indices((8, 8)).sum(axis=0) % 2) * 255.0, 1.2, 2))
    # Edge cases.
    yield Case("constant image: borders darken", args=(np.full((6, 9), 7.0), 2.0, 3))
    yield Case("radius 0 is the identity", args=(rng.normal(size=(5, 4)), 1.0, 0))
    # Values and a sigma with no exact binary form, beside round ones.
    yield Case("constant image of an inexact value: borders darken", args=(np.full((5, 7), 0.1), 0.7, 2))
    yield Case("kernel wider than an image of inexact values", args=(np.array([[0.1, 0.7], [0.3, -0.1]]), 0.3, 3))
    yield Case("1x1 image", args=(np.array([[4.0]]), 1.0, 2))
    yield Case("single row", args=(rng.normal(size=(1, 15)), 1.5, 3))
    yield Case("single column", args=(rng.normal(size=(12, 1)), 0.9, 2))
    yield Case("kernel wider than the image", args=(rng.normal(size=(3, 4)), 2.0, 5))
    yield Case("kernel larger than a tall image", args=(rng.normal(size=(9, 2)), 3.0, 6))
    yield Case("integer image 0..255", args=(rng.integers(0, 256, size=(10, 12)), 1.3, 3))
    yield Case("integer image, kernel larger than image", args=(rng.integers(0, 256, size=(4, 3)), 1.0, 4))
    yield Case("tiny sigma leaves the image unchanged", args=(rng.normal(size=(5, 6)), 0.05, 2))
    yield Case("huge sigma is a box filter", args=(rng.normal(size=(7, 7)), 1000.0, 2))
    for i in range(12):
        h, w = int(rng.integers(1, 41)), int(rng.integers(1, 41))
        sigma = float(np.round(rng.uniform(0.3, 5.0), 3))
        radius = int(rng.integers(0, 9))
        if i % 4 == 3:
            img = rng.integers(0, 256, size=(h, w))
        else:
            img = rng.normal(size=(h, w)) * 50.0
        yield Case(f"random {i}", args=(img, sigma, radius))
