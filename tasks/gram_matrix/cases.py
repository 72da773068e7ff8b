"""Cases for gram_matrix: normalised Gram matrices and cosine similarities."""

from collections.abc import Iterator

import numpy as np

from grader.questions.case import Case

_G, _C = "gram_matrix", "cosine_similarity"


def cases(rng: np.random.Generator) -> Iterator[Case]:
    """Visible examples, the worked example, edge cases, then random cases."""
    yield Case("gram 2x2x3 example", args=(np.arange(12.0).reshape(2, 2, 3),), call=_G, visible=True)
    yield Case("cosine example", args=(np.array([1.0, 0.0, 1.0]), np.array([1.0, 1.0, 0.0])), call=_C, visible=True)
    yield Case("cosine zero vector raises (visible)", args=(np.array([0.0, 0.0]), np.array([1.0, 2.0])), call=_C, visible=True, raises="ValueError")
    # The question's setting: a small stack of feature maps, channel by channel.
    yield Case("gram 3x2x2 worked", args=(np.array([[[1.0, 2.0], [3.0, 4.0]], [[0.0, 1.0], [1.0, 0.0]], [[-1.0, 0.5], [2.0, -3.0]]]),), call=_G)
    yield Case("gram one channel", args=(rng.normal(size=(1, 4, 5)),), call=_G)
    yield Case("gram 1x1 spatial", args=(rng.normal(size=(6, 1, 1)),), call=_G)
    yield Case("gram single value", args=(np.array([[[3.0]]]),), call=_G)
    yield Case("gram all zeros", args=(np.zeros((3, 4, 4)),), call=_G)
    yield Case("gram non-square spatial", args=(rng.normal(size=(4, 2, 7)),), call=_G)
    yield Case("gram one row of pixels", args=(rng.normal(size=(5, 1, 9)),), call=_G)
    yield Case("gram non-negative activations", args=(np.maximum(rng.normal(size=(8, 6, 6)), 0.0),), call=_G)
    yield Case("cosine parallel", args=(np.array([1.0, 2.0, 3.0]), np.array([2.0, 4.0, 6.0])), call=_C)
    yield Case("cosine opposite", args=(np.array([1.0, -2.0, 0.5]), np.array([-3.0, 6.0, -1.5])), call=_C)
    yield Case("cosine orthogonal", args=(np.array([1.0, 2.0, 0.0]), np.array([-2.0, 1.0, 5.0])), call=_C)
    yield Case("cosine length 1", args=(np.array([-2.5]), np.array([4.0])), call=_C)
    yield Case("cosine integer input", args=(np.array([3, -1, 2, 7]), np.array([1, 5, -2, 4])), call=_C)
    yield Case("cosine same vector", args=(np.array([0.3, -0.7, 1.1, 2.0]), np.array([0.3, -0.7, 1.1, 2.0])), call=_C)
    yield Case("cosine first vector zero", args=(np.zeros(4), rng.normal(size=4)), call=_C, raises="ValueError")
    yield Case("cosine second vector zero", args=(rng.normal(size=5), np.zeros(5)), call=_C, raises="ValueError")
    yield Case("cosine both vectors zero", args=(np.zeros(3), np.zeros(3)), call=_C, raises="ValueError")
    # Values with no exact binary form: a non-zero vector whose entries sum to 0 is not the zero vector.
    yield Case("cosine of a non-zero vector summing to zero", args=(np.array([0.1, -0.1, 0.7, -0.7]), np.array([0.3, 0.1, 0.7, 0.3])), call=_C)
    yield Case("cosine zero vector beside inexact values", args=(np.array([0.1, 0.7, 0.3]), np.zeros(3)), call=_C, raises="ValueError")
    yield Case("cosine large scale", args=(rng.normal(size=8) * 1e6, rng.normal(size=8) * 1e-3), call=_C)
    for i in range(12):
        if i % 3 == 2:
            n = int(rng.integers(1, 300))
            u, v = rng.normal(size=n) * float(rng.uniform(0.1, 10.0)), rng.normal(size=n)
            yield Case(f"random {i} cosine", args=(u, v), call=_C)
        else:
            shape = (int(rng.integers(1, 17)), int(rng.integers(1, 13)), int(rng.integers(1, 13)))
            yield Case(f"random {i} gram", args=(rng.normal(size=shape) * float(rng.uniform(0.1, 5.0)),), call=_G)
