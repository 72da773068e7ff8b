"""Checks of the question folders under tasks/: references, cases and solutions.

For every question: the reference agrees with the library function the catalogue
names, the cases are deterministic and well formed, and each solution in
`solutions/` behaves as its `# expect:` header says (accepted ones match the
reference everywhere, wrong_answer ones differ on a hidden case, forbidden_api
ones use a forbidden name and the others do not). This runs the solutions in this
process, not through the sandbox: CI grades them through the real sandbox.
"""

from __future__ import annotations

import ast
import copy
import importlib.util
import re
import warnings
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np
import pytest
import scipy.signal
import torch
import yaml

from grader.questions.case import Case

TASKS = Path(__file__).resolve().parents[2] / "tasks"
QUESTIONS = [
    "conv1d_full",
    "correlate1d_full",
    "conv2d_valid",
    "dropout",
    "and_gate",
    "tanh_autograd",
    "distances_torch",
]
CONV_FORBIDDEN = [
    "numpy.convolve", "numpy.correlate", "scipy.signal", "scipy.ndimage", "numpy.fft",
    "torch.nn.functional.conv1d", "torch.nn.functional.conv2d", "torch.conv1d", "torch.conv2d",
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
FIELDS = {
    "id", "version", "title", "topic", "difficulty", "source", "device", "uses_torch",
    "entry_points", "forbidden", "keep_device", "seed", "limits", "checker", "prompt", "starter",
}
VERDICTS = {
    "accepted", "wrong_answer", "runtime_error", "time_limit_exceeded",
    "memory_limit_exceeded", "output_limit_exceeded", "forbidden_api", "syntax_error",
}


# --- loading -------------------------------------------------------------------------


def load_module(path: Path) -> ModuleType:
    """Import the file at `path` under a name of its own."""
    name = "qtest_" + re.sub(r"\W", "_", str(path.relative_to(TASKS)))
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
    """Call the case on `impl`, through the probe when the case names a probe function."""
    q, probe = question(qid), optional(qid, "probe.py")
    name = case.call or q["entry_points"][0]
    args, kwargs = copy.deepcopy(case.args), copy.deepcopy(case.kwargs)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if probe is not None and hasattr(probe, name):
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


def close(actual: Any, expected: Any, rtol: float, atol: float) -> bool:
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
    if a.shape != e.shape or a.dtype.kind not in "biuf" or e.dtype.kind not in "biuf":
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


def tolerances(qid: str) -> tuple[float, float]:
    """The question's allclose tolerances."""
    checker = question(qid)["checker"]
    return float(checker.get("rtol", 0.0)), float(checker.get("atol", 0.0))


def agrees(qid: str, actual: Any, expected: Any) -> bool:
    """Whether `actual` passes the question's checker against the reference's `expected`."""
    q = question(qid)
    checker = dict(q["checker"])
    if checker.pop("name") == "property":
        function = getattr(optional(qid, "checks.py"), checker.pop("function"))
        return function(actual, inputs=(), expected=expected, **checker) is None
    return close(actual, expected, *tolerances(qid))


# --- the library functions the catalogue names ---------------------------------------


def _dropout(values: np.ndarray, p: float, u: np.ndarray) -> np.ndarray:
    """Inverted dropout by its formula: keep u >= p, scale 1 / (1 - p); zeros for p = 1."""
    return np.zeros_like(values, dtype=float) if p == 1 else values * (u >= p) / (1 - p)


def _torch_tanh(x: torch.Tensor, grad: torch.Tensor) -> dict[str, torch.Tensor]:
    """torch.tanh and its autograd gradient."""
    leaf = x.detach().clone().requires_grad_(True)
    y = torch.tanh(leaf)
    y.backward(grad)
    return {"y": y.detach(), "dx": leaf.grad}


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
        "gradcheck": lambda x: True,
    },
    "distances_torch": {
        "manhattan": lambda x1, x2: _cdist(x1[None], x2[None], 1.0)[0, 0],
        "euclidean": lambda x1, x2: _cdist(x1[None], x2[None], 2.0)[0, 0],
        "pairwise_manhattan": lambda a, b: _cdist(a, b, 1.0),
    },
}


# --- forbidden names, statically -----------------------------------------------------


def forbidden_uses(source: str, forbidden: list[str]) -> list[str]:
    """Forbidden dotted names that `source` imports or refers to (imports resolved).

    A name like `torch.Tensor.tanh` (a class's method) also matches any `.tanh`
    attribute on something that is not an imported name.
    """
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
    methods = {f.rsplit(".", 1)[1] for f in forbidden if f.count(".") >= 2 and f.split(".")[-2][:1].isupper()}
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute):
            parts, base = [node.attr], node.value
            while isinstance(base, ast.Attribute):
                parts.append(base.attr)
                base = base.value
            if isinstance(base, ast.Name) and base.id in aliases:
                used.append(".".join([aliases[base.id], *reversed(parts)]))
            elif node.attr in methods:
                used.append(f"<value>.{node.attr}")
        elif isinstance(node, ast.Name) and node.id in aliases:
            used.append(aliases[node.id])
    hits = {f for f in forbidden for n in used if n == f or n.startswith(f + ".")}
    hits |= {f for f in forbidden for n in used
             if n.startswith("<value>.") and f.rsplit(".", 1)[1] in methods and f.endswith("." + n.split(".", 1)[1])
             and f.split(".")[-2][:1].isupper()}
    return sorted(hits)


