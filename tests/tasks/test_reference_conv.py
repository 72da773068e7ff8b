"""Checks of the conv group's question folders: references, cases and solutions.

Questions: correlate2d, conv_output_size, gaussian_kernel, gaussian_blur_separable,
conv_flops, maxpool2d, feature_map_shapes. For each one the reference agrees with the
library function the catalogue names (SciPy, torch.nn.functional, torch.nn layers
on the meta device) or, where the catalogue names none, with an independent
computation; the cases are deterministic and well formed; and each solution in
`solutions/` behaves in this process as its `# expect:` header says (CI grades them
through the real sandbox as well).
"""

from __future__ import annotations

import copy
import importlib.util
import math
import re
import warnings
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np
import pytest
import scipy.signal
import torch
import torch.nn.functional as F
import yaml

from grader.grading.checkers import CHECKERS
from grader.grading.static import find_forbidden
from grader.questions.case import Case
from grader.questions.loader import load_question

TASKS = Path(__file__).resolve().parents[2] / "tasks"
QUESTIONS = [
    "correlate2d",
    "conv_output_size",
    "gaussian_kernel",
    "gaussian_blur_separable",
    "conv_flops",
    "maxpool2d",
    "feature_map_shapes",
]
CONV_FORBIDDEN = [
    "numpy.convolve", "numpy.correlate", "scipy.signal", "scipy.ndimage", "numpy.fft",
    "torch.nn.functional.conv1d", "torch.nn.functional.conv2d", "torch.conv1d", "torch.conv2d",
]
FORBIDDEN = {
    "correlate2d": CONV_FORBIDDEN,
    "conv_output_size": [],
    "gaussian_kernel": ["scipy.ndimage", "scipy.signal"],
    "gaussian_blur_separable": ["scipy.ndimage", "scipy.signal"],
    "conv_flops": [],
    # The catalogue's two names, plus two aliases of the same operation.
    "maxpool2d": [
        "torch.nn.functional.max_pool2d", "torch.nn.MaxPool2d",
        "torch.max_pool2d", "torch.nn.functional.max_pool2d_with_indices",
    ],
    "feature_map_shapes": [],
}
CHECKER = {
    "correlate2d": {"name": "allclose", "rtol": 1e-6, "atol": 1e-9},
    "conv_output_size": {"name": "exact"},
    "gaussian_kernel": {"name": "allclose", "rtol": 1e-6, "atol": 1e-9},
    "gaussian_blur_separable": {"name": "allclose", "rtol": 1e-6, "atol": 1e-9},
    "conv_flops": {"name": "exact"},
    "maxpool2d": {"name": "allclose", "rtol": 1e-4, "atol": 1e-6},
    "feature_map_shapes": {"name": "exact"},
}
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


# --- loading -------------------------------------------------------------------------


def load_module(path: Path) -> ModuleType:
    """Import the file at `path` under a name of its own."""
    name = "qconv_" + re.sub(r"\W", "_", str(path.relative_to(TASKS)))
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def question(qid: str) -> dict[str, Any]:
    """The parsed question.yml."""
    return yaml.safe_load((TASKS / qid / "question.yml").read_text())


def probe(qid: str) -> ModuleType | None:
    path = TASKS / qid / "probe.py"
    return load_module(path) if path.exists() else None


def make_cases(qid: str) -> list[Case]:
    """The question's cases, generated from its seed as the grader does."""
    q = question(qid)
    if q["uses_torch"]:
        torch.manual_seed(q["seed"])
    return list(load_module(TASKS / qid / "cases.py").cases(np.random.default_rng(q["seed"])))


def invoke(qid: str, impl: ModuleType, case: Case) -> Any:
    """Call the case on `impl` (through the probe when the question has one), on copies of the inputs."""
    name = case.call or question(qid)["entry_points"][0]
    args, kwargs = copy.deepcopy(case.args), copy.deepcopy(case.kwargs)
    p = probe(qid)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if p is not None:
            return getattr(p, name)(impl, *args, **kwargs)
        return getattr(impl, name)(*args, **kwargs)


def outcome(qid: str, impl: ModuleType, case: Case) -> tuple[str, Any]:
    """("value", result) or ("raised", the exception's class names)."""
    try:
        return "value", invoke(qid, impl, case)
    except Exception as exc:  # noqa: BLE001 - a solution may raise anything
        return "raised", [t.__name__ for t in type(exc).__mro__]


# --- comparing -----------------------------------------------------------------------


def plain(value: Any) -> Any:
    """Tensors to NumPy arrays, recursively, as the grader's wire does."""
    if isinstance(value, torch.Tensor):
        return value.detach().cpu().numpy()
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, (tuple, list)):
        return type(value)(plain(v) for v in value)
    if isinstance(value, np.generic):
        return np.asarray(value)
    return value


def agrees(qid: str, actual: Any, expected: Any) -> bool:
    """The question's own checker (the grader's implementation) on plain values."""
    args = dict(question(qid)["checker"])
    return CHECKERS[args.pop("name")](plain(expected), plain(actual), **args).ok


