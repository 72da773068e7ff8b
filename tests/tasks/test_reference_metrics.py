"""Checks of the metrics group's question folders: confusion_metrics, roc_auc, normal_pdf,
batchnorm, layernorm, combined_dropout, normalize_features.

For every question: question.yml is complete and as the catalogue says, the cases are
deterministic and well formed, and the reference agrees, case by case, with the
library function the catalogue names (SciPy, torch.nn.functional) or, where that is
scikit-learn (not installed here), with an independent formula. The solutions are
graded through the real sandbox by test_solutions.py.
"""

from __future__ import annotations

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
import scipy.stats
import torch
import torch.nn.functional as F
import yaml

from grader.questions.case import Case

TASKS = Path(__file__).resolve().parents[2] / "tasks"
QUESTIONS = [
    "confusion_metrics",
    "roc_auc",
    "normal_pdf",
    "batchnorm",
    "layernorm",
    "combined_dropout",
    "normalize_features",
]
FORBIDDEN = {
    "confusion_metrics": ["sklearn"],
    "roc_auc": ["sklearn"],
    "normal_pdf": ["scipy"],
    "batchnorm": ["torch"],
    "layernorm": ["torch"],
    "combined_dropout": [],
    "normalize_features": ["sklearn"],
}
ENTRY_POINTS = {
    "confusion_metrics": ["confusion_metrics"],
    "roc_auc": ["roc_auc"],
    "normal_pdf": ["normal_pdf", "normal_pdf_grad"],
    "batchnorm": ["batchnorm_forward", "batchnorm_backward"],
    "layernorm": ["layernorm_forward"],
    "combined_dropout": ["combined_keep_prob", "combined_drop_prob"],
    "normalize_features": ["min_max_scale", "standardize", "unit_length"],
}
FIELDS = {
    "id", "version", "title", "topic", "difficulty", "source", "device", "uses_torch",
    "entry_points", "forbidden", "keep_device", "seed", "limits", "checker", "prompt", "starter",
}
TOPICS = {
    "convolution", "perceptrons", "activations", "layers", "metrics", "optimisation", "style-transfer",
    "fine-tuning", "feature-extraction", "normalisation", "probability",
}
NUMPY_LIMITS = {"time_s": 5, "memory_mib": 512, "output_kib": 64}
FLOAT64_TOLERANCE = (1e-6, 1e-9)


# --- loading -------------------------------------------------------------------------


def load_module(path: Path) -> ModuleType:
    """Import the file at `path` under a name of its own."""
    name = "qtest_metrics_" + re.sub(r"\W", "_", str(path.relative_to(TASKS)))
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def question(qid: str) -> dict[str, Any]:
    """The parsed question.yml."""
    return yaml.safe_load((TASKS / qid / "question.yml").read_text())


def make_cases(qid: str) -> list[Case]:
    """The question's cases, generated from its seed as the grader does."""
    q = question(qid)
    torch.manual_seed(q["seed"])
    return list(load_module(TASKS / qid / "cases.py").cases(np.random.default_rng(q["seed"])))


def call(qid: str, impl: ModuleType, case: Case) -> Any:
    """Call the case's entry point on `impl` with copies of the inputs."""
    name = case.call or question(qid)["entry_points"][0]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return getattr(impl, name)(*copy.deepcopy(case.args), **copy.deepcopy(case.kwargs))


def tolerances(qid: str) -> tuple[float, float]:
    """The question's tolerances (the allclose checker's, or the property checker's arguments)."""
    checker = question(qid)["checker"]
    return float(checker["rtol"]), float(checker["atol"])


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
    """Same structure and shapes, NaN where NaN, values close."""
    actual, expected = plain(actual), plain(expected)
    if isinstance(expected, dict):
        return isinstance(actual, dict) and actual.keys() == expected.keys() and all(
            close(actual[k], expected[k], rtol, atol) for k in expected)
    if isinstance(expected, (tuple, list)):
        return isinstance(actual, (tuple, list)) and len(actual) == len(expected) and all(
            close(a, e, rtol, atol) for a, e in zip(actual, expected, strict=False))
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


# --- the library functions (or independent formulas) the catalogue names -------------


