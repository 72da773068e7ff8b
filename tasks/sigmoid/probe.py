"""How sigmoid is called: each function runs with NumPy's overflow, invalid and divide warnings as errors.

Underflow to 0 is allowed. An implementation that overflows (for instance
``np.exp(-x)`` at ``x = -1000``) raises ``FloatingPointError`` here.
"""

import warnings
from types import ModuleType
from typing import Any

import numpy as np


def _strict(fn: Any, x: Any) -> Any:
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        with np.errstate(over="raise", invalid="raise", divide="raise", under="ignore"):
            return fn(x)


def sigmoid(impl: ModuleType, x: np.ndarray) -> Any:
    return _strict(impl.sigmoid, x)


def sigmoid_grad(impl: ModuleType, x: np.ndarray) -> Any:
    return _strict(impl.sigmoid_grad, x)


def sigmoid_approx(impl: ModuleType, x: np.ndarray) -> Any:
    return _strict(impl.sigmoid_approx, x)


def sigmoid_approx_grad(impl: ModuleType, x: np.ndarray) -> Any:
    return _strict(impl.sigmoid_approx_grad, x)