def close(actual: Any, expected: Any, rtol: float, atol: float) -> bool:
    a, e = np.asarray(plain(actual)), np.asarray(plain(expected))
    return a.shape == e.shape and bool(np.allclose(a.astype(float), e.astype(float), rtol=rtol, atol=atol))


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


# --- the library functions (or independent computations) -----------------------------


def _gaussian_1d(sigma: float, radius: int) -> np.ndarray:
    """scipy.signal.windows.gaussian, normalised to sum 1."""
    g = scipy.signal.windows.gaussian(2 * radius + 1, std=sigma)
    return g / g.sum()


def _torch_output_size(n: int, f: int, p: int, s: int) -> int:
    """The output length torch's conv1d gives (raises when the filter does not fit or s < 1)."""
    out = F.conv1d(torch.zeros(1, 1, n), torch.zeros(1, 1, f), stride=s, padding=p)
    return int(out.shape[-1])


def _counted_macs(c_in: int, c_out: int, h_out: int, w_out: int, k_h: int, k_w: int) -> int:
    """MACs counted by running a conv of ones: each output is a sum of c_in * k_h * k_w products of 1."""
    if math.prod((c_in, c_out, h_out, w_out, k_h, k_w)) > 3e7:
        return math.prod((c_in, c_out, h_out, w_out, k_h, k_w))
    x = torch.ones(1, c_in, h_out + k_h - 1, w_out + k_w - 1, dtype=torch.float64)
    w = torch.ones(c_out, c_in, k_h, k_w, dtype=torch.float64)
    out = F.conv2d(x, w)
    assert tuple(out.shape) == (1, c_out, h_out, w_out)
    return int(out.sum().item())


def _torch_shapes(input_shape: tuple[int, int, int], layers: list[dict[str, Any]]) -> list[tuple[int, int, int]]:
    """torch.nn layers on the meta device (shapes only, no arithmetic)."""
    c = input_shape[0]
    x = torch.empty(1, *input_shape, device="meta")
    shapes = []
    for layer in layers:
        if layer["type"] == "conv":
            module: torch.nn.Module = torch.nn.Conv2d(c, layer["out"], layer["k"], stride=layer["s"], padding=layer["p"], device="meta")
            c = layer["out"]
        elif layer["type"] == "pool":
            module = torch.nn.MaxPool2d(layer["k"], layer["s"])
        else:
            module = torch.nn.ReLU()
        x = module(x)
        shapes.append(tuple(int(v) for v in x.shape[1:]))
    return shapes


ORACLES: dict[str, Any] = {
    "correlate2d": lambda x, k, mode: scipy.signal.correlate2d(x, k, mode=mode, boundary="fill", fillvalue=0),
    "conv_output_size": _torch_output_size,
    "gaussian_kernel_1d": _gaussian_1d,
    "gaussian_kernel_2d": lambda sigma, radius: np.outer(_gaussian_1d(sigma, radius), _gaussian_1d(sigma, radius)),
    "gaussian_blur": lambda img, sigma, radius: scipy.signal.convolve2d(
        img, np.outer(_gaussian_1d(sigma, radius), _gaussian_1d(sigma, radius)), mode="same", boundary="fill"),
    "conv2d_macs": _counted_macs,
    "maxpool2d": lambda x, k, s: F.max_pool2d(x, k, s),
    "maxpool2d_twice": lambda x, k, s: F.max_pool2d(F.max_pool2d(x, k, s), k, s),
    "feature_map_shapes": _torch_shapes,
}


# --- tests ---------------------------------------------------------------------------


