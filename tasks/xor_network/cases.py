"""Cases for xor_network: the answer is checked by a property, so one call suffices."""

from collections.abc import Iterator

import numpy as np

from grader.questions.case import Case


def cases(rng: np.random.Generator) -> Iterator[Case]:
    """The same call, once visible and once hidden; `rng` is not needed."""
    yield Case("XOR network", visible=True)
    yield Case("XOR network (hidden)")
