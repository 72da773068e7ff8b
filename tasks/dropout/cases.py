"""Cases for dropout: inverted dropout with the random numbers given."""

from collections.abc import Iterator

import numpy as np

from grader.questions.case import Case

_FWD, _BWD = "dropout_forward", "dropout_backward"


def cases(rng: np.random.Generator) -> Iterator[Case]:
    """Visible examples, edge cases (p = 0, p = 1, ties), then random cases."""
    x = np.array([1.0, 2.0, 3.0, 4.0])
    u = np.array([0.1, 0.6, 0.4, 0.9])
    yield Case("forward example", args=(x, 0.5, u), call=_FWD, visible=True)
    yield Case("backward example", args=(np.ones(4), 0.5, u), call=_BWD, visible=True)
    yield Case("forward 2x3, p=0.25", args=(np.array([[1.0, -2.0, 3.0], [-4.0, 5.0, -6.0]]), 0.25, np.array([[0.2, 0.5, 0.9], [0.3, 0.1, 0.7]])), call=_FWD)
    shape = (3, 5)
    yield Case("forward p=0 is identity", args=(rng.normal(size=shape), 0.0, rng.random(size=shape)), call=_FWD)
    yield Case("backward p=0 is identity", args=(rng.normal(size=shape), 0.0, rng.random(size=shape)), call=_BWD)
    yield Case("forward p=1 gives zeros", args=(rng.normal(size=shape), 1.0, rng.random(size=shape)), call=_FWD)
    yield Case("backward p=1 gives zeros", args=(rng.normal(size=shape), 1.0, rng.random(size=shape)), call=_BWD)
    ties = np.array([0.3, 0.3, 0.1, 0.7, 0.3, 0.29])
    yield Case("forward u equal to p is kept", args=(np.arange(1.0, 7.0), 0.3, ties), call=_FWD)
    yield Case("backward u equal to p is kept", args=(np.full(6, -2.0), 0.3, ties), call=_BWD)
    # Ties again, with drop rates and values that have no exact binary form.
    inexact = np.array([0.1, -0.7, 0.3, 1.0, 2.5, -0.3])
    yield Case("forward u equal to an inexact p is kept", args=(inexact, 0.7, np.array([0.7, 0.7, 0.1, 0.3, 0.9, 0.7])), call=_FWD)
    yield Case("backward u equal to an inexact p is kept", args=(inexact, 0.1, np.array([0.1, 0.05, 0.1, 0.0, 0.7, 0.1])), call=_BWD)
    yield Case("forward p=1 with inexact values", args=(inexact, 1.0, np.array([0.7, 0.1, 0.3, 0.99, 0.0, 0.5])), call=_FWD)
    yield Case("forward high drop rate", args=(rng.normal(size=(4, 4)), 0.9, rng.random(size=(4, 4))), call=_FWD)
    yield Case("forward 4-D activations", args=(rng.normal(size=(2, 3, 4, 4)), 0.5, rng.random(size=(2, 3, 4, 4))), call=_FWD)
    for i in range(12):
        ndim = int(rng.integers(1, 5))
        shape = tuple(int(s) for s in rng.integers(1, 9, size=ndim))
        p = float(rng.uniform(0.05, 0.95))
        call = _FWD if i % 2 == 0 else _BWD
        yield Case(f"random {i} {call.split('_')[1]}", args=(rng.normal(size=shape) * 3.0, p, rng.random(size=shape)), call=call)
