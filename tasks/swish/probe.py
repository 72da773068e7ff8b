"""How swish is called: each function runs with NumPy's overflow, invalid and divide warnings as errors.

Underflow to 0 is allowed. An implementation that overflows (for instance
``np.exp(-beta * x)`` at ``beta * x = -1000``) raises ``FloatingPointError`` here.
"""

import warnings
from types import ModuleType
from typing import Any

import numpy as np


def _strict(fn: Any, x: Any, beta: Any) -> Any:
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        with np.errstate(over="raise", invalid="raise", divide="raise", under="ignore"):
            return fn(x, beta)


def swish(impl: ModuleType, x: np.ndarray, beta: float) -> Any:
    return _strict(impl.swish, x, beta)


def swish_grad(impl: ModuleType, x: np.ndarray, beta: float) -> Any:
    return _strict(impl.swish_grad, x, beta)
