"""The trusted checks of the probe questions (tasks/*/checks.py) judge the probe's data.

The probes of tanh_autograd and finetune_head return data only (values, gradients,
records of types); these checks decide. Each requirement of the prompt, broken in
the data alone, fails with a message that says which one.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from grader.grading.checkers import CheckResult
from sandbox.tensor_value import TensorValue
from tests.tasks.bank_support import TASKS, load_module

TANH = load_module(TASKS / "tanh_autograd" / "checks.py")
FINETUNE = load_module(TASKS / "finetune_head" / "checks.py")


def _t(values: Any) -> TensorValue:
    return TensorValue(np.asarray(values, dtype=float))


def _verdict(result: CheckResult | str | None) -> tuple[bool, str]:
    if isinstance(result, CheckResult):
        return result.ok, result.message
    return result is None, result or ""


# --- tanh_autograd ---------------------------------------------------------------------

RECORD = {
    "is_autograd_function": True, "defines_backward": True, "output_type": "Tensor",
    "output_dtype": "torch.float64", "output_requires_grad": True, "grad_from_function": True,
}
TANH_EXPECTED = {"y": _t([0.5, -0.1]), "dx": _t([0.75, 0.99]), "kind": RECORD}

TANH_CASES = [
    # (id, change to the candidate's data, words the message must contain; "" when it passes)
    ("the reference's own data", {}, ""),
    ("a plain class", {"kind": {**RECORD, "is_autograd_function": False, "defines_backward": False,
                                "grad_from_function": False}}, "subclass of torch.autograd.Function"),
    ("no backward of its own", {"kind": {**RECORD, "defines_backward": False}}, "define its own backward"),
    ("apply returns an array", {"kind": {**RECORD, "output_type": "numpy.ndarray"}}, "must return a torch.Tensor"),
    ("output detached", {"kind": {**RECORD, "output_requires_grad": False}}, "does not require grad"),
    ("output made elsewhere", {"kind": {**RECORD, "grad_from_function": False}}, "TanhFunction's own backward"),
    ("float32 output", {"kind": {**RECORD, "output_dtype": "torch.float32"}},
     "expected torch.float64, got torch.float32"),
    ("wrong gradient", {"dx": _t([0.75, 0.5])}, "at dx: 1 of 2 values differ"),
    ("no gradient reached the input", {"dx": None}, "at dx: expected a tensor"),
    ("a verdict instead of data", True, "unexpected keys"),
    ("no record", {"kind": None}, "record of types is missing"),
]


@pytest.mark.parametrize("case", TANH_CASES, ids=[c[0] for c in TANH_CASES])
def test_tanh_checks_judge_the_record_then_the_values(case: tuple[str, Any, str]) -> None:
    _, change, words = case
    actual = change if not isinstance(change, dict) else {**TANH_EXPECTED, **change}
    ok, message = _verdict(TANH.autograd_function(actual, inputs=(), expected=TANH_EXPECTED, rtol=1e-4, atol=1e-6))
    assert ok is (words == ""), message
    assert words in message


# --- finetune_head ---------------------------------------------------------------------

PARAMS = {"conv1.weight": False, "bn1.weight": False, "fc.weight": True, "fc.bias": True}
KEPT = {"conv1.weight": _t(np.arange(6.0)), "bn1.running_mean": _t([0.1, 0.7])}
HEAD = _t([[0.2, -0.4, 1.1], [0.3, 0.0, -2.0]])
FINETUNE_EXPECTED = {
    "output": _t(np.zeros((2, 3))), "head_on_features": _t(np.ones((2, 3))), "requires_grad": PARAMS,
    "kept": KEPT, "head_type": "Linear", "head_is_linear": True, "head_has_bias": True,
}
FINETUNE_GOOD = {**FINETUNE_EXPECTED, "output": HEAD, "head_on_features": HEAD.copy()}

FINETUNE_CASES = [
    ("another random head, consistent", {}, ""),
    ("backbone trainable", {"requires_grad": {**PARAMS, "conv1.weight": True}}, "must be frozen"),
    ("head frozen", {"requires_grad": {**PARAMS, "fc.bias": False}}, "new head must be trainable"),
    ("a parameter gone", {"requires_grad": {k: v for k, v in PARAMS.items() if k != "bn1.weight"}}, "missing"),
    ("a statistic changed", {"kept": {**KEPT, "bn1.running_mean": _t([0.0, 0.0])}}, "must not change"),
    ("a weight gone", {"kept": {**KEPT, "conv1.weight": None}}, "at conv1.weight: expected a tensor"),
    ("a head of another type", {"head_type": "Sequential", "head_is_linear": False}, "nn.Linear with a bias"),
    ("a head without bias", {"head_has_bias": False}, "nn.Linear with a bias"),
    ("too many classes", {"output": _t(np.zeros((2, 1000))), "head_on_features": _t(np.zeros((2, 1000)))},
     "shape (2, 3)"),
    ("output not the head on the features", {"head_on_features": HEAD + 1.0}, "not the new fc applied"),
    ("a verdict instead of data", True, "unexpected keys"),
]


@pytest.mark.parametrize("case", FINETUNE_CASES, ids=[c[0] for c in FINETUNE_CASES])
def test_finetune_checks_judge_the_adapted_model(case: tuple[str, Any, str]) -> None:
    _, change, words = case
    actual = change if not isinstance(change, dict) else {**FINETUNE_GOOD, **change}
    result = FINETUNE.adapted_model(actual, inputs=(), expected=FINETUNE_EXPECTED, rtol=1e-4, atol=1e-6)
    ok, message = _verdict(result)
    assert ok is (words == ""), message
    assert words in message
