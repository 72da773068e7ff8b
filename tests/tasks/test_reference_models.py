"""Checks of the "models" group of questions: style transfer, fine-tuning, feature
extraction, softmax / cross-entropy and optimiser steps.

For every question: the reference agrees with the library function (or independent
formula) the catalogue names, at the catalogue's tolerance; the cases are
deterministic and well formed; and each solution in `solutions/` behaves as its
`# expect:` header says when run in this process (CI grades them through the real
sandbox in test_solutions.py).
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
import scipy.spatial.distance
import torch
import torch.nn.functional as F
import yaml

from grader.grading.checkers import allclose
from grader.grading.static import find_forbidden
from grader.questions.case import Case
from grader.questions.loader import load_question

TASKS = Path(__file__).resolve().parents[2] / "tasks"
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
TORCH_TOLERANCE = (1e-4, 1e-6)
NUMPY_TOLERANCE = (1e-6, 1e-9)


@pytest.fixture(autouse=True, scope="module")
def _one_torch_thread() -> Any:
    """Run torch on one thread, as the sandbox does (many threads only contend here)."""
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


# --- loading -------------------------------------------------------------------------


def load_module(path: Path) -> ModuleType:
    """Import the file at `path` under a name of its own."""
    name = "qmodels_" + re.sub(r"\W", "_", str(path.relative_to(TASKS)))
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def question(qid: str) -> dict[str, Any]:
    return yaml.safe_load((TASKS / qid / "question.yml").read_text())


def probe(qid: str) -> ModuleType | None:
    path = TASKS / qid / "probe.py"
    return load_module(path) if path.exists() else None


def make_cases(qid: str) -> list[Case]:
    """The question's cases from its seed, as the grader's reference process makes them."""
    q = question(qid)
    if q["uses_torch"]:
        torch.manual_seed(q["seed"])
    return list(load_module(TASKS / qid / "cases.py").cases(np.random.default_rng(q["seed"])))


def invoke(qid: str, impl: ModuleType, case: Case) -> Any:
    """Call the case on `impl` (through the probe when the question has one)."""
    q, pr = question(qid), probe(qid)
    name = case.call or q["entry_points"][0]
    args, kwargs = copy.deepcopy(case.args), copy.deepcopy(case.kwargs)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if pr is not None:
            return getattr(pr, name)(impl, *args, **kwargs)
        return getattr(impl, name)(*args, **kwargs)


def outcome(qid: str, impl: ModuleType, case: Case) -> tuple[str, Any]:
    """("value", result) or ("raised", [exception class names])."""
    try:
        return "value", invoke(qid, impl, case)
    except Exception as exc:  # noqa: BLE001 - candidate code may raise anything
        return "raised", [t.__name__ for t in type(exc).__mro__]


# --- comparing -----------------------------------------------------------------------


def plain(value: Any) -> Any:
    """Tensors to NumPy arrays, recursively (what the sandbox's wire does)."""
    if isinstance(value, torch.Tensor):
        return value.detach().cpu().numpy()
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, (tuple, list)):
        return type(value)(plain(v) for v in value)
    return value


def tolerances(qid: str) -> tuple[float, float]:
    checker = question(qid)["checker"]
    return float(checker["rtol"]), float(checker["atol"])


def close(qid: str, actual: Any, expected: Any) -> bool:
    """The grader's own allclose checker, with the question's tolerances."""
    rtol, atol = tolerances(qid)
    return allclose(plain(expected), plain(actual), rtol=rtol, atol=atol).ok


def agrees(qid: str, case: Case, reference: ModuleType, candidate: ModuleType) -> bool:
    """Whether the candidate passes `case` as the grader would judge it."""
    kind_r, expected = outcome(qid, reference, case)
    kind_c, actual = outcome(qid, candidate, case)
    if case.raises:
        return kind_c == "raised" and case.raises in actual
    return kind_r == kind_c == "value" and close(qid, actual, expected)


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
    """What adapting the model must give: the shape, fc alone trainable, weights kept."""
    model = probe("finetune_head").build_model(seed)
    return {
        "output_shape": (int(n), int(num_classes)),
        "requires_grad": {name: name.startswith("fc.") for name, _ in model.named_parameters()},
        "frozen_weights_unchanged": True,
        "head_on_backbone_features": True,
    }


def _fc_input(seed: int, n: int, h: int, w: int) -> dict[str, Any]:
    """The input the original model's fc receives (by a forward pre-hook), and the
    number of parameter values outside fc."""
    pr = probe("feature_extractor")
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
    "gram_matrix": NUMPY_TOLERANCE,
    "style_transfer_losses": NUMPY_TOLERANCE,
    "finetune_head": TORCH_TOLERANCE,
    "feature_extractor": TORCH_TOLERANCE,
    "softmax_cross_entropy": NUMPY_TOLERANCE,
    "sgd_momentum": NUMPY_TOLERANCE,
}


# --- tests ---------------------------------------------------------------------------


@pytest.mark.parametrize("qid", QUESTIONS)
def test_question_loads_and_declares(qid: str) -> None:
    loaded = load_question(TASKS / qid)
    q = question(qid)
    assert loaded.id == qid and q["version"] == 1
    assert q["forbidden"] == FORBIDDEN[qid]
    limits = {"time_s": 10, "memory_mib": 1536, "output_kib": 64} if q["uses_torch"] else {"time_s": 5, "memory_mib": 512, "output_kib": 64}
    assert q["limits"] == limits
    assert q["checker"]["name"] == "allclose"
    assert tolerances(qid) == CATALOGUE_TOLERANCE[qid]
    compile(q["starter"], f"{qid}/starter", "exec")
    reference = load_module(TASKS / qid / "reference.py")
    for name in q["entry_points"]:
        assert hasattr(reference, name)
        assert re.search(rf"\b(def|class) {name}\b", q["starter"])


