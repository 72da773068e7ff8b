"""Checks of the metrics group's question folders: confusion_metrics, roc_auc, normal_pdf,
batchnorm, layernorm, combined_dropout, normalize_features.

For every question: question.yml declares what the catalogue says, and the reference
agrees, case by case, with the library function the catalogue names (SciPy,
torch.nn.functional) or, where that is scikit-learn (not installed here), with an
independent formula. What every coding question gets alike (question.yml, cases,
solutions run in process) is in test_bank_cases.py.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
import scipy.stats
import torch
import torch.nn.functional as F

from grader.questions.case import Case
from tests.tasks.bank_support import (
    FLOAT64_TOLERANCE,
    TASKS,
    close,
    invoke,
    load_module,
    make_cases,
    question,
    reference_matches,
    tolerances,
)

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
def test_catalogue(qid: str) -> None:
    q = question(qid)
    assert q["uses_torch"] is False and q["keep_device"] is False
    assert q["entry_points"] == ENTRY_POINTS[qid]
    assert q["forbidden"] == FORBIDDEN[qid]
    assert tolerances(qid) == FLOAT64_TOLERANCE


@pytest.mark.parametrize("qid", QUESTIONS)
def test_reference_matches_library(qid: str) -> None:
    rtol, atol = tolerances(qid)
    assert all(c.raises in (None, "ValueError") for c in make_cases(qid))

    def same(case: Case, actual: Any, expected: Any) -> bool:
        return close(actual, expected, rtol, atol)

    reference_matches(qid, ORACLES[qid], same, library_raises=ValueError)


def test_confusion_counts_are_python_ints() -> None:
    reference = load_module(TASKS / "confusion_metrics" / "reference.py")
    for case in make_cases("confusion_metrics"):
        result = invoke("confusion_metrics", reference, case)
        assert all(type(result[k]) is int for k in ("tp", "tn", "fp", "fn")), case.name
        assert all(type(result[k]) is float for k in ("accuracy", "precision", "recall", "f1")), case.name
        assert result["tp"] + result["tn"] + result["fp"] + result["fn"] == len(case.args[0])


def test_confusion_property_checker() -> None:
    check = load_module(TASKS / "confusion_metrics" / "checks.py").counts_exact_rates_close
    expected = {"tp": 2, "tn": 2, "fp": 1, "fn": 1, "accuracy": 2 / 3, "precision": 2 / 3, "recall": 2 / 3, "f1": 2 / 3}
    good = [expected, {**expected, "tp": np.int64(2)}, {**expected, "tn": np.array(2)}, {**expected, "f1": np.float64(2 / 3)}]
    for answer in good:
        assert check(answer, inputs=(), expected=expected, rtol=1e-6, atol=1e-9) is None
    bad: list[Any] = [None, [], "x", {**expected, "tp": 2.0}, {**expected, "tp": True}, {**expected, "fp": 2},
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
        result = invoke("normalize_features", reference, case)
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
