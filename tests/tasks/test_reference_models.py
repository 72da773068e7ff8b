"""Checks of the "models" group of questions: style transfer, fine-tuning, feature
extraction, softmax / cross-entropy and optimiser steps.

For every question: question.yml declares what the catalogue says, and the reference
agrees with the library function (or independent formula) the catalogue names, at
the catalogue's tolerance. What every coding question gets alike (question.yml,
cases, solutions run in process) is in test_bank_cases.py.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
import scipy.spatial.distance
import torch
import torch.nn.functional as F

from grader.grading.checkers import CheckResult, allclose, exact
from grader.questions.case import Case
from tests.tasks.bank_support import (
    FLOAT64_TOLERANCE,
    TORCH_TOLERANCE,
    expected_verdict,
    make_cases,
    one_torch_thread,  # noqa: F401 - autouse: one torch thread, as in the sandbox
    plain,
    probe,
    question,
    reference_matches,
    solutions,
    tolerances,
)

QUESTIONS = [
    "gram_matrix",
    "style_transfer_losses",
    "finetune_head",
    "feature_extractor",
    "softmax_cross_entropy",
    "sgd_momentum",
]
FORBIDDEN = {
    "gram_matrix": [],
    "style_transfer_losses": [],
    "finetune_head": [],
    "feature_extractor": [],
    "softmax_cross_entropy": ["torch", "scipy.special"],
    "sgd_momentum": ["torch"],
}


# --- the library functions the catalogue names ---------------------------------------


def _gram(Fm: np.ndarray) -> np.ndarray:
    """Normalised Gram matrix through torch: (C x HW)(C x HW)^T / (C H W)."""
    t = torch.from_numpy(np.asarray(Fm, dtype=float))
    a = t.flatten(1)
    return (a @ a.T / t.numel()).numpy()


def _cosine(u: np.ndarray, v: np.ndarray) -> float:
    """1 - scipy's cosine distance."""
    return 1.0 - float(scipy.spatial.distance.cosine(np.asarray(u, dtype=float), np.asarray(v, dtype=float)))


def _content(Fc: np.ndarray, Fx: np.ndarray) -> float:
    return 0.5 * float(F.mse_loss(torch.from_numpy(np.asarray(Fx, float)), torch.from_numpy(np.asarray(Fc, float)), reduction="sum"))


def _style(Fs_list: list, Fx_list: list, weights: Any) -> float:
    """Gatys et al.'s style loss with torch: unnormalised Grams, 1 / (4 N^2 M^2) per layer."""
    total = 0.0
    for fs, fx, w in zip(Fs_list, Fx_list, list(weights), strict=True):
        ts, tx = torch.from_numpy(fs).flatten(1), torch.from_numpy(fx).flatten(1)
        n, m = ts.shape
        e = F.mse_loss(tx @ tx.T, ts @ ts.T, reduction="sum") / (4.0 * n**2 * m**2)
        total += float(w) * float(e)
    return total


def _finetune(seed: int, num_classes: int, n: int, h: int, w: int) -> dict[str, Any]:
    """What adapting the model must give: the shape, fc alone trainable, weights and
    buffers kept exactly, a Linear head with a bias."""
    pr = probe("finetune_head")
    assert pr is not None
    model = pr.build_model(seed)
    return {
        "output_shape": (int(n), int(num_classes)),
        "requires_grad": {name: name.startswith("fc.") for name, _ in model.named_parameters()},
        "kept": {k: v for k, v in model.state_dict().items() if not k.startswith("fc.")},
        "head_is_linear": True,
        "head_has_bias": True,
    }


def _finetune_same(case: Case, actual: dict[str, Any], expected: dict[str, Any]) -> CheckResult:
    """The reference's probe record against `_finetune`: the new head's random values are
    not compared, but the output must be that head applied to the original features."""
    if tuple(actual["output"].shape) != expected["output_shape"]:
        return CheckResult(False, f"output shape {tuple(actual['output'].shape)}")
    for key in ("requires_grad", "head_is_linear", "head_has_bias"):
        if actual[key] != expected[key]:
            return CheckResult(False, f"{key}: {actual[key]}")
    kept = exact(plain(expected["kept"]), plain(actual["kept"]))
    if not kept.ok:
        return kept
    return allclose(plain(actual["head_on_features"]), plain(actual["output"]), rtol=1e-4, atol=1e-6)


def _fc_input(seed: int, n: int, h: int, w: int) -> dict[str, Any]:
    """The input the original model's fc receives (by a forward pre-hook), and the
    number of parameter values outside fc."""
    pr = probe("feature_extractor")
    assert pr is not None
    model, x = pr.build_model(seed), pr.images(seed, n, h, w)
    assert x.shape == (n, 3, h, w) and x.dtype == torch.float32
    seen: list[torch.Tensor] = []
    model.fc.register_forward_pre_hook(lambda module, inputs: seen.append(inputs[0].detach().clone()))
    with torch.no_grad():
        model(x)
    count = sum(p.numel() for name, p in model.named_parameters() if not name.startswith("fc."))
    return {"features": seen[0], "parameter_count": count}


def _softmax(z: np.ndarray, axis: int = -1) -> np.ndarray:
    return torch.softmax(torch.from_numpy(np.asarray(z, dtype=float)), dim=axis).numpy()


def _cross_entropy(logits: np.ndarray, labels: np.ndarray) -> float:
    return float(F.cross_entropy(torch.from_numpy(logits), torch.from_numpy(np.asarray(labels, dtype=np.int64))))