def _confusion(y_true: np.ndarray, y_pred: np.ndarray) -> dict[str, Any]:
    """sklearn.metrics' confusion_matrix / accuracy / precision / recall / f1 (zero_division=0), by formula."""
    tn, fp, fn, tp = (int(v) for v in np.bincount(2 * y_true + y_pred, minlength=4))
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    return {
        "tp": tp, "tn": tn, "fp": fp, "fn": fn,
        "accuracy": (tp + tn) / len(y_true) if len(y_true) else 0.0,
        "precision": precision,
        "recall": recall,
        "f1": 2 * precision * recall / (precision + recall) if precision + recall else 0.0,
    }


def _roc_auc(y_true: np.ndarray, scores: np.ndarray) -> float:
    """sklearn.metrics.roc_auc_score's value, by its pairwise definition (ties one half)."""
    pos, neg = scores[y_true == 1], scores[y_true == 0]
    if len(pos) == 0 or len(neg) == 0:
        raise ValueError("only one class present")
    diff = pos[:, None] - neg[None, :]
    return float(np.mean((diff > 0) + 0.5 * (diff == 0)))


def _torch_normal_grad(x: Any, mu: float, sigma: float) -> np.ndarray:
    """d/dx of torch.distributions.Normal(mu, sigma).log_prob(x).exp(), by autograd."""
    if not sigma > 0:
        raise ValueError("sigma must be positive")
    leaf = torch.tensor(np.asarray(x, dtype=float), dtype=torch.float64, requires_grad=True)
    density = torch.distributions.Normal(torch.tensor(mu, dtype=torch.float64), torch.tensor(sigma, dtype=torch.float64)).log_prob(leaf).exp()
    density.sum().backward()
    assert leaf.grad is not None
    return leaf.grad.numpy()


def _scipy_pdf(x: Any, mu: float, sigma: float) -> np.ndarray:
    if not sigma > 0:
        with np.errstate(all="ignore"):
            assert np.isnan(scipy.stats.norm.pdf(x, mu, sigma)).all()  # scipy: an invalid scale
        raise ValueError("sigma must be positive")
    return scipy.stats.norm.pdf(x, mu, sigma)


def _t(a: np.ndarray, grad: bool = False) -> torch.Tensor:
    return torch.tensor(np.asarray(a, dtype=np.float64), dtype=torch.float64, requires_grad=grad)


def _torch_batchnorm(x: np.ndarray, gamma: np.ndarray, beta: np.ndarray, eps: float) -> torch.Tensor:
    return F.batch_norm(_t(x), None, None, _t(gamma), _t(beta), training=True, eps=eps)


def _torch_batchnorm_backward(dout: np.ndarray, x: np.ndarray, gamma: np.ndarray, eps: float) -> dict[str, Any]:
    """Autograd through torch.nn.functional.batch_norm(training=True)."""
    xt, gt = _t(x, True), _t(gamma, True)
    bt = torch.zeros_like(gt, requires_grad=True)
    F.batch_norm(xt, None, None, gt, bt, training=True, eps=eps).backward(_t(dout))
    return {"dx": xt.grad, "dgamma": gt.grad, "dbeta": bt.grad}


def _torch_layernorm(x: np.ndarray, gamma: np.ndarray, beta: np.ndarray, eps: float) -> torch.Tensor:
    return F.layer_norm(_t(x), (x.shape[-1],), _t(gamma), _t(beta), eps)


def _nan_to_zero(a: np.ndarray) -> np.ndarray:
    return np.where(np.isnan(a), 0.0, a)


def _min_max(X: np.ndarray) -> np.ndarray:
    """sklearn's MinMaxScaler (constant columns to 0), by formula with np.ptp."""
    with np.errstate(all="ignore"):
        return _nan_to_zero((X - X.min(axis=0)) / np.ptp(X, axis=0))


def _zscore(X: np.ndarray) -> np.ndarray:
    """sklearn's StandardScaler (constant columns to 0): scipy.stats.zscore with ddof=0."""
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # constant columns: zscore warns, then gives NaN
        return _nan_to_zero(scipy.stats.zscore(X, axis=0, ddof=0))


