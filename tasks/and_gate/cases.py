"""Cases for and_gate: the answer is checked by a property, so one call suffices."""

from collections.abc import Iterator

import numpy as np

from grader.questions.case import Case


def cases(rng: np.random.Generator) -> Iterator[Case]:
    """The same call, once visible and once hidden; `rng` is not needed."""
    yield Case("AND weights", visible=True)
    yield Case("AND weights (hidden)")