def test_seeds_distinct_in_the_bank() -> None:
    """Our seeds differ from each other and from every other question's (read where readable:
    other groups' questions may be half written while this runs)."""
    ours = [question(qid)["seed"] for qid in QUESTIONS]
    assert len(set(ours)) == len(ours)
    others = set()
    for path in TASKS.glob("*/question.yml"):
        if path.parent.name in QUESTIONS:
            continue
        try:
            others.add(yaml.safe_load(path.read_text())["seed"])
        except Exception:  # noqa: BLE001 - another group's file in progress
            continue
    assert not set(ours) & others


@pytest.mark.parametrize("qid", QUESTIONS)
def test_cases_well_formed(qid: str) -> None:
    first, second = make_cases(qid), make_cases(qid)
    assert len(first) == len(second)
    for a, b in zip(first, second, strict=True):
        assert a.name == b.name and a.call == b.call and a.visible == b.visible and a.raises == b.raises
        assert same_inputs(a.args, b.args) and same_inputs(a.kwargs, b.kwargs), a.name
    names = [c.name for c in first]
    assert len(set(names)) == len(names)
    visible = [c.visible for c in first]
    assert visible == sorted(visible, reverse=True), "visible cases come first"
    assert sum(visible) >= 2
    assert len([c for c in first if not c.visible and c.name.startswith("random")]) >= 10
    pr = probe(qid)
    calls = set(dir(pr)) if pr is not None else set(question(qid)["entry_points"])
    assert all(c.call is not None and c.call in calls for c in first)


def same_inputs(x: Any, y: Any) -> bool:
    """Exact equality of case inputs (arrays, tensors, scalars, containers)."""
    if isinstance(x, torch.Tensor):
        return isinstance(y, torch.Tensor) and x.dtype == y.dtype and x.shape == y.shape and bool(torch.equal(x, y))
    if isinstance(x, np.ndarray):
        return isinstance(y, np.ndarray) and x.dtype == y.dtype and np.array_equal(x, y)
    if isinstance(x, (tuple, list)):
        return type(x) is type(y) and len(x) == len(y) and all(same_inputs(a, b) for a, b in zip(x, y, strict=True))
    if isinstance(x, dict):
        return isinstance(y, dict) and x.keys() == y.keys() and all(same_inputs(x[k], y[k]) for k in x)
    return type(x) is type(y) and x == y


@pytest.mark.parametrize("qid", QUESTIONS)
def test_reference_matches_library(qid: str) -> None:
    reference = load_module(TASKS / qid / "reference.py")
    rtol, atol = CATALOGUE_TOLERANCE[qid]
    for case in make_cases(qid):
        kind, actual = outcome(qid, reference, case)
        if case.raises:
            assert kind == "raised" and case.raises in actual, case.name
            continue
        assert kind == "value", f"{case.name}: the reference raised {actual}"
        expected = ORACLES[qid][case.call](*copy.deepcopy(case.args), **copy.deepcopy(case.kwargs))
        result = allclose(plain(expected), plain(actual), rtol=rtol, atol=atol)
        assert result.ok, f"{case.name}: {result.message}"


def test_zero_vectors_raise_in_the_reference() -> None:
    """The cosine of a zero vector is undefined; scipy gives NaN, the question ValueError."""
    cases = [c for c in make_cases("gram_matrix") if c.raises]
    assert len(cases) >= 3 and all(c.raises == "ValueError" and c.call == "cosine_similarity" for c in cases)
    assert any(not c.visible for c in cases)


def test_finetune_probe_sees_the_reference_work() -> None:
    """The probe's model really has fc = Linear(512, 1000) and the reference keeps the backbone."""
    pr = probe("finetune_head")
    model = pr.build_model(0)
    assert list(dict(model.named_children())) == [
        "conv1", "bn1", "relu", "maxpool", "layer1", "layer2", "layer3", "layer4", "avgpool", "fc"]
    assert (model.fc.in_features, model.fc.out_features) == (512, 1000)
    x = torch.randn(2, 3, 16, 16)
    with torch.no_grad():
        before = model(x)
        assert before.shape == (2, 1000)
        assert torch.equal(pr.build_model(0)(x), before), "the seeded model is deterministic"


def solutions() -> list[tuple[str, Path]]:
    return [(qid, path) for qid in QUESTIONS for path in sorted((TASKS / qid / "solutions").glob("*.py"))]


@pytest.mark.parametrize(("qid", "path"), solutions(), ids=lambda v: v.name if isinstance(v, Path) else v)
def test_solution_in_process(qid: str, path: Path) -> None:
    source = path.read_text()
    match = re.match(r"# expect: (\w+)\n# \S", source)
    assert match, f"{path.name}: first line must be '# expect: VERDICT', then a comment"
    verdict = match.group(1)
    hits = find_forbidden(source, question(qid)["forbidden"])
    if verdict == "forbidden_api":
        assert hits, "a forbidden_api solution must use a forbidden name"
        return
    assert not hits, f"uses forbidden names {hits}"
    reference, candidate = load_module(TASKS / qid / "reference.py"), load_module(path)
    differs = [c for c in make_cases(qid) if not agrees(qid, c, reference, candidate)]
    if verdict == "accepted":
        assert not differs, [c.name for c in differs]
    else:
        assert verdict == "wrong_answer"
        assert any(not c.visible for c in differs), "no hidden case catches this mistake"
        for case in make_cases(qid):
            kind, _ = outcome(qid, candidate, case)
            assert kind == "value" or case.raises, f"{case.name}: a wrong answer must not crash (runtime_error)"