def _l2_rows(X: np.ndarray) -> np.ndarray:
    """sklearn.preprocessing.normalize(X, "l2") (zero rows stay zero), by np.linalg.norm."""
    with np.errstate(all="ignore"):
        return _nan_to_zero(X / np.linalg.norm(X, axis=1, keepdims=True))


ORACLES: dict[str, dict[str, Callable[..., Any]]] = {
    "confusion_metrics": {"confusion_metrics": _confusion},
    "roc_auc": {"roc_auc": _roc_auc},
    "normal_pdf": {"normal_pdf": _scipy_pdf, "normal_pdf_grad": _torch_normal_grad},
    "batchnorm": {"batchnorm_forward": _torch_batchnorm, "batchnorm_backward": _torch_batchnorm_backward},
    "layernorm": {"layernorm_forward": _torch_layernorm},
    "combined_dropout": {
        "combined_keep_prob": lambda p, q: 1.0 - (p + q - p * q),
        "combined_drop_prob": lambda p, q: p + q - p * q,
    },
    "normalize_features": {"min_max_scale": _min_max, "standardize": _zscore, "unit_length": _l2_rows},
}


# --- tests ---------------------------------------------------------------------------


@pytest.mark.parametrize("qid", QUESTIONS)
def test_question_yml(qid: str) -> None:
    q = question(qid)
    assert set(q) == FIELDS
    assert q["id"] == qid and q["version"] == 1
    assert q["topic"] in TOPICS
    assert q["difficulty"] in {"easy", "medium", "hard"} and q["device"] == "cpu"
    assert q["uses_torch"] is False and q["keep_device"] is False
    assert q["entry_points"] == ENTRY_POINTS[qid]
    assert q["forbidden"] == FORBIDDEN[qid]
    assert q["limits"] == NUMPY_LIMITS
    assert tolerances(qid) == FLOAT64_TOLERANCE
    assert isinstance(q["prompt"], str) and isinstance(q["starter"], str) and isinstance(q["source"], str)
    compile(q["starter"], f"{qid}/starter", "exec")
    reference = load_module(TASKS / qid / "reference.py")
    for name in q["entry_points"]:
        assert hasattr(reference, name)
        assert re.search(rf"\bdef {name}\b", q["starter"])
        assert name in q["prompt"]
    for name in q["forbidden"]:
        assert name in q["prompt"], f"the prompt must name the forbidden {name}"


def test_seeds_distinct() -> None:
    mine = {qid: question(qid)["seed"] for qid in QUESTIONS}
    assert len(set(mine.values())) == len(mine)
    others = {p.parent.name: yaml.safe_load(p.read_text()).get("seed") for p in TASKS.glob("*/question.yml")
              if p.parent.name not in mine}
    clashes = {qid: seed for qid, seed in mine.items() if seed in others.values()}
    assert not clashes, f"seeds shared with other questions: {clashes}"


@pytest.mark.parametrize("qid", QUESTIONS)
def test_cases_well_formed(qid: str) -> None:
    first, second = make_cases(qid), make_cases(qid)
    assert len(first) == len(second)
    for a, b in zip(first, second, strict=False):
        assert a.name == b.name and a.call == b.call and a.visible == b.visible and a.raises == b.raises
        assert same_inputs(a.args, b.args) and same_inputs(a.kwargs, b.kwargs), a.name
    names = [c.name for c in first]
    assert len(set(names)) == len(names)
    visible = [c.visible for c in first]
    assert visible == sorted(visible, reverse=True), "visible cases come first"
    assert sum(visible) >= 2
    hidden_random = [c for c in first if not c.visible and "random" in c.name]
    assert len(hidden_random) >= 10
    entry_points = question(qid)["entry_points"]
    assert all(c.call is None or c.call in entry_points for c in first)
    assert {c.call or entry_points[0] for c in first if not c.visible} == set(entry_points), "every entry point has hidden cases"


@pytest.mark.parametrize("qid", QUESTIONS)
def test_reference_matches_library(qid: str) -> None:
    reference = load_module(TASKS / qid / "reference.py")
    entry = question(qid)["entry_points"][0]
    rtol, atol = tolerances(qid)
    for case in make_cases(qid):
        oracle = ORACLES[qid][case.call or entry]
        if case.raises:
            with pytest.raises(ValueError):
                call(qid, reference, case)
            with pytest.raises(ValueError):
                oracle(*copy.deepcopy(case.args), **case.kwargs)
            assert case.raises == "ValueError"
            continue
        actual = call(qid, reference, case)
        expected = oracle(*copy.deepcopy(case.args), **case.kwargs)
        assert close(actual, expected, rtol, atol), case.name


