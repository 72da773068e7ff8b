"""Checks of the neural-network questions (group nn) under tasks/: references, cases, solutions.

For each question: question.yml is complete, the cases are deterministic and well
formed, the reference agrees with an independent computation (torch autograd,
torch.nn.functional, scipy.special, or the formula written another way) at the
catalogue's tolerance, the property checkers are defensive, and each solution in
`solutions/` behaves as its `# expect:` header says when run in this process.
CI grades the same solutions through the real sandbox (tests/tasks/test_solutions.py).
"""

from __future__ import annotations

import ast
import copy
import importlib.util
import math
import re
import warnings
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np
import pytest
import scipy.special
import torch
import torch.nn.functional as F
import yaml

from grader.questions.case import Case

TASKS = Path(__file__).resolve().parents[2] / "tasks"
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
PROPERTY_ONLY = {"xor_network"}  # no arguments, one answer checked by a property: one visible case, no random cases
FIELDS = {
    "id", "version", "title", "topic", "difficulty", "source", "device", "uses_torch",
    "entry_points", "forbidden", "keep_device", "seed", "limits", "checker", "prompt", "starter",
}
TOPICS = {
    "convolution", "perceptrons", "activations", "layers", "metrics", "optimisation", "style-transfer",
    "fine-tuning", "feature-extraction", "normalisation", "probability",
}
VERDICTS = {
    "accepted", "wrong_answer", "runtime_error", "time_limit_exceeded",
    "memory_limit_exceeded", "output_limit_exceeded", "forbidden_api", "syntax_error",
}
RTOL, ATOL = 1e-6, 1e-9  # the catalogue's float64 tolerance


# --- loading -------------------------------------------------------------------------


def load_module(path: Path) -> ModuleType:
    """Import the file at `path` under a name of its own."""
    name = "qtest_nn_" + re.sub(r"\W", "_", str(path.relative_to(TASKS)))
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def question(qid: str) -> dict[str, Any]:
    """The parsed question.yml."""
    return yaml.safe_load((TASKS / qid / "question.yml").read_text())


def optional(qid: str, name: str) -> ModuleType | None:
    """probe.py or checks.py, when the question has one."""
    path = TASKS / qid / name
    return load_module(path) if path.exists() else None


def make_cases(qid: str) -> list[Case]:
    """The question's cases, generated from its seed as the grader does."""
    q = question(qid)
    if q["uses_torch"]:
        torch.manual_seed(q["seed"])
    return list(load_module(TASKS / qid / "cases.py").cases(np.random.default_rng(q["seed"])))


def invoke(qid: str, impl: ModuleType, case: Case) -> Any:
    """Call the case on `impl`, through the probe when the question has one (as the sandbox does)."""
    q, probe = question(qid), optional(qid, "probe.py")
    name = case.call or q["entry_points"][0]
    args, kwargs = copy.deepcopy(case.args), copy.deepcopy(case.kwargs)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if probe is not None:
            return getattr(probe, name)(impl, *args, **kwargs)
        return getattr(impl, name)(*args, **kwargs)


# --- comparing -----------------------------------------------------------------------


def plain(value: Any) -> Any:
    """Tensors to NumPy arrays, recursively."""
    if isinstance(value, torch.Tensor):
        return value.detach().cpu().numpy()
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, (tuple, list)):
        return type(value)(plain(v) for v in value)
    return value


def close(actual: Any, expected: Any, rtol: float = RTOL, atol: float = ATOL) -> bool:
    """The allclose checker's meaning: same structure and shapes, NaN where NaN, values close."""
    actual, expected = plain(actual), plain(expected)
    if isinstance(expected, dict):
        return isinstance(actual, dict) and actual.keys() == expected.keys() and all(
            close(actual[k], expected[k], rtol, atol) for k in expected)
    if isinstance(expected, (tuple, list)):
        return isinstance(actual, (tuple, list)) and len(actual) == len(expected) and all(
            close(a, e, rtol, atol) for a, e in zip(actual, expected, strict=False))
    if expected is None or actual is None:
        return expected is None and actual is None
    if isinstance(expected, (bool, np.bool_)):
        return isinstance(actual, (bool, np.bool_)) and bool(actual) == bool(expected)
    a, e = np.asarray(actual), np.asarray(expected)
    if a.shape != e.shape or a.dtype.kind not in "iuf" or e.dtype.kind not in "iuf":
        return False
    return bool(np.allclose(a.astype(float), e.astype(float), rtol=rtol, atol=atol, equal_nan=True))


