"""What the checks of the question bank (tests/tasks) share: loading a question's files,
building its cases as the grader does, calling them in this process, and comparing.

Question files are imported by path (they are data, not packages). Cases are built
from the question's seed, with torch seeded too when the question uses it, as the
reference process does. A case is called through the question's probe when it has
one (the sandbox's runner does the same), on deep copies of the inputs.
"""

from __future__ import annotations

import copy
import functools
import importlib.util
import re
import warnings
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np
import pytest
import torch
import yaml

from grader.grading.checkers import CheckResult
from grader.questions.case import Case
from grader.questions.loader import Question, load_question
from sandbox.runner import BadOutput, encode_value
from sandbox.wire import decode_value

TASKS = Path(__file__).resolve().parents[2] / "tasks"
# Every coding question: a folder with cases (short-answer questions have none).
CODING = sorted(path.parent.name for path in TASKS.glob("*/cases.py"))

FLOAT64_TOLERANCE = (1e-6, 1e-9)  # the catalogue's allclose tolerance for float64 answers
TORCH_TOLERANCE = (1e-4, 1e-6)  # and for float32 (torch) answers
CONV_FORBIDDEN = [
    "numpy.convolve", "numpy.correlate", "numpy.fft", "scipy.signal", "scipy.ndimage", "scipy.fft", "scipy.fftpack",
    "torch.fft", "torch.conv1d", "torch.conv2d", "torch.conv3d", "torch.conv_tbc", "torch.conv_transpose1d",
    "torch.conv_transpose2d", "torch.conv_transpose3d", "torch.convolution", "torch.mkldnn_convolution",
    "torch.nn.functional.conv1d", "torch.nn.functional.conv2d", "torch.nn.Conv1d", "torch.nn.Conv2d",
    "torch.nn.modules.conv",
]


# --- loading -------------------------------------------------------------------------


def load_module(path: Path) -> ModuleType:
    """Import the file at `path` under a name of its own."""
    name = "qbank_" + re.sub(r"\W", "_", str(path.relative_to(TASKS)))
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def question(qid: str) -> dict[str, Any]:
    """The parsed question.yml."""
    data: dict[str, Any] = yaml.safe_load((TASKS / qid / "question.yml").read_text())
    return data


def optional(qid: str, name: str) -> ModuleType | None:
    """probe.py or checks.py, when the question has one."""
    path = TASKS / qid / name
    return load_module(path) if path.exists() else None


def probe(qid: str) -> ModuleType | None:
    """The question's probe.py, when it has one."""
    return optional(qid, "probe.py")


def reference(qid: str) -> ModuleType:
    """The question's reference.py."""
    return load_module(TASKS / qid / "reference.py")


def make_cases(qid: str) -> list[Case]:
    """The question's cases, generated from its seed as the grader does."""
    q = question(qid)
    if q["uses_torch"]:
        torch.manual_seed(q["seed"])
    return list(load_module(TASKS / qid / "cases.py").cases(np.random.default_rng(q["seed"])))


def entry(qid: str, case: Case) -> str:
    """The function the case calls (its own, or the question's first entry point)."""
    return case.call or question(qid)["entry_points"][0]


def invoke(qid: str, impl: ModuleType, case: Case) -> Any:
    """Call the case on `impl` on copies of its inputs, through the probe when the question has one."""
    name, pr = entry(qid, case), probe(qid)
    args, kwargs = copy.deepcopy(case.args), copy.deepcopy(case.kwargs)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if pr is not None:
            return getattr(pr, name)(impl, *args, **kwargs)
        return getattr(impl, name)(*args, **kwargs)


def outcome(qid: str, impl: ModuleType, case: Case) -> tuple[str, Any]:
    """("value", result) or ("raised", the exception's class names)."""
    try:
        return "value", invoke(qid, impl, case)
    except Exception as exc:  # noqa: BLE001 - a solution may raise anything
        return "raised", [t.__name__ for t in type(exc).__mro__]


def library(oracle: Any, case: Case) -> Any:
    """The library function (or independent computation) `oracle` on copies of the case's inputs."""
    return oracle(*copy.deepcopy(case.args), **copy.deepcopy(case.kwargs))


@pytest.fixture(autouse=True, scope="module")
def one_torch_thread() -> Iterator[None]:
    """One torch thread, as in the sandbox (many threads make small tensor ops far slower).

    Autouse in every test module that imports it.
    """
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


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


