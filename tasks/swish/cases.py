"""Cases for swish: x * sigmoid(beta x) and its derivative, for several beta."""

from collections.abc import Iterator

import numpy as np

from grader.questions.case import Case

_CALLS = ("swish", "swish_grad")


def cases(rng: np.random.Generator) -> Iterator[Case]:
    """Visible examples, edge cases (beta = 0, large |x|, negative beta), then random cases."""
    small = np.array([-2.0, -1.0, 0.0, 1.0, 2.0])
    yield Case("swish example, beta=1", args=(small, 1.0), call="swish", visible=True)
    yield Case("swish_grad example, beta=1", args=(small, 1.0), call="swish_grad", visible=True)
    yield Case("swish example, beta=2", args=(small, 2.0), call="swish", visible=True)
    extreme = np.array([-1000.0, -750.0, -710.0, -40.0, -1e-9, 0.0, 1e-9, 40.0, 710.0, 750.0, 1000.0])
    for call in _CALLS:
        yield Case(f"{call} at +-1000, beta=1", args=(extreme, 1.0), call=call)
        yield Case(f"{call} at +-1000, beta=3", args=(extreme, 3.0), call=call)
        yield Case(f"{call} beta=0 (x / 2)", args=(rng.normal(size=7) * 3.0, 0.0), call=call)
        yield Case(f"{call} negative beta", args=(rng.normal(size=6) * 3.0, -1.5), call=call)
        yield Case(f"{call} of a 0-d array", args=(np.array(-2.5), 0.7), call=call)
        yield Case(f"{call} of a 3-D array", args=(rng.normal(size=(2, 3, 4)) * 4.0, 1.702), call=call)
    # The same edges with values that are not exactly representable.
    fractional = np.array([-1000.7, -745.1, -709.7, -36.7, -0.7, -0.1, 0.1, 0.7, 36.7, 709.7, 745.1, 1000.7])
    for call in _CALLS:
        yield Case(f"{call} at fractional extremes, larger beta", args=(fractional, 1.7), call=call)
        yield Case(f"{call} at fractional extremes, small beta", args=(fractional * 10.0, 0.1), call=call)
        yield Case(f"{call} beta=0, inexact values", args=(np.array([-0.7, -0.1, 0.1, 0.7]), 0.0), call=call)
        yield Case(f"{call} negative beta, inexact values", args=(np.array([-1000.7, -0.7, -0.1, 0.1, 0.7, 1000.7]), -0.7), call=call)
        yield Case(f"{call} of a 0-d array, inexact value", args=(np.array(0.1), 0.7), call=call)
    yield Case("swish_grad, large negative only", args=(np.array([-1000.0, -800.0, -100.0]), 1.0), call="swish_grad")
    for i in range(14):
        call = _CALLS[i % 2]
        shape = tuple(int(s) for s in rng.integers(1, 9, size=int(rng.integers(1, 4))))
        beta = float(rng.uniform(0.1, 5.0))
        scale = float(rng.choice([1.0, 4.0, 20.0, 200.0]))
        yield Case(f"random {i} {call}", args=(rng.normal(size=shape) * scale, beta), call=call)