def same_inputs(x: Any, y: Any) -> bool:
    """Exact equality of case inputs (arrays, tensors, scalars, containers)."""
    if isinstance(x, torch.Tensor):
        return isinstance(y, torch.Tensor) and x.dtype == y.dtype and x.shape == y.shape and bool(torch.equal(x, y))
    if isinstance(x, np.ndarray):
        return isinstance(y, np.ndarray) and x.dtype == y.dtype and np.array_equal(x, y)
    if isinstance(x, (tuple, list)):
        return type(x) is type(y) and len(x) == len(y) and all(same_inputs(a, b) for a, b in zip(x, y, strict=False))
    if isinstance(x, dict):
        return isinstance(y, dict) and x.keys() == y.keys() and all(same_inputs(x[k], y[k]) for k in x)
    return type(x) is type(y) and x == y


def agrees(qid: str, case: Case, actual: Any, expected: Any) -> bool:
    """Whether `actual` passes the question's checker (with the case's override) against `expected`."""
    checker = {**question(qid)["checker"], **(case.checker or {})}
    name = checker.pop("name")
    if name == "property":
        function = getattr(optional(qid, "checks.py"), checker.pop("function"))
        return function(plain(actual), inputs=case.args, expected=expected, **checker) is None
    if name == "exact":
        return same_inputs(plain(actual), plain(expected))
    return close(actual, expected, float(checker.get("rtol", 0.0)), float(checker.get("atol", 0.0)))


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


# --- forbidden names, statically -----------------------------------------------------


def forbidden_uses(source: str, forbidden: list[str]) -> list[str]:
    """Forbidden dotted names (modules or functions) that `source` imports or refers to."""
    tree = ast.parse(source)
    aliases: dict[str, str] = {}
    used: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                used.append(alias.name)
                aliases[alias.asname or alias.name.split(".")[0]] = alias.name if alias.asname else alias.name.split(".")[0]
        elif isinstance(node, ast.ImportFrom) and node.module:
            for alias in node.names:
                used.append(f"{node.module}.{alias.name}")
                aliases[alias.asname or alias.name] = f"{node.module}.{alias.name}"
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute):
            parts, base = [node.attr], node.value
            while isinstance(base, ast.Attribute):
                parts.append(base.attr)
                base = base.value
            if isinstance(base, ast.Name) and base.id in aliases:
                used.append(".".join([aliases[base.id], *reversed(parts)]))
        elif isinstance(node, ast.Name) and node.id in aliases:
            used.append(aliases[node.id])
    return sorted({f for f in forbidden for n in used if n == f or n.startswith(f + ".")})


# --- tests ---------------------------------------------------------------------------


def solutions() -> list[tuple[str, Path]]:
    """Every (question, solution file)."""
    return [(qid, path) for qid in QUESTIONS for path in sorted((TASKS / qid / "solutions").glob("*.py"))]


def expected_verdict(path: Path) -> str:
    """The verdict in the solution's `# expect:` header (first line), followed by a comment line."""
    match = re.match(r"# expect: (\w+)\n# \S", path.read_text())
    assert match, f"{path.name}: first line must be '# expect: VERDICT', then a comment"
    return match.group(1)


@pytest.mark.parametrize("qid", QUESTIONS)
def test_question_yml(qid: str) -> None:
    q = question(qid)
    assert set(q) == FIELDS
    assert q["id"] == qid and q["version"] == 1
    assert q["difficulty"] in {"easy", "medium", "hard"} and q["device"] == "cpu"
    assert q["topic"] in TOPICS
    assert q["forbidden"] == FORBIDDEN[qid]
    assert q["uses_torch"] is False and q["keep_device"] is False
    assert q["limits"] == {"time_s": 5, "memory_mib": 512, "output_kib": 64}
    checker = q["checker"]
    if checker["name"] == "allclose":
        assert (checker["rtol"], checker["atol"]) == (RTOL, ATOL)
    else:
        assert checker["name"] == "property" and hasattr(optional(qid, "checks.py"), checker["function"])
    assert isinstance(q["prompt"], str) and isinstance(q["starter"], str)
    compile(q["starter"], f"{qid}/starter", "exec")
    reference = load_module(TASKS / qid / "reference.py")
    for name in q["entry_points"]:
        assert hasattr(reference, name)
        assert re.search(rf"\b(def|class) {name}\b", q["starter"])
        assert name in q["prompt"]
    for name in q["forbidden"]:
        assert name in q["prompt"], f"the prompt must name the forbidden {name}"


def test_seeds_distinct() -> None:
    seeds = [question(qid)["seed"] for qid in QUESTIONS]
    assert len(set(seeds)) == len(seeds)