@pytest.fixture(autouse=True, scope="module")
def _one_thread() -> Any:
    """One torch thread, as in the sandbox (many threads make small tensor ops far slower)."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


@pytest.mark.parametrize("qid", QUESTIONS)
def test_question_yml(qid: str) -> None:
    q = question(qid)
    assert set(q) == FIELDS
    assert q["id"] == qid and q["version"] == 1
    assert q["topic"] in TOPICS
    assert q["difficulty"] in {"easy", "medium", "hard"} and q["device"] == "cpu"
    assert q["forbidden"] == FORBIDDEN[qid]
    assert q["checker"] == CHECKER[qid]
    limits = {"time_s": 10, "memory_mib": 1536, "output_kib": 64} if q["uses_torch"] else {"time_s": 5, "memory_mib": 512, "output_kib": 64}
    assert q["limits"] == limits
    assert q["uses_torch"] == (qid == "maxpool2d")
    compile(q["starter"], f"{qid}/starter", "exec")
    reference = load_module(TASKS / qid / "reference.py")
    for name in q["entry_points"]:
        assert hasattr(reference, name)
        assert re.search(rf"\bdef {name}\b", q["starter"])
        assert name in q["prompt"]
    load_question(TASKS / qid)  # the grader's own loader accepts it


def test_seeds_distinct() -> None:
    seeds = [question(qid)["seed"] for qid in QUESTIONS]
    assert len(set(seeds)) == len(seeds)


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
    assert sum(not c.visible and "random" in c.name for c in first) >= 10
    calls = set(question(qid)["entry_points"]) | set(dir(probe(qid) or object()))
    assert all(c.call is None or c.call in calls for c in first)


@pytest.mark.parametrize("qid", QUESTIONS)
def test_reference_matches_library(qid: str) -> None:
    q = question(qid)
    reference = load_module(TASKS / qid / "reference.py")
    for case in make_cases(qid):
        name = case.call or q["entry_points"][0]
        kind, actual = outcome(qid, reference, case)
        oracle = ORACLES[name]
        if case.raises is not None:
            assert kind == "raised" and case.raises in actual, case.name
            with pytest.raises((RuntimeError, ValueError)):
                oracle(*copy.deepcopy(case.args), **copy.deepcopy(case.kwargs))
            continue
        assert kind == "value", f"{case.name}: {actual}"
        expected = oracle(*copy.deepcopy(case.args), **copy.deepcopy(case.kwargs))
        if q["checker"]["name"] == "exact":
            assert type(actual) is type(expected) and actual == expected, case.name
        else:
            assert close(actual, expected, q["checker"]["rtol"], q["checker"]["atol"]), case.name
            if isinstance(expected, torch.Tensor):
                assert isinstance(actual, torch.Tensor) and actual.dtype == expected.dtype, case.name


def test_gaussian_kernels_are_normalised_and_separable() -> None:
    reference = load_module(TASKS / "gaussian_kernel" / "reference.py")
    for case in make_cases("gaussian_kernel"):
        sigma, radius = case.args
        kernel = reference.gaussian_kernel_2d(sigma, radius) if case.call == "gaussian_kernel_2d" else reference.gaussian_kernel_1d(sigma, radius)
        assert kernel.shape == (2 * radius + 1,) * kernel.ndim
        assert math.isclose(float(kernel.sum()), 1.0, rel_tol=1e-12)
        assert np.allclose(kernel, kernel[::-1], rtol=0, atol=1e-15)
        if kernel.ndim == 2:
            assert np.linalg.matrix_rank(kernel, tol=1e-12) == 1


def test_feature_map_shapes_worked_numbers() -> None:
    """VGG11 gives 512 x 7 x 7, 16 x 16 and 22 x 32; MaxPool001 gives 32 x 55 x 55."""
    finals = {c.name: invoke("feature_map_shapes", load_module(TASKS / "feature_map_shapes" / "reference.py"), c)
              for c in make_cases("feature_map_shapes")}
    assert finals["VGG11 features on 224x224"][-1] == (512, 7, 7)
    assert finals["VGG11 features on 512x512"][-1] == (512, 16, 16)
    assert finals["VGG11 features on 704x1024"][-1] == (512, 22, 32)
    assert finals["VGG11 first block on 224x224"] == [(64, 224, 224), (64, 224, 224), (64, 112, 112)]
    assert finals["MaxPool001 on 224x224"] == [(32, 222, 222), (32, 111, 111), (32, 55, 55)]
    assert finals["MaxPool001 with one MaxPool2d(4, 4)"][-1] == (32, 55, 55)


def solutions() -> list[tuple[str, Path]]:
    return [(qid, path) for qid in QUESTIONS for path in sorted((TASKS / qid / "solutions").glob("*.py"))]


@pytest.mark.parametrize(("qid", "path"), solutions(), ids=lambda v: v.name if isinstance(v, Path) else v)
def test_solution(qid: str, path: Path) -> None:
    source = path.read_text()
    match = re.match(r"# expect: (\w+)\n# \S", source)
    assert match, f"{path.name}: first line must be '# expect: VERDICT', then a comment"
    verdict = match.group(1)
    assert verdict in VERDICTS
    hits = find_forbidden(source, question(qid)["forbidden"])
    if verdict == "forbidden_api":
        assert hits, "a forbidden_api solution must use a forbidden name"
        return
    assert not hits, f"uses forbidden names {[h.describe() for h in hits]}"
    reference, candidate = load_module(TASKS / qid / "reference.py"), load_module(path)
    differs, crashes = [], []
    for case in make_cases(qid):
        kind_e, expected = outcome(qid, reference, case)
        kind_a, actual = outcome(qid, candidate, case)
        if kind_e == "raised":
            ok = kind_a == "raised" and case.raises in actual
        else:
            ok = kind_a == "value" and agrees(qid, actual, expected)
            if kind_a == "raised":
                crashes.append(case.name)
        if not ok:
            differs.append(case)
    if verdict == "accepted":
        assert not differs, [c.name for c in differs]
    elif verdict == "wrong_answer":
        assert any(not c.visible for c in differs), "no hidden case catches this mistake"
        assert not crashes, f"an unexpected exception is a runtime_error, not a wrong answer: {crashes}"
