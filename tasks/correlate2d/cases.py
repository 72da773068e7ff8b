"""Cases for correlate2d: 2-D cross-correlation in 'valid', 'same' and 'full' modes."""

from collections.abc import Iterator

import numpy as np

from grader.questions.case import Case

ARR01 = np.array([[10, 10, 10, 0, 0, 0]] * 6)
FILTER001 = np.array([[1, 0, -1], [1, 0, -1], [1, 0, -1]])
MODES = ("valid", "same", "full")


def cases(rng: np.random.Generator) -> Iterator[Case]:
    """Visible examples, the question's worked numbers, edge cases, then random cases."""
    yield Case("arr01 with filter001, valid", args=(ARR01, FILTER001, "valid"), visible=True)
    yield Case("2x3 with 1x2 kernel, same", args=(np.arange(1, 7).reshape(2, 3), np.array([[1, 2]]), "same"), visible=True)
    yield Case("small 3x3 with 2x2 kernel, full", args=(np.arange(9.0).reshape(3, 3), np.array([[1.0, 2.0], [0.0, -1.0]]), "full"), visible=True)
    # The question's worked numbers: the 6x6 edge image and the vertical edge detector.
    yield Case("arr01 with filter001, same", args=(ARR01, FILTER001, "same"))
    yield Case("arr01 with filter001, full", args=(ARR01, FILTER001, "full"))
    yield Case("arr01 transposed with filter001 transposed, valid", args=(ARR01.T.copy(), FILTER001.T.copy(), "valid"))
    yield Case("float arr01 with filter001, same", args=(ARR01.astype(float), FILTER001.astype(float), "same"))
    # Even kernel sizes in 'same' mode: which way the centre leans.
    yield Case("even 2x2 kernel, same", args=(rng.normal(size=(5, 6)), rng.normal(size=(2, 2)), "same"))
    yield Case("even 4x4 kernel, same", args=(rng.normal(size=(7, 8)), rng.normal(size=(4, 4)), "same"))
    yield Case("even height odd width kernel, same", args=(rng.normal(size=(6, 9)), rng.normal(size=(4, 3)), "same"))
    yield Case("odd height even width kernel, same", args=(rng.normal(size=(9, 6)), rng.normal(size=(3, 2)), "same"))
    yield Case("even kernel, integer, same", args=(rng.integers(-9, 10, size=(6, 7)), rng.integers(-3, 4, size=(2, 4)), "same"))
    # Values with no exact binary form, beside integers and round numbers.
    yield Case("even kernel, inexact values, same", args=(np.array([[0.1, 0.7, 0.3], [0.3, -0.1, 0.7], [0.7, 0.3, 0.1]]), np.array([[0.3, -0.7], [0.1, 0.7]]), "same"))
    yield Case("integer image, inexact float kernel, full", args=(rng.integers(-9, 10, size=(4, 5)), np.array([[0.1, 0.7, 0.3]]), "full"))
    yield Case("asymmetric kernel, valid", args=(rng.normal(size=(6, 7)), np.array([[1.0, 2.0, 3.0], [0.0, -1.0, 4.0]]), "valid"))
    # Sizes at the limits.
    yield Case("kernel as large as input, valid", args=(rng.normal(size=(5, 7)), rng.normal(size=(5, 7)), "valid"))
    yield Case("kernel as large as input, same", args=(rng.normal(size=(4, 6)), rng.normal(size=(4, 6)), "same"))
    yield Case("kernel larger than image, same", args=(rng.normal(size=(3, 4)), rng.normal(size=(6, 5)), "same"))
    yield Case("kernel larger than image, full", args=(rng.normal(size=(2, 3)), rng.normal(size=(5, 4)), "full"))
    yield Case("1x1 kernel, same", args=(rng.normal(size=(4, 6)), np.array([[-2.5]]), "same"))
    yield Case("1x1 image, full", args=(np.array([[3.0]]), rng.normal(size=(3, 2)), "full"))
    yield Case("single row image, same", args=(rng.normal(size=(1, 12)), rng.normal(size=(1, 4)), "same"))
    yield Case("single column image, full", args=(rng.normal(size=(9, 1)), rng.normal(size=(3, 1)), "full"))
    yield Case("tall kernel on wide image, valid", args=(rng.normal(size=(6, 15)), rng.normal(size=(5, 2)), "valid"))
    for i in range(15):
        mode = MODES[i % 3]
        h, w = int(rng.integers(1, 26)), int(rng.integers(1, 26))
        if mode == "valid":
            kh, kw = int(rng.integers(1, h + 1)), int(rng.integers(1, w + 1))
        else:
            kh, kw = int(rng.integers(1, min(h + 3, 12))), int(rng.integers(1, min(w + 3, 12)))
        if i % 5 == 4:
            x, k = rng.integers(-20, 21, size=(h, w)), rng.integers(-5, 6, size=(kh, kw))
        else:
            x, k = rng.normal(size=(h, w)) * 10.0, rng.normal(size=(kh, kw))
        yield Case(f"random {i} {mode}", args=(x, k, mode))
