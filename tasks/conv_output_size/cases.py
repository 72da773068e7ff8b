"""Cases for conv_output_size: floor((n + 2p - f) / s) + 1, ValueError when it does not fit."""

from collections.abc import Iterator

import numpy as np

from grader.questions.case import Case


def cases(rng: np.random.Generator) -> Iterator[Case]:
    """Visible examples, the questions' worked numbers, edge cases, then random cases."""
    yield Case("6x6 image, 3x3 filter, valid", args=(6, 3, 0, 1), visible=True)
    yield Case("224, 7x7, padding 3, stride 2", args=(224, 7, 3, 2), visible=True)
    yield Case("stride does not divide: 7, 3x3, stride 2", args=(7, 3, 0, 2), visible=True)
    yield Case("filter does not fit", args=(2, 3, 0, 1), raises="ValueError", visible=True)
    # Worked numbers: valid convolution (K - theta + 1), the general formula, classic networks.
    yield Case("valid: K=28, theta=5", args=(28, 5, 0, 1))
    yield Case("valid: K=32, theta=3", args=(32, 3, 0, 1))
    yield Case("LeNet: 32, 5x5", args=(32, 5, 0, 1))
    yield Case("AlexNet conv1: 227, 11x11, stride 4", args=(227, 11, 0, 4))
    yield Case("AlexNet pool: 55, 3x3, stride 2", args=(55, 3, 0, 2))
    yield Case("VGG conv: 224, 3x3, padding 1", args=(224, 3, 1, 1))
    yield Case("VGG pool: 224, 2x2, stride 2", args=(224, 2, 0, 2))
    yield Case("MaxPool001 conv: 224, 7x7, padding 2", args=(224, 7, 2, 1))
    yield Case("MaxPool001 pool: 111, 2x2, stride 2", args=(111, 2, 0, 2))
    yield Case("same padding 5x5: 64, padding 2", args=(64, 5, 2, 1))
    # Edge cases.
    yield Case("floor, not round: 8, 3x3, stride 2", args=(8, 3, 0, 2))
    yield Case("floor, not ceil: 10, 3x3, stride 4", args=(10, 3, 0, 4))
    yield Case("filter exactly as large as input", args=(5, 5, 0, 1))
    yield Case("filter exactly as large as padded input", args=(3, 7, 2, 3))
    yield Case("filter larger than input, padding makes it fit", args=(4, 6, 1, 1))
    yield Case("1x1 filter", args=(17, 1, 0, 1))
    yield Case("1x1 input, 1x1 filter", args=(1, 1, 0, 1))
    yield Case("stride larger than input", args=(5, 2, 0, 9))
    yield Case("stride larger than filter", args=(20, 2, 1, 5))
    yield Case("large padding", args=(3, 3, 10, 1))
    yield Case("large padding, stride 3", args=(10, 4, 7, 3))
    yield Case("filter too large even with padding", args=(4, 7, 1, 1), raises="ValueError")
    yield Case("filter one pixel too large", args=(5, 6, 0, 1), raises="ValueError")
    yield Case("stride 0", args=(10, 3, 0, 0), raises="ValueError")
    yield Case("negative stride", args=(10, 3, 1, -2), raises="ValueError")
    for i in range(12):
        n = int(rng.integers(1, 1025))
        p = int(rng.integers(0, 6))
        f = int(rng.integers(1, n + 2 * p + 1))
        s = int(rng.integers(1, 9))
        yield Case(f"random {i}", args=(n, f, p, s))
    for i in range(2):
        n = int(rng.integers(1, 20))
        p = int(rng.integers(0, 3))
        f = n + 2 * p + int(rng.integers(1, 5))
        yield Case(f"random {12 + i} kernel too large", args=(n, f, p, 1), raises="ValueError")