def test_confusion_counts_are_python_ints() -> None:
    reference = load_module(TASKS / "confusion_metrics" / "reference.py")
    for case in make_cases("confusion_metrics"):
        result = call("confusion_metrics", reference, case)
        assert all(type(result[k]) is int for k in ("tp", "tn", "fp", "fn")), case.name
        assert all(type(result[k]) is float for k in ("accuracy", "precision", "recall", "f1")), case.name
        assert result["tp"] + result["tn"] + result["fp"] + result["fn"] == len(case.args[0])


def test_confusion_property_checker() -> None:
    check = load_module(TASKS / "confusion_metrics" / "checks.py").counts_exact_rates_close
    expected = {"tp": 2, "tn": 2, "fp": 1, "fn": 1, "accuracy": 2 / 3, "precision": 2 / 3, "recall": 2 / 3, "f1": 2 / 3}
    good = [expected, {**expected, "tp": np.int64(2)}, {**expected, "tn": np.array(2)}, {**expected, "f1": np.float64(2 / 3)}]
    for answer in good:
        assert check(answer, inputs=(), expected=expected, rtol=1e-6, atol=1e-9) is None
    bad = [None, [], "x", {**expected, "tp": 2.0}, {**expected, "tp": True}, {**expected, "fp": 2},
           {**expected, "f1": float("nan")}, {**expected, "f1": 0.5}, {**expected, "extra": 1},
           {k: v for k, v in expected.items() if k != "recall"}, {**expected, "recall": "0.66"},
           {**expected, "tn": np.array([2])}, {**expected, "precision": None}]
    for answer in bad:
        message = check(answer, inputs=(), expected=expected, rtol=1e-6, atol=1e-9)
        assert isinstance(message, str) and message, repr(answer)


def test_combined_dropout_matches_two_torch_dropouts() -> None:
    """Monte Carlo: the kept fraction after F.dropout(p) then F.dropout(q) matches the reference."""
    reference = load_module(TASKS / "combined_dropout" / "reference.py")
    generator = torch.Generator().manual_seed(6501)
    n = 400_000
    for p, q in ((0.5, 0.5), (0.2, 0.5), (0.1, 0.3), (0.9, 0.05)):
        first = torch.rand(n, generator=generator, dtype=torch.float64) >= p
        second = torch.rand(n, generator=generator, dtype=torch.float64) >= q
        kept = float((first & second).double().mean())
        assert abs(kept - reference.combined_keep_prob(p, q)) < 5e-3
        assert abs((1 - kept) - reference.combined_drop_prob(p, q)) < 5e-3
    torch.manual_seed(6502)
    ones = torch.ones(n, dtype=torch.float64)
    kept = float((F.dropout(F.dropout(ones, 0.2, training=True), 0.5, training=True) != 0).double().mean())
    assert abs(kept - reference.combined_keep_prob(0.2, 0.5)) < 5e-3


def test_normalize_features_properties() -> None:
    """The outputs have the properties their names promise (sklearn's scalers by their effect)."""
    reference = load_module(TASKS / "normalize_features" / "reference.py")
    for case in make_cases("normalize_features"):
        (X,) = case.args
        result = call("normalize_features", reference, case)
        assert np.isfinite(result).all() and result.shape == X.shape, case.name
        constant = X.max(axis=0) == X.min(axis=0)
        if case.call == "min_max_scale":
            assert (result[:, constant] == 0).all()
            assert np.allclose(result[:, ~constant].min(axis=0), 0) and np.allclose(result[:, ~constant].max(axis=0), 1)
        elif case.call == "standardize":
            assert (result[:, constant] == 0).all()
            assert np.allclose(result[:, ~constant].mean(axis=0), 0) and np.allclose(result[:, ~constant].std(axis=0), 1)
        else:
            zero = (X == 0).all(axis=1)
            assert (result[zero] == 0).all()
            assert np.allclose(np.linalg.norm(result[~zero], axis=1), 1)
