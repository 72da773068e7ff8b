"""Cases for sigmoid: the logistic function, its base-2 approximation, and their derivatives."""

from collections.abc import Iterator

import numpy as np

from grader.questions.case import Case

_CALLS = ("sigmoid", "sigmoid_grad", "sigmoid_approx", "sigmoid_approx_grad")


def cases(rng: np.random.Generator) -> Iterator[Case]:
    """Visible examples, then large inputs, special shapes and random cases for each function."""
    small = np.array([-2.0, -1.0, 0.0, 1.0, 2.0])
    for call in _CALLS:
        yield Case(f"{call} example", args=(small,), call=call, visible=True)
    extreme = np.array([-1000.0, -800.0, -746.0, -710.0, -40.0, 0.0, 40.0, 710.0, 746.0, 800.0, 1000.0])
    for call in _CALLS:
        yield Case(f"{call} at +-1000", args=(extreme,), call=call)
        yield Case(f"{call} of a 0-d array", args=(np.array(-3.5),), call=call)
        yield Case(f"{call} of a 2-D array", args=(rng.normal(size=(3, 4)) * 5.0,), call=call)
    # The same edges with values that are not exactly representable.
    fractional = np.array([-1000.7, -745.1, -709.7, -36.7, -0.7, -0.1, 0.1, 0.7, 36.7, 709.7, 745.1, 1000.7])
    for call in _CALLS:
        yield Case(f"{call} at fractional extremes", args=(fractional,), call=call)
        yield Case(f"{call} of a 0-d array, inexact value", args=(np.array(0.7),), call=call)
    yield Case("sigmoid near 0", args=(np.array([-1e-12, -1e-8, 0.0, 1e-8, 1e-12]),), call="sigmoid")
    yield Case("sigmoid_approx_grad near 0", args=(np.array([-1e-6, 0.0, 1e-6]),), call="sigmoid_approx_grad")
    yield Case("sigmoid_grad, large negative only", args=(np.array([-1000.0, -500.0, -100.0]),), call="sigmoid_grad")
    yield Case("sigmoid_approx, large negative only", args=(np.array([-1000.0, -711.0, -700.0]),), call="sigmoid_approx")
    for i in range(16):
        call = _CALLS[i % 4]
        shape = tuple(int(s) for s in rng.integers(1, 9, size=int(rng.integers(1, 4))))
        scale = float(rng.choice([1.0, 5.0, 30.0, 300.0]))
        yield Case(f"random {i} {call}", args=(rng.normal(size=shape) * scale,), call=call)
