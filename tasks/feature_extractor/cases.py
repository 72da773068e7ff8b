"""Cases for feature_extractor: N x 512 features of a seeded ResNet-style model."""

from collections.abc import Iterator

import numpy as np

from grader.questions.case import Case

_F = "features"


def cases(rng: np.random.Generator) -> Iterator[Case]:
    """Visible examples, the question's setting, edge cases, then random cases."""
    yield Case("batch of 2, 16x16", args=(21, 2, 16, 16), call=_F, visible=True)
    yield Case("batch of 4, 24x24", args=(22, 4, 24, 24), call=_F, visible=True)
    # The question: features of a batch of images from the pretrained ResNet's bottom.
    yield Case("question: batch of 8, 32x32", args=(23, 8, 32, 32), call=_F)
    yield Case("batch of one image", args=(24, 1, 16, 16), call=_F)
    yield Case("batch of one large image", args=(25, 1, 48, 40), call=_F)
    yield Case("non-square images", args=(26, 3, 10, 30), call=_F)
    yield Case("smallest images (1x1 before pooling)", args=(27, 2, 8, 8), call=_F)
    yield Case("larger batch", args=(28, 16, 12, 12), call=_F)
    for i in range(10):
        seed = int(rng.integers(0, 2**31 - 1))
        n, h, w = int(rng.integers(1, 7)), int(rng.integers(8, 41)), int(rng.integers(8, 41))
        yield Case(f"random {i}", args=(seed, n, h, w), call=_F)
