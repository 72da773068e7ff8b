"""Forbidden names reached another way, and source that exhausts the parser.

Each bypass computes the right answer when it works, so a bypass that got through
would be ``accepted``; every one must be ``forbidden_api``, decided on the trusted side
from the source before anything runs. Graded through the real pipeline on each backend
(``hostile`` for conv1d_full also checks that nothing is left behind and the grader
still accepts a correct answer). The runner's own guard, the second line, is tried with
the static check switched off: it blames the candidate's own code, never a library's.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from adversarial_support import CORRECT, assert_no_leftovers, check_verdict, src, summary

from grader.grading import pipeline
from grader.settings import Settings
from submissions_schema import GradeReport, Verdict

FORBIDDEN = Verdict.forbidden_api

CONV_BYPASSES = [
    # The C function numpy.convolve hands its work to, under its deprecated public path.
    ("numpy_core_multiarray_correlate", src("""
        import numpy as np

        def conv1d(a, v):
            a, v = np.asarray(a, dtype=float), np.asarray(v, dtype=float)
            if len(v) > len(a):
                a, v = v, a
            return np.core.multiarray.correlate(a, v[::-1], 2)
        """)),
    # A fresh copy of the module that defines convolve, made after the runner's guard was installed.
    ("reload_numeric_for_a_fresh_convolve", src("""
        import importlib
        import sys

        def conv1d(a, v):
            fresh = importlib.reload(sys.modules["numpy._core.numeric"])
            return fresh.convolve(a, v)
        """)),
    # The runner's import guard emptied through sys.meta_path, then scipy.signal.
    ("guard_names_emptied_then_fftconvolve", src("""
        import sys

        for finder in sys.meta_path:
            names = getattr(finder, "names", None)
            if isinstance(names, list):
                names.clear()

        import scipy.signal

        def conv1d(a, v):
            return scipy.signal.fftconvolve(a, v)
        """)),
    # torch imported after the runner's guard was installed: its convolution layer...
    ("torch_conv1d_layer", src("""
        import torch
        from torch import nn

        def conv1d(a, v):
            layer = nn.Conv1d(1, 1, len(v), padding=len(v) - 1, bias=False).double()
            with torch.no_grad():
                layer.weight[:] = torch.tensor(v[::-1].copy(), dtype=torch.float64).view(1, 1, -1)
                return layer(torch.tensor(a, dtype=torch.float64).view(1, 1, -1)).view(-1).numpy()
        """)),
    # ... and its functional form.
    ("torch_functional_conv1d", src("""
        import torch
        import torch.nn.functional as F

        def conv1d(a, v):
            x = torch.tensor(a, dtype=torch.float64).view(1, 1, -1)
            w = torch.tensor(v[::-1].copy(), dtype=torch.float64).view(1, 1, -1)
            return F.conv1d(x, w, padding=len(v) - 1).view(-1).numpy()
        """)),
    # Frames: the caller's globals hold the runner's namespace (and its copy of NumPy).
    ("frame_walk_currentframe", src("""
        import inspect

        def conv1d(a, v):
            frame = inspect.currentframe().f_back
            while frame is not None and "np" not in frame.f_globals:
                frame = frame.f_back
            return frame.f_globals["np"].convolve(a, v)
        """)),
    ("frame_walk_getframe", src("""
        import sys

        def conv1d(a, v):
            numpy = sys._getframe(1).f_globals["sys"].modules["numpy"]
            return numpy.convolve(a, v)
        """)),
    # The same function reached through a module's namespace by a computed name.
    ("module_dict_computed_name", src("""
        import numpy as np

        def conv1d(a, v):
            return vars(np)["con" + "volve"](a, v)
        """)),
]


@pytest.mark.parametrize("source", [pytest.param(s, id=i) for i, s in CONV_BYPASSES])
def test_conv1d_bypass_is_forbidden(hostile, source: str) -> None:  # type: ignore[no-untyped-def]
    report = hostile(source)
    check_verdict(report, FORBIDDEN)
    assert report.message.startswith("line "), report.message


TANH = "tanh_autograd"

TANH_BYPASSES = [
    # The in-place twin of the forbidden op.
    ("in_place_tanh", src("""
        import torch

        class TanhFunction(torch.autograd.Function):
            @staticmethod
            def forward(ctx, x):
                y = x.clone().tanh_()
                ctx.save_for_backward(y)
                return y

            @staticmethod
            def backward(ctx, grad_output):
                (y,) = ctx.saved_tensors
                return grad_output * (1 - y ** 2)
        """)),
    # The operator registry: the op by its registered name.
    ("aten_operator", src("""
        import torch

        class TanhFunction(torch.autograd.Function):
            @staticmethod
            def forward(ctx, x):
                y = torch.ops.aten.tanh.default(x)
                ctx.save_for_backward(y)
                return y

            @staticmethod
            def backward(ctx, grad_output):
                (y,) = ctx.saved_tensors
                return grad_output * (1 - y ** 2)
        """)),
    # The module form of the op.
    ("tanh_module", src("""
        import torch

        class TanhFunction(torch.autograd.Function):
            @staticmethod
            def forward(ctx, x):
                y = torch.nn.Tanh()(x)
                ctx.save_for_backward(y)
                return y

            @staticmethod
            def backward(ctx, grad_output):
                (y,) = ctx.saved_tensors
                return grad_output * (1 - y ** 2)
        """)),
    # A wrong backward, and the probe's gradcheck replaced through the caller's frames.
    ("probe_patched_through_frames", src("""
        import sys
        import torch

        class TanhFunction(torch.autograd.Function):
            @staticmethod
            def forward(ctx, x):
                frame = sys._getframe(1)
                while frame is not None:
                    if "_gradcheck" in frame.f_globals:
                        frame.f_globals["_gradcheck"] = lambda *args, **kwargs: True
                    frame = frame.f_back
                e = torch.exp(-2 * x.abs())
                y = torch.sign(x) * (1 - e) / (1 + e)
                ctx.save_for_backward(x)
                return y

            @staticmethod
            def backward(ctx, grad_output):
                (x,) = ctx.saved_tensors
                return grad_output * (1 - x ** 2)
        """)),
]


@pytest.fixture
def grade_tanh(grade_code, settings: Settings) -> Callable[[str], GradeReport]:  # type: ignore[no-untyped-def]
    def run(source: str) -> GradeReport:
        report = grade_code(TANH, source)
        assert_no_leftovers(settings)
        return report

    return run


@pytest.mark.parametrize("source", [pytest.param(s, id=i) for i, s in TANH_BYPASSES])
def test_tanh_bypass_is_forbidden(grade_tanh, source: str) -> None:  # type: ignore[no-untyped-def]
    check_verdict(grade_tanh(source), FORBIDDEN)


def test_the_tanh_bypass_sources_run(grade_tanh) -> None:  # type: ignore[no-untyped-def]
    """The tanh bypasses are valid code: without the forbidden call the same file is accepted."""
    source = dict(TANH_BYPASSES)["in_place_tanh"].replace(
        "y = x.clone().tanh_()", "y = torch.sign(x) * -torch.expm1(-2 * x.abs()) / (1 + torch.exp(-2 * x.abs()))"
    )
    report = grade_tanh(source)
    assert report.verdict is Verdict.accepted, summary(report)


# --- source that exhausts the parser --------------------------------------------------

DEEP = [
    ("parentheses_6000", "(" * 6000 + "1" + ")" * 6000 + "\n"),
    ("nested_list_6000", "x = " + "[" * 6000 + "]" * 6000 + "\n"),
    ("sum_chain_6000", "x = " + "+".join(["1"] * 6000) + "\n"),  # RecursionError in ast.parse
    ("unary_minus_6000", "x = " + "-" * 6000 + "1\n"),  # the parser's stack guard
    ("attribute_chain_6000", "import numpy as np\nx = np" + ".T" * 6000 + "\n"),
]


@pytest.mark.parametrize("source", [pytest.param(s, id=i) for i, s in DEEP])
def test_source_that_exhausts_the_parser_is_a_syntax_error(hostile, source: str) -> None:  # type: ignore[no-untyped-def]
    report = hostile(CORRECT + source + "\n\ndef conv1d(a, v):\n    return _correct(a, v)\n")
    check_verdict(report, Verdict.syntax_error)
    assert report.message.startswith("syntax error: "), report.message


# --- the runner's guard alone (the static check switched off) -------------------------


@pytest.fixture
def runtime_only(monkeypatch: pytest.MonkeyPatch, hostile) -> Iterator[Callable[[str], GradeReport]]:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(pipeline, "find_forbidden", lambda source, forbidden, held=None: [])
    yield hostile


# (scipy.stats importing scipy.ndimage, and NumPy calling its own convolve, are in
# tests/unit/test_runner_forbidder.py: importing scipy.stats alone can take most of 5 s on a busy host.)
ALLOWED_BY_THE_GUARD = [
    # scipy.linalg imports numpy.fft internally: not the candidate's use.
    ("scipy_linalg_toeplitz", src("""
        import numpy as np
        import scipy.linalg

        def conv1d(a, v):
            a, v = np.asarray(a, dtype=float), np.asarray(v, dtype=float)
            row = np.zeros(len(a))
            row[0] = v[0]
            return scipy.linalg.toeplitz(np.concatenate([v, np.zeros(len(a) - 1)]), row) @ a
        """)),
]


@pytest.mark.parametrize("source", [pytest.param(s, id=i) for i, s in ALLOWED_BY_THE_GUARD])
def test_guard_allows_what_libraries_do_internally(runtime_only, source: str) -> None:  # type: ignore[no-untyped-def]
    check_verdict(runtime_only(source), Verdict.accepted)


CAUGHT_BY_THE_GUARD = [
    ("import_numpy_fft", src("""
        import numpy.fft

        def conv1d(a, v):
            n = len(a) + len(v) - 1
            return numpy.fft.irfft(numpy.fft.rfft(a, n) * numpy.fft.rfft(v, n), n)
        """), "line 1"),
    ("np_convolve_call", src("""
        import numpy as np

        def conv1d(a, v):
            return np.convolve(a, v)
        """), "line 4"),
]
# torch imported after the guard is installed is covered in tests/unit/test_runner_forbidder.py:
# conv1d_full's 512 MiB and 5 s are too little to import torch in its sandbox.


@pytest.mark.parametrize(("source", "where"), [pytest.param(s, w, id=i) for i, s, w in CAUGHT_BY_THE_GUARD])
def test_guard_catches_the_candidates_own_use(runtime_only, source: str, where: str) -> None:  # type: ignore[no-untyped-def]
    report = runtime_only(source)
    check_verdict(report, FORBIDDEN)
    messages = [report.message] + [t.message for t in report.tests]
    assert any(f"on {where}, which this question forbids" in m for m in messages), summary(report)