def close(actual: Any, expected: Any, rtol: float, atol: float, kinds: str = "biuf") -> bool:
    """The allclose checker's meaning: same structure and shapes, NaN where NaN, values close.

    Leaves must be arrays or scalars of the dtype `kinds`; a bool expected wants a bool.
    """
    actual, expected = plain(actual), plain(expected)
    if isinstance(expected, dict):
        return isinstance(actual, dict) and actual.keys() == expected.keys() and all(
            close(actual[k], expected[k], rtol, atol, kinds) for k in expected)
    if isinstance(expected, (tuple, list)):
        return isinstance(actual, (tuple, list)) and len(actual) == len(expected) and all(
            close(a, e, rtol, atol, kinds) for a, e in zip(actual, expected, strict=False))
    if expected is None or actual is None:
        return expected is None and actual is None
    if isinstance(expected, (bool, np.bool_)):
        return isinstance(actual, (bool, np.bool_)) and bool(actual) == bool(expected)
    a, e = np.asarray(actual), np.asarray(expected)
    if a.shape != e.shape or a.dtype.kind not in kinds or e.dtype.kind not in kinds:
        return False
    return bool(np.allclose(a.astype(float), e.astype(float), rtol=rtol, atol=atol, equal_nan=True))


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


def tolerances(qid: str) -> tuple[float, float]:
    """The question's checker tolerances (the allclose checker's, or a property checker's arguments)."""
    checker = question(qid)["checker"]
    return float(checker["rtol"]), float(checker["atol"])


def wire(value: Any) -> Any:
    """`value` as the grader receives it: encoded by the sandbox's runner, decoded by the host."""
    arrays: dict[str, Any] = {}
    return decode_value(encode_value(value, arrays), arrays)


@functools.cache
def loaded(qid: str) -> Question:
    """The question as the grader loads it, its checker resolved and bound."""
    question = load_question(TASKS / qid)
    assert isinstance(question, Question)
    return question


def judge(qid: str, case: Case, actual: Any, expected: Any) -> CheckResult:
    """The grader's own checker on what the wire carries: does `actual` pass against the reference's `expected`?

    The checker is the one the grader binds for this case (the question's, with the case's
    override). As in grading, a value the wire cannot carry, or one the checker fails on, is
    a wrong answer.
    """
    checker = loaded(qid).checker_for(case.name, case.checker)
    want = wire(expected)
    try:
        got = wire(actual)
    except BadOutput as exc:
        return CheckResult(False, f"the grader cannot read the returned value: {exc}")
    try:
        return checker.check(want, got, wire(tuple(case.args)) if checker.needs_inputs else ())
    except Exception as exc:  # noqa: BLE001 - as the grader: odd returned data is a wrong answer
        return CheckResult(False, f"the returned value could not be checked ({type(exc).__name__})")


def agrees(qid: str, case: Case, actual: Any, expected: Any) -> bool:
    """Whether `actual` passes the question's checker against the reference's `expected`."""
    return judge(qid, case, actual, expected).ok


def reference_matches(
    qid: str,
    oracles: Mapping[str, Callable[..., Any]],
    same: Callable[[Case, Any, Any], bool | CheckResult],
    library_raises: type[BaseException] | tuple[type[BaseException], ...] | None = None,
) -> None:
    """Case by case, the reference agrees with the library function the catalogue names.

    `oracles` maps each function a case calls to the library function (or independent
    computation) it must agree with; `same(case, actual, expected)` says whether it does.
    Where the case says the reference raises, it must raise that; and where
    `library_raises` is given, the library function must raise one of those too.
    """
    ref = reference(qid)
    for case in make_cases(qid):
        oracle = oracles[entry(qid, case)]
        kind, actual = outcome(qid, ref, case)
        if case.raises is not None:
            assert kind == "raised" and case.raises in actual, f"{case.name}: the reference must raise {case.raises}"
            if library_raises is not None:
                with pytest.raises(library_raises):
                    library(oracle, case)
            continue
        assert kind == "value", f"{case.name}: the reference raised {actual}"
        result = same(case, actual, library(oracle, case))
        ok, message = (result.ok, result.message) if isinstance(result, CheckResult) else (result, "")
        assert ok, f"{case.name}: {message}" if message else case.name


# --- solutions -----------------------------------------------------------------------


def solutions(questions: list[str]) -> list[tuple[str, Path]]:
    """Every (question, solution file)."""
    return [(qid, path) for qid in questions for path in sorted((TASKS / qid / "solutions").glob("*.py"))]


def expected_verdict(path: Path) -> str:
    """The verdict in the solution's `# expect:` header (first line), followed by a comment line."""
    match = re.match(r"# expect: (\w+)\n# \S", path.read_text())
    assert match, f"{path.name}: first line must be '# expect: VERDICT', then a comment"
    return match.group(1)
