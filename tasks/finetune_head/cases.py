"""Cases for finetune_head: a seeded ResNet-style model adapted to a number of classes."""

from collections.abc import Iterator

import numpy as np

from grader.questions.case import Case

_A = "adapt"


def cases(rng: np.random.Generator) -> Iterator[Case]:
    """Visible examples, the question's two-class setting, edge cases, random cases."""
    yield Case("2 classes, batch of 2", args=(11, 2, 2, 16, 16), call=_A, visible=True)
    yield Case("10 classes, batch of 4", args=(12, 10, 4, 16, 16), call=_A, visible=True)
    # The question: a pretrained ResNet re-purposed for two classes (ants and bees).
    yield Case("question: ants and bees, 2 classes", args=(13, 2, 8, 32, 32), call=_A)
    yield Case("one output class", args=(14, 1, 3, 16, 16), call=_A)
    yield Case("1000 classes again (a new head all the same)", args=(15, 1000, 2, 16, 16), call=_A)
    yield Case("batch of one image", args=(16, 5, 1, 16, 16), call=_A)
    yield Case("non-square images", args=(17, 7, 2, 12, 28), call=_A)
    yield Case("smallest images", args=(18, 3, 2, 8, 8), call=_A)
    yield Case("more classes than features", args=(19, 600, 2, 16, 16), call=_A)
    for i in range(10):
        seed = int(rng.integers(0, 2**31 - 1))
        classes = int(rng.integers(1, 200))
        n, h, w = int(rng.integers(1, 6)), int(rng.integers(8, 33)), int(rng.integers(8, 33))
        yield Case(f"random {i}", args=(seed, classes, n, h, w), call=_A)
