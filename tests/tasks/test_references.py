"""Checks of the first questions under tasks/ (convolutions, dropout, and_gate,
tanh_autograd, distances_torch): the catalogue's declarations, and the reference
against the library function the catalogue names, case by case.

What every coding question gets alike (question.yml, cases, solutions run in
process) is in test_bank_cases.py.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
import scipy.signal
import torch

from grader.questions.case import Case
from tests.tasks.bank_support import (
    CONV_FORBIDDEN,
    TASKS,
    agrees,
    close,
    load_module,
    question,
    reference_matches,
    tolerances,
)

QUESTIONS = [
    "conv1d_full",
    "correlate1d_full",
    "conv2d_valid",
    "dropout",
    "and_gate",
    "tanh_autograd",
    "distances_torch",
]
FORBIDDEN = {
    "conv1d_full": CONV_FORBIDDEN,
    "correlate1d_full": CONV_FORBIDDEN,
    "conv2d_valid": CONV_FORBIDDEN,
    "dropout": [],
    "and_gate": [],
    "tanh_autograd": ["torch.tanh", "torch.nn.functional.tanh", "torch.Tensor.tanh"],
    "distances_torch": ["scipy", "torch.cdist"],
}


# --- the library functions the catalogue names ---------------------------------------


def _dropout(values: np.ndarray, p: float, u: np.ndarray) -> np.ndarray:
    """Inverted dropout by its formula: keep u >= p, scale 1 / (1 - p); zeros for p = 1."""
    return np.zeros_like(values, dtype=float) if p == 1 else values * (u >= p) / (1 - p)


def _tanh_kind(x: torch.Tensor) -> dict[str, Any]:
    """The probe's record for a correct TanhFunction applied to `x`."""
    return {
        "is_autograd_function": True, "defines_backward": True, "output_type": "Tensor",
        "output_dtype": str(x.dtype), "output_requires_grad": True, "grad_from_function": True,
    }


def _torch_tanh(x: torch.Tensor, grad: torch.Tensor) -> dict[str, Any]:
    """torch.tanh and its autograd gradient."""
    leaf = x.detach().clone().requires_grad_(True)
    y = torch.tanh(leaf)
    y.backward(grad)
    assert leaf.grad is not None
    return {"y": y.detach(), "dx": leaf.grad, "kind": _tanh_kind(x)}


def _torch_tanh_jacobian(x: torch.Tensor) -> dict[str, Any]:
    """torch.tanh at float64 and its Jacobian by torch.autograd.functional (rows: outputs)."""
    x = x.detach().to(torch.float64)
    jac = torch.autograd.functional.jacobian(torch.tanh, x).reshape(x.numel(), x.numel())
    return {"y": torch.tanh(x), "jacobian": jac, "kind": _tanh_kind(x)}


def _cdist(x1: torch.Tensor, x2: torch.Tensor, p: float) -> torch.Tensor:
    """torch.cdist without the matrix-product shortcut."""
    return torch.cdist(x1, x2, p=p, compute_mode="donot_use_mm_for_euclid_dist")


ORACLES: dict[str, dict[str, Callable[..., Any]]] = {
    "conv1d_full": {"conv1d": lambda a, v: np.convolve(a, v, "full")},
    "correlate1d_full": {"correlate1d": lambda a, v: np.correlate(a, v, "full")},
    "conv2d_valid": {"conv2d_valid": lambda x, k: scipy.signal.convolve2d(x, k, mode="valid")},
    "dropout": {"dropout_forward": _dropout, "dropout_backward": _dropout},
    "and_gate": {"and_gate_params": lambda: (1.0, 1.0, -1.5)},
    "tanh_autograd": {
        "forward_backward": _torch_tanh,
        "jacobian": _torch_tanh_jacobian,
    },
    "distances_torch": {
        "manhattan": lambda x1, x2: _cdist(x1[None], x2[None], 1.0)[0, 0],
        "euclidean": lambda x1, x2: _cdist(x1[None], x2[None], 2.0)[0, 0],
        "pairwise_manhattan": lambda a, b: _cdist(a, b, 1.0),
    },
}


# --- tests ---------------------------------------------------------------------------


@pytest.mark.parametrize("qid", QUESTIONS)
def test_catalogue(qid: str) -> None:
    assert question(qid)["forbidden"] == FORBIDDEN[qid]


@pytest.mark.parametrize("qid", QUESTIONS)
def test_reference_matches_library(qid: str) -> None:
    def same(case: Case, actual: Any, expected: Any) -> bool:
        if qid in ("and_gate", "tanh_autograd"):  # judged by the question's trusted checks.py
            return agrees(qid, case, actual, expected)
        return close(actual, expected, *tolerances(qid))

    reference_matches(qid, ORACLES[qid], same)


def test_and_gate_property_is_defensive() -> None:
    check = load_module(TASKS / "and_gate" / "checks.py").reproduces_and
    good = [(1.0, 1.0, -1.5), [2, 2, -3], np.array([1.0, 1.0, -1.5]), (np.float32(1), np.int64(1), -1.5)]
    for answer in good:
        assert check(answer, inputs=(), expected=None, margin=1e-3) is None
    bad: list[Any] = [None, "abc", "1.0", 3.0, (1.0, 1.0), (1.0, 1.0, -1.5, 0.0), (float("nan"), 1.0, -1.5),
           (1.0, 1.0, "x"), (1.0, 1.0, None), object(), {"w1": 1}, (1e308, 1e308, -1.5),
           (float("inf"), 1.0, -1.5), (1.0, 1.0, -1.0), (1.0, 1.0, -0.5), (1.0, 1.0, -2.0 + 1e-4),
           np.array([[1.0, 1.0, -1.5]]), (1 + 2j, 1.0, -1.5), iter(())]
    for answer in bad:
        message = check(answer, inputs=(), expected=None, margin=1e-3)
        assert isinstance(message, str) and message, repr(answer)
