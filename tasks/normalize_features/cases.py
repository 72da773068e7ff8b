"""Cases for normalize_features: per-column min-max and z-score, per-row unit length."""

from collections.abc import Iterator

import numpy as np

from grader.questions.case import Case

_MM, _STD, _UNIT = "min_max_scale", "standardize", "unit_length"
_ALL = (_MM, _STD, _UNIT)


def cases(rng: np.random.Generator) -> Iterator[Case]:
    """Visible examples, worked numbers, edge cases, then random cases for each function."""
    X = np.array([[1.0, 200.0, 5.0], [2.0, 300.0, 5.0], [3.0, 700.0, 5.0]])
    yield Case("min-max example", args=(X,), call=_MM, visible=True)
    yield Case("standardize example", args=(X,), call=_STD, visible=True)
    yield Case("unit length example", args=(np.array([[3.0, 4.0], [0.0, 0.0], [1.0, -1.0]]),), call=_UNIT, visible=True)
    # Worked numbers: age (years), income (thousands) and height (m) of five people.
    people = np.array([[25.0, 40.0, 1.62], [32.0, 85.0, 1.80], [47.0, 62.0, 1.75], [51.0, 120.0, 1.68], [38.0, 55.0, 1.91]])
    for call in _ALL:
        yield Case(f"worked example, {call}", args=(people,), call=call)
    const = rng.normal(size=(6, 4)) * 3.0
    const[:, 2] = -2.5
    yield Case("constant column gives zeros, min-max", args=(const,), call=_MM)
    yield Case("constant column gives zeros, standardize", args=(const,), call=_STD)
    # Constant columns of values with no exact binary form (0.1, 0.7, 0.3): their float mean
    # is not the value itself, so the std is a tiny non-zero number, not 0.
    inexact = rng.normal(size=(7, 4)) * 2.0
    inexact[:, 1], inexact[:, 3] = 0.1, 0.7
    yield Case("constant columns of inexact values, standardize", args=(inexact,), call=_STD)
    yield Case("constant columns of inexact values, min-max", args=(inexact,), call=_MM)
    tenths = rng.normal(size=(10, 3))
    tenths[:, 0] = 0.3
    yield Case("constant column of another inexact value, standardize", args=(tenths,), call=_STD)
    yield Case("every column constant and inexact, standardize", args=(np.tile([0.1, 0.7, 0.3], (6, 1)),), call=_STD)
    row = rng.normal(size=(1, 5))
    yield Case("single row, min-max gives zeros", args=(row,), call=_MM)
    yield Case("single row, standardize gives zeros", args=(row,), call=_STD)
    yield Case("single row, unit length", args=(row,), call=_UNIT)
    col = rng.normal(size=(7, 1)) * 4.0
    yield Case("single column, min-max", args=(col,), call=_MM)
    yield Case("single column, standardize", args=(col,), call=_STD)
    yield Case("single column, unit length gives signs", args=(col,), call=_UNIT)
    zero_rows = rng.normal(size=(5, 3))
    zero_rows[[1, 3]] = 0.0
    yield Case("zero rows stay zero", args=(zero_rows,), call=_UNIT)
    yield Case("zero row among inexact values", args=(np.array([[0.1, 0.7], [0.0, 0.0], [0.3, -0.1]]),), call=_UNIT)
    for call in _ALL:
        yield Case(f"all-zero matrix, {call}", args=(np.zeros((3, 4)),), call=call)
    yield Case("negative values, min-max", args=(-np.abs(rng.normal(size=(4, 3))) * 10.0,), call=_MM)
    yield Case("non-square wide matrix, standardize", args=(rng.normal(size=(3, 8)) * 5.0 + 2.0,), call=_STD)
    yield Case("non-square tall matrix, unit length", args=(rng.normal(size=(9, 3)),), call=_UNIT)
    yield Case("two rows, standardize gives plus and minus one", args=(np.array([[1.0, 10.0], [3.0, -10.0]]),), call=_STD)
    for i in range(15):
        call = _ALL[i % 3]
        n, d = int(rng.integers(1, 60)), int(rng.integers(1, 20))
        X = rng.normal(size=(n, d)) * rng.uniform(0.1, 100.0, size=d) + rng.normal(size=d) * 10.0
        if i % 4 == 1 and call != _UNIT:
            # a constant column: a half-integer, or a value with no exact binary form
            X[:, int(rng.integers(0, d))] = float(rng.choice([float(rng.integers(-8, 9)) / 2.0, 0.1, 0.7, 0.3]))
        if i % 4 == 2 and call == _UNIT:
            X[int(rng.integers(0, n))] = 0.0  # a zero row
        yield Case(f"random {i} {call}", args=(X,), call=call)
