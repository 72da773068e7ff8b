"""Checks of the neural-network questions (group nn) under tasks/: the catalogue's
declarations, and the reference against an independent computation.

For each question the reference agrees with an independent computation (torch
autograd, torch.nn.functional, scipy.special, or the formula written another way) at
the catalogue's tolerance, and the property checkers are defensive. What every
coding question gets alike (question.yml, cases, solutions run in process) is in
test_bank_cases.py.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from types import ModuleType
from typing import Any

import numpy as np
import pytest
import scipy.special
import torch
import torch.nn.functional as F

from grader.questions.case import Case
from tests.tasks.bank_support import (
    FLOAT64_TOLERANCE,
    TASKS,
    agrees,
    close,
    invoke,
    load_module,
    make_cases,
    optional,
    plain,
    question,
    reference_matches,
)

QUESTIONS = [
    "two_layer_net",
    "mlp_forward",
    "perceptron_output",
    "xor_network",
    "sigmoid",
    "swish",
    "residual_block",
]
FORBIDDEN: dict[str, list[str]] = {
    "two_layer_net": ["torch"],
    "mlp_forward": [],
    "perceptron_output": [],
    "xor_network": [],
    "sigmoid": [],
    "swish": [],
    "residual_block": [],
}
RTOL, ATOL = FLOAT64_TOLERANCE


# --- independent computations (the library functions the catalogue names) ------------


def _t(a: Any) -> torch.Tensor:
    """A float64 leaf tensor that records gradients."""
    return torch.tensor(np.asarray(a, dtype=float), dtype=torch.float64, requires_grad=True)


def _two_layer(X: Any, W1: Any, b1: Any, W2: Any, b2: Any, dscores: Any = None) -> Any:
    """Scores by torch, or (with dscores) the autograd gradients of sum(scores * dscores)."""
    ts = [_t(a) for a in (X, W1, b1, W2, b2)]
    scores = F.linear(F.relu(ts[0] @ ts[1] + ts[2]), ts[3].T, ts[4])
    if dscores is None:
        return scores.detach()
    scores.backward(torch.tensor(dscores, dtype=torch.float64))
    return {k: t.grad for k, t in zip(("dX", "dW1", "db1", "dW2", "db2"), ts, strict=True)}


def _mlp(x: Any, W: Any, b: Any, W1: Any, b1: Any, y: Any) -> dict[str, Any]:
    """The MLP with torch.nn.functional: linear, relu, softmax, cross_entropy with a probability target."""
    tx, tW, tb, tW1, tb1, ty = (torch.tensor(a, dtype=torch.float64) for a in (x, W, b, W1, b1, y))
    hidden = F.relu(F.linear(tx, tW, tb))
    logits = F.linear(hidden, tW1, tb1)
    loss = F.cross_entropy(logits[None], ty[None])
    return {"hidden": hidden, "logits": logits, "probs": F.softmax(logits, dim=0), "loss": float(loss)}


def _perceptron(x: Any, w: Any, b: Any) -> tuple[float, int]:
    """z by an exactly rounded sum, y by np.heaviside with value 0 at 0."""
    z = math.fsum(float(wi) * float(xi) for wi, xi in zip(np.ravel(w), np.ravel(x), strict=True)) + float(b)
    return z, int(np.heaviside(z, 0.0))


def _xor_reference_truth() -> dict[str, Any]:
    """The reference network evaluated with torch.heaviside, compared with XOR on all four inputs."""
    net = load_module(TASKS / "xor_network" / "reference.py").xor_network()
    W1, b1, W2 = (torch.tensor(np.asarray(net[k], dtype=float)) for k in ("W1", "b1", "W2"))
    b2 = float(net["b2"])
    zero = torch.tensor(0.0, dtype=torch.float64)
    for x1 in (0, 1):
        for x2 in (0, 1):
            h = torch.heaviside(W1 @ torch.tensor([float(x1), float(x2)], dtype=torch.float64) + b1, zero)
            y = torch.heaviside(W2 @ h + b2, zero)
            assert int(y) == (x1 ^ x2), (x1, x2)
    return net


def _autograd(fn: Callable[[torch.Tensor], torch.Tensor], x: Any) -> torch.Tensor:
    """Element-wise derivative of `fn` at `x` by autograd (float64)."""
    leaf = _t(x)
    fn(leaf).sum().backward()
    assert leaf.grad is not None
    return leaf.grad


K_APPROX = 1.44 * math.log(2.0)  # 2^(-1.44 x) = e^(-K x)


def _swish_grad(x: Any, beta: float) -> torch.Tensor:
    return _autograd(lambda t: t * torch.sigmoid(beta * t), x)


def _swish(x: Any, beta: float) -> torch.Tensor:
    t = torch.tensor(np.asarray(x, dtype=float), dtype=torch.float64)
    return F.silu(t) if beta == 1.0 else t * torch.sigmoid(beta * t)


def _residual(x: Any, W1: Any, b1: Any, W2: Any, b2: Any) -> torch.Tensor:
    tx, tW1, tb1, tW2, tb2 = (torch.tensor(np.asarray(a, dtype=float), dtype=torch.float64) for a in (x, W1, b1, W2, b2))
    return F.relu(tx + F.linear(F.relu(F.linear(tx, tW1, tb1)), tW2, tb2))


ORACLES: dict[str, dict[str, Callable[..., Any]]] = {
    "two_layer_net": {"two_layer_forward": _two_layer, "two_layer_backward": _two_layer},
    "mlp_forward": {"mlp_forward": _mlp},
    "perceptron_output": {"perceptron": _perceptron},
    "xor_network": {"xor_network": _xor_reference_truth},
    "sigmoid": {
        "sigmoid": lambda x: scipy.special.expit(x),
        "sigmoid_grad": lambda x: _autograd(torch.sigmoid, x),
        "sigmoid_approx": lambda x: scipy.special.expit(K_APPROX * x),
        "sigmoid_approx_grad": lambda x: _autograd(lambda t: torch.sigmoid(K_APPROX * t), x),
    },
    "swish": {"swish": _swish, "swish_grad": _swish_grad},
    "residual_block": {"residual_forward": _residual},
}


# --- tests ---------------------------------------------------------------------------


@pytest.mark.parametrize("qid", QUESTIONS)
def test_catalogue(qid: str) -> None:
    q = question(qid)
    assert q["forbidden"] == FORBIDDEN[qid]
    assert q["uses_torch"] is False and q["keep_device"] is False
    checker = q["checker"]
    if checker["name"] == "allclose":
        assert (checker["rtol"], checker["atol"]) == (RTOL, ATOL)
    else:
        assert checker["name"] == "property"  # its function is checked in test_bank_cases.py


@pytest.mark.parametrize("qid", QUESTIONS)
def test_reference_matches_library(qid: str) -> None:
    checker = question(qid)["checker"]["name"]

    def same(case: Case, actual: Any, expected: Any) -> bool:
        if checker == "property":
            return agrees(qid, case, actual, expected)
        return close(actual, expected, RTOL, ATOL, kinds="iuf")

    reference_matches(qid, ORACLES[qid], same)


def test_reference_outputs_are_finite() -> None:
    for qid in ("two_layer_net", "mlp_forward", "sigmoid", "swish", "residual_block"):
        reference = load_module(TASKS / qid / "reference.py")
        for case in make_cases(qid):
            values = plain(invoke(qid, reference, case))
            leaves = values.values() if isinstance(values, dict) else [values]
            assert all(np.all(np.isfinite(v)) for v in leaves), (qid, case.name)


def test_two_layer_net_zero_preactivation_case_exercises_relu_at_zero() -> None:
    case = next(c for c in make_cases("two_layer_net") if "exactly 0 gives 0 gradient" in c.name)
    X, W1, b1 = case.args[:3]
    assert np.any(X @ W1 + b1 == 0.0)


def test_mlp_large_logit_cases_overflow_naively() -> None:
    reference = load_module(TASKS / "mlp_forward" / "reference.py")
    for case in make_cases("mlp_forward"):
        if "logits near" in case.name:
            logits = reference.mlp_forward(*case.args)["logits"]
            with np.errstate(all="ignore"):
                naive = np.exp(logits) / np.exp(logits).sum()
            assert not np.all(np.isfinite(naive)), case.name


def test_perceptron_property_is_defensive() -> None:
    check = load_module(TASKS / "perceptron_output" / "checks.py").z_close_y_exact
    expected = (0.5, 1)
    good = [(0.5, 1), [0.5, 1], (np.float64(0.5), np.int64(1)), (np.array(0.5), np.array(1)), (1 / 2, 1), (0.5 + 1e-12, 1)]
    for answer in good:
        assert check(answer, inputs=(), expected=expected) is None, repr(answer)
    bad: list[Any] = [None, "0.5, 1", 0.5, (0.5,), (0.5, 1, 0), (0.5, 1.0), (0.5, True), (0.5, np.array(True)), (0.5, 0),
           (0.6, 1), (float("nan"), 1), (float("inf"), 1), ("0.5", 1), (None, 1), (0.5, None), (0.5, "1"),
           {"z": 0.5, "y": 1}, (np.array([0.5]), 1), (0.5, np.array([1])), (True, 1), (1 + 2j, 1), object()]
    for answer in bad:
        message = check(answer, inputs=(), expected=expected)
        assert isinstance(message, str) and message, repr(answer)
    assert check((0.0, 0), inputs=(), expected=(0.0, 0)) is None
    assert check((-1e-10, 0), inputs=(), expected=(0.0, 0)) is None


def test_xor_property_is_defensive() -> None:
    check = load_module(TASKS / "xor_network" / "checks.py").computes_xor
    ok = {"W1": [[1, 1], [-1, -1]], "b1": [-0.5, 1.5], "W2": [1, 1], "b2": -1.5}
    assert check(ok, inputs=(), expected=None, margin=1e-3) is None
    assert check({**ok, "b2": np.array(-1.5)}, inputs=(), expected=None, margin=1e-3) is None
    assert check({**ok, "b2": [-1.5]}, inputs=(), expected=None, margin=1e-3) is None
    assert check({k: np.asarray(v, dtype=np.float32) for k, v in ok.items()}, inputs=(), expected=None, margin=1e-3) is None
    bad: list[Any] = [
        None, "W1", [1, 2, 3], (ok,), {**ok, "extra": 1}, {k: v for k, v in ok.items() if k != "b2"},
        {**ok, "W1": [[1, 1], [-1, -1], [0, 0]]}, {**ok, "W1": [1, 1, -1, -1]}, {**ok, "b1": [-0.5]},
        {**ok, "W2": [[1, 1]]}, {**ok, "b2": [1.0, 2.0]}, {**ok, "b2": "x"}, {**ok, "b2": None},
        {**ok, "W1": [[1, 1], [-1, float("nan")]]}, {**ok, "b2": float("inf")}, {**ok, "W1": [[1, 1], [-1]]},
        {**ok, "b2": 1 + 2j}, {**ok, "b2": -0.5}, {**ok, "b1": [0.0, 2.0]}, {**ok, "W1": [[1, -1], [1, -1]]},
        {**ok, "W1": np.array([[1e308, 1e308], [-1, -1]])}, {**ok, "b2": True and object()},
    ]
    for answer in bad:
        message = check(answer, inputs=(), expected=None, margin=1e-3)
        assert isinstance(message, str) and message, repr(answer)[:100]


@pytest.mark.parametrize("qid", ["sigmoid", "swish"])
def test_probe_turns_overflow_into_an_error(qid: str) -> None:
    probe = optional(qid, "probe.py")
    assert probe is not None
    naive = ModuleType("naive")
    naive.sigmoid = lambda x: 1 / (1 + np.exp(-x))  # type: ignore[attr-defined]
    naive.swish = lambda x, beta: x / (1 + np.exp(-beta * x))  # type: ignore[attr-defined]
    x = np.array([-1000.0, 0.0, 1000.0])
    with pytest.raises(FloatingPointError):
        probe.sigmoid(naive, x) if qid == "sigmoid" else probe.swish(naive, x, 1.0)
    # Underflow alone is allowed.
    stable = load_module(TASKS / qid / "reference.py")
    result = probe.sigmoid(stable, x) if qid == "sigmoid" else probe.swish(stable, x, 1.0)
    assert np.all(np.isfinite(result))