@pytest.mark.parametrize("qid", QUESTIONS)
def test_cases_well_formed(qid: str) -> None:
    first, second = make_cases(qid), make_cases(qid)
    assert len(first) == len(second)
    for a, b in zip(first, second, strict=True):
        assert a.name == b.name and a.call == b.call and a.visible == b.visible
        assert same_inputs(a.args, b.args) and same_inputs(a.kwargs, b.kwargs), a.name
    names = [c.name for c in first]
    assert len(set(names)) == len(names)
    visible = [c.visible for c in first]
    assert visible == sorted(visible, reverse=True), "visible cases come first"
    assert sum(visible) >= (1 if qid in PROPERTY_ONLY else 2)
    hidden_random = [c for c in first if not c.visible and c.name.startswith("random")]
    assert len(hidden_random) >= (0 if qid in PROPERTY_ONLY else 10)
    probe = optional(qid, "probe.py")
    entry_points = question(qid)["entry_points"]
    for case in first:
        call = case.call or entry_points[0]
        assert call in entry_points
        if probe is not None:
            assert hasattr(probe, call), f"probe.py must define {call}: the sandbox calls every case through it"


def test_different_seed_gives_different_random_cases() -> None:
    for qid in QUESTIONS:
        if qid in PROPERTY_ONLY:
            continue
        cases = load_module(TASKS / qid / "cases.py").cases
        a = [c for c in cases(np.random.default_rng(1)) if c.name.startswith("random")]
        b = [c for c in cases(np.random.default_rng(2)) if c.name.startswith("random")]
        assert not all(same_inputs(x.args, y.args) for x, y in zip(a, b, strict=False)), qid


@pytest.mark.parametrize("qid", QUESTIONS)
def test_reference_matches_library(qid: str) -> None:
    reference = load_module(TASKS / qid / "reference.py")
    entry = question(qid)["entry_points"][0]
    for case in make_cases(qid):
        if case.raises:
            with pytest.raises(Exception) as info:
                invoke(qid, reference, case)
            assert case.raises in [t.__name__ for t in type(info.value).__mro__], case.name
            continue
        actual = invoke(qid, reference, case)
        expected = ORACLES[qid][case.call or entry](*copy.deepcopy(case.args), **case.kwargs)
        if question(qid)["checker"]["name"] == "property":
            assert agrees(qid, case, actual, expected), case.name
        else:
            assert close(actual, expected), case.name


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
    bad = [None, "0.5, 1", 0.5, (0.5,), (0.5, 1, 0), (0.5, 1.0), (0.5, True), (0.5, np.array(True)), (0.5, 0),
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


@pytest.mark.parametrize(("qid", "path"), solutions(), ids=lambda v: v.name if isinstance(v, Path) else v)
def test_solution(qid: str, path: Path) -> None:
    verdict = expected_verdict(path)
    assert verdict in VERDICTS
    source = path.read_text()
    hits = forbidden_uses(source, question(qid)["forbidden"])
    if verdict == "forbidden_api":
        assert hits, "a forbidden_api solution must use a forbidden name"
        return
    assert not hits, f"uses forbidden names {hits}"
    imported = {n.split(".")[0] for n in re.findall(r"^\s*(?:import|from)\s+([\w.]+)", source, re.M)}
    assert imported <= {"numpy", "math"}
    reference, candidate = load_module(TASKS / qid / "reference.py"), load_module(path)
    differs, raised = [], []
    for case in make_cases(qid):
        expected = invoke(qid, reference, case)
        try:
            actual = invoke(qid, candidate, case)
        except Exception:  # noqa: BLE001 - a solution may raise; that is what runtime_error expects
            raised.append(case)
            continue
        if not agrees(qid, case, actual, expected):
            differs.append(case)
    if verdict == "accepted":
        assert not differs and not raised, [c.name for c in differs + raised]
    elif verdict == "wrong_answer":
        assert not raised, [c.name for c in raised]
        assert any(not c.visible for c in differs), "no hidden case catches this mistake"
    elif verdict == "runtime_error":
        assert any(not c.visible for c in raised), "no hidden case makes this solution raise"


@pytest.mark.parametrize("qid", QUESTIONS)
def test_solutions_cover_the_question(qid: str) -> None:
    verdicts = [expected_verdict(p) for p in sorted((TASKS / qid / "solutions").glob("*.py"))]
    assert "accepted" in verdicts
    assert verdicts.count("wrong_answer") >= 2
    assert ("forbidden_api" in verdicts) == bool(FORBIDDEN[qid])
