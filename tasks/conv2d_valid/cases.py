"""Cases for conv2d_valid: true 2-D convolution, 'valid' output."""

from collections.abc import Iterator

import numpy as np

from grader.questions.case import Case

ARR01 = np.array([[10, 10, 10, 0, 0, 0]] * 6)
FILTER001 = np.array([[1, 0, -1], [1, 0, -1], [1, 0, -1]])


def cases(rng: np.random.Generator) -> Iterator[Case]:
    """Visible examples, the question's worked numbers, edge cases, then random cases."""
    yield Case("small 3x3 with 2x2 kernel", args=(np.arange(9.0).reshape(3, 3), np.array([[1.0, 2.0], [0.0, -1.0]])), visible=True)
    yield Case("small 4x5 integers", args=(np.array([[1, 2, 0, 1, 3], [0, 1, 2, 3, 1], [2, 2, 1, 0, 0], [1, 0, 3, 1, 2]]), np.array([[1, 0], [2, -1]])), visible=True)
    yield Case("arr01 with filter001", args=(ARR01, FILTER001))
    yield Case("arr01 transposed with filter001 transposed", args=(ARR01.T.copy(), FILTER001.T.copy()))
    yield Case("float arr01 with filter001", args=(ARR01.astype(float), FILTER001.astype(float)))
    yield Case("kernel as large as input", args=(rng.normal(size=(5, 7)), rng.normal(size=(5, 7))))
    yield Case("1x1 kernel", args=(rng.normal(size=(4, 6)), np.array([[-2.5]])))
    yield Case("single row image", args=(rng.normal(size=(1, 12)), rng.normal(size=(1, 4))))
    yield Case("single column image", args=(rng.normal(size=(9, 1)), rng.normal(size=(3, 1))))
    yield Case("tall kernel on wide image", args=(rng.normal(size=(6, 15)), rng.normal(size=(5, 2))))
    yield Case("integer non-square", args=(rng.integers(-9, 10, size=(7, 11)), rng.integers(-3, 4, size=(3, 4))))
    # Values with no exact binary form, beside integers and round numbers.
    yield Case("integer image, inexact float kernel", args=(rng.integers(-9, 10, size=(5, 6)), np.array([[0.1, 0.7], [0.3, -0.1]])))
    yield Case("kernel as large as input, inexact values", args=(np.array([[0.1, 0.7, 0.3], [0.3, -0.1, 0.7]]), np.array([[0.7, 0.1, -0.3], [0.1, 0.3, 0.7]])))
    for i in range(12):
        h = int(rng.integers(1, 31))
        w = int(rng.integers(1, 31))
        kh = int(rng.integers(1, h + 1))
        kw = int(rng.integers(1, w + 1))
        if i % 4 == 3:
            x, k = rng.integers(-20, 21, size=(h, w)), rng.integers(-5, 6, size=(kh, kw))
        else:
            x, k = rng.normal(size=(h, w)) * 10.0, rng.normal(size=(kh, kw))
        yield Case(f"random {i}", args=(x, k))