# --- tests ---------------------------------------------------------------------------


def solutions() -> list[tuple[str, Path]]:
    """Every (question, solution file)."""
    return [(qid, path) for qid in QUESTIONS for path in sorted((TASKS / qid / "solutions").glob("*.py"))]


def expected_verdict(path: Path) -> str:
    """The verdict in the solution's `# expect:` header."""
    match = re.match(r"# expect: (\w+)\n#", path.read_text())
    assert match, f"{path.name}: first line must be '# expect: VERDICT', then a comment"
    return match.group(1)


@pytest.mark.parametrize("qid", QUESTIONS)
def test_question_yml(qid: str) -> None:
    q = question(qid)
    assert set(q) == FIELDS
    assert q["id"] == qid and q["version"] == 1
    assert q["difficulty"] in {"easy", "medium", "hard"} and q["device"] in {"cpu", "gpu"}
    assert q["forbidden"] == FORBIDDEN[qid]
    limits = {"time_s": 10, "memory_mib": 1536, "output_kib": 64} if q["uses_torch"] else {"time_s": 5, "memory_mib": 512, "output_kib": 64}
    assert q["limits"] == limits
    assert isinstance(q["prompt"], str) and isinstance(q["starter"], str)
    compile(q["starter"], f"{qid}/starter", "exec")
    reference = load_module(TASKS / qid / "reference.py")
    for name in q["entry_points"]:
        assert hasattr(reference, name)
        assert re.search(rf"\b(def|class) {name}\b", q["starter"])


def test_seeds_distinct() -> None:
    seeds = [question(qid)["seed"] for qid in QUESTIONS]
    assert len(set(seeds)) == len(seeds)


@pytest.mark.parametrize("qid", QUESTIONS)
def test_cases_well_formed(qid: str) -> None:
    first, second = make_cases(qid), make_cases(qid)
    assert len(first) == len(second)
    for a, b in zip(first, second, strict=False):
        assert a.name == b.name and a.call == b.call and a.visible == b.visible
        assert same_inputs(a.args, b.args) and same_inputs(a.kwargs, b.kwargs), a.name
    names = [c.name for c in first]
    assert len(set(names)) == len(names)
    visible = [c.visible for c in first]
    assert visible == sorted(visible, reverse=True), "visible cases come first"
    assert sum(visible) >= (1 if qid == "and_gate" else 2)
    hidden_random = [c for c in first if not c.visible and "random" in c.name]
    assert len(hidden_random) >= (0 if qid == "and_gate" else 10)
    calls = set(question(qid)["entry_points"]) | set(dir(optional(qid, "probe.py") or object()))
    assert all(c.call is None or c.call in calls for c in first)


@pytest.mark.parametrize("qid", QUESTIONS)
def test_reference_matches_library(qid: str) -> None:
    reference = load_module(TASKS / qid / "reference.py")
    entry = question(qid)["entry_points"][0]
    for case in make_cases(qid):
        actual = invoke(qid, reference, case)
        expected = ORACLES[qid][case.call or entry](*copy.deepcopy(case.args), **case.kwargs)
        if qid == "and_gate":
            assert agrees(qid, actual, expected), case.name
        else:
            assert close(actual, expected, *tolerances(qid)), case.name


def test_and_gate_property_is_defensive() -> None:
    check = load_module(TASKS / "and_gate" / "checks.py").reproduces_and
    good = [(1.0, 1.0, -1.5), [2, 2, -3], np.array([1.0, 1.0, -1.5]), (np.float32(1), np.int64(1), -1.5)]
    for answer in good:
        assert check(answer, inputs=(), expected=None, margin=1e-3) is None
    bad = [None, "abc", "1.0", 3.0, (1.0, 1.0), (1.0, 1.0, -1.5, 0.0), (float("nan"), 1.0, -1.5),
           (1.0, 1.0, "x"), (1.0, 1.0, None), object(), {"w1": 1}, (1e308, 1e308, -1.5),
           (float("inf"), 1.0, -1.5), (1.0, 1.0, -1.0), (1.0, 1.0, -0.5), (1.0, 1.0, -2.0 + 1e-4),
           np.array([[1.0, 1.0, -1.5]]), (1 + 2j, 1.0, -1.5), iter(())]
    for answer in bad:
        message = check(answer, inputs=(), expected=None, margin=1e-3)
        assert isinstance(message, str) and message, repr(answer)


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
    assert imported <= {"numpy", "torch", "math"}
    if verdict == "time_limit_exceeded":
        compile(source, str(path), "exec")
        return
    reference, candidate = load_module(TASKS / qid / "reference.py"), load_module(path)
    differs = []
    for case in make_cases(qid):
        expected = invoke(qid, reference, case)
        actual = invoke(qid, candidate, case)
        if not agrees(qid, actual, expected):
            differs.append(case)
    if verdict == "accepted":
        assert not differs, [c.name for c in differs]
    elif verdict == "wrong_answer":
        assert any(not c.visible for c in differs), "no hidden case catches this mistake"