def _sgd(w: np.ndarray, grad: np.ndarray, buf: np.ndarray | None, lr: float, momentum: float, decay: float) -> tuple:
    """One torch.optim.SGD step (dampening 0, no Nesterov) from the given buffer."""
    p = torch.nn.Parameter(torch.tensor(w, dtype=torch.float64))
    opt = torch.optim.SGD([p], lr=lr, momentum=momentum, weight_decay=decay, dampening=0, nesterov=False, foreach=False)
    if buf is not None and momentum != 0:
        opt.state[p]["momentum_buffer"] = torch.tensor(buf, dtype=torch.float64)
    p.grad = torch.tensor(grad, dtype=torch.float64)
    opt.step()
    new_buf = opt.state[p].get("momentum_buffer")
    if new_buf is None:  # momentum 0: torch keeps no buffer; the question asks for d
        new_buf = torch.tensor(grad + decay * w, dtype=torch.float64)
    return p.detach().numpy(), new_buf.numpy()


def _adam(w: np.ndarray, grad: np.ndarray, m: np.ndarray, v: np.ndarray, t: int, lr: float,
          b1: float, b2: float, eps: float) -> tuple:
    """One torch.optim.Adam step, taken as step number t from the moments m, v."""
    p = torch.nn.Parameter(torch.tensor(w, dtype=torch.float64))
    opt = torch.optim.Adam([p], lr=lr, betas=(b1, b2), eps=eps, foreach=False)
    if t > 1:
        opt.state[p] = {
            "step": torch.tensor(float(t - 1)),
            "exp_avg": torch.tensor(m, dtype=torch.float64),
            "exp_avg_sq": torch.tensor(v, dtype=torch.float64),
        }
    else:
        assert not np.any(m) and not np.any(v), "the first step starts from zero moments"
    p.grad = torch.tensor(grad, dtype=torch.float64)
    opt.step()
    state = opt.state[p]
    assert float(state["step"]) == t
    return p.detach().numpy(), state["exp_avg"].numpy(), state["exp_avg_sq"].numpy()


ORACLES: dict[str, dict[str, Callable[..., Any]]] = {
    "gram_matrix": {"gram_matrix": _gram, "cosine_similarity": _cosine},
    "style_transfer_losses": {"content_loss": _content, "style_loss": _style},
    "finetune_head": {"adapt": _finetune},
    "feature_extractor": {"features": _fc_input},
    "softmax_cross_entropy": {"softmax": _softmax, "cross_entropy": _cross_entropy},
    "sgd_momentum": {"sgd_step": _sgd, "adam_step": _adam},
}
CATALOGUE_TOLERANCE = {
    "gram_matrix": FLOAT64_TOLERANCE,
    "style_transfer_losses": FLOAT64_TOLERANCE,
    "finetune_head": TORCH_TOLERANCE,
    "feature_extractor": TORCH_TOLERANCE,
    "softmax_cross_entropy": FLOAT64_TOLERANCE,
    "sgd_momentum": FLOAT64_TOLERANCE,
}


# --- tests ---------------------------------------------------------------------------


# Judged by a trusted property function in the question's checks.py (the probe returns data).
PROPERTY_CHECKERS = {"finetune_head": "adapted_model"}


@pytest.mark.parametrize("qid", QUESTIONS)
def test_catalogue(qid: str) -> None:
    q = question(qid)
    assert q["forbidden"] == FORBIDDEN[qid]
    assert q["checker"]["name"] == ("property" if qid in PROPERTY_CHECKERS else "allclose")
    assert q["checker"].get("function") == PROPERTY_CHECKERS.get(qid)
    assert tolerances(qid) == CATALOGUE_TOLERANCE[qid]


@pytest.mark.parametrize("qid", QUESTIONS)
def test_reference_matches_library(qid: str) -> None:
    rtol, atol = CATALOGUE_TOLERANCE[qid]

    def same(case: Case, actual: Any, expected: Any) -> CheckResult:
        if qid == "finetune_head":
            return _finetune_same(case, actual, expected)
        return allclose(plain(expected), plain(actual), rtol=rtol, atol=atol)

    reference_matches(qid, ORACLES[qid], same)


def test_solutions_are_judged_on_values() -> None:
    """This group's solutions expect accepted, wrong_answer or forbidden_api: none a crash or a time-out."""
    verdicts = {expected_verdict(path) for _, path in solutions(QUESTIONS)}
    assert verdicts <= {"accepted", "wrong_answer", "forbidden_api"}


def test_zero_vectors_raise_in_the_reference() -> None:
    """The cosine of a zero vector is undefined; scipy gives NaN, the question ValueError."""
    cases = [c for c in make_cases("gram_matrix") if c.raises]
    assert len(cases) >= 3 and all(c.raises == "ValueError" and c.call == "cosine_similarity" for c in cases)
    assert any(not c.visible for c in cases)


def test_finetune_probe_sees_the_reference_work() -> None:
    """The probe's model really has fc = Linear(512, 1000) and the reference keeps the backbone."""
    pr = probe("finetune_head")
    assert pr is not None
    model = pr.build_model(0)
    assert list(dict(model.named_children())) == [
        "conv1", "bn1", "relu", "maxpool", "layer1", "layer2", "layer3", "layer4", "avgpool", "fc"]
    assert (model.fc.in_features, model.fc.out_features) == (512, 1000)
    x = torch.randn(2, 3, 16, 16)
    with torch.no_grad():
        before = model(x)
        assert before.shape == (2, 1000)
        assert torch.equal(pr.build_model(0)(x), before), "the seeded model is deterministic"
