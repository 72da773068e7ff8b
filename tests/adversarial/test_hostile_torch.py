"""Hostile submissions against tanh_autograd, a torch question graded through a probe.

The probe (tasks/tanh_autograd/probe.py) runs inside the sandbox, beside the
candidate's code: whatever it computes there, the candidate can tamper with, so it
returns data only and the trusted side judges.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from adversarial_support import WRONG_BACKWARD, assert_no_leftovers, check_verdict, src, summary, tree_digest

from grader.settings import Settings
from submissions_schema import GradeReport, Verdict

TANH = "tanh_autograd"



@pytest.fixture(scope="session")
def tanh_accepted(grade_code, settings: Settings) -> str:  # type: ignore[no-untyped-def]
    """The accepted solution, graded once (so the expected outputs are cached before any hashing)."""
    source = (settings.tasks_dir / TANH / "solutions" / "accepted_stable_exp.py").read_text(encoding="utf-8")
    report = grade_code(TANH, source)
    assert report.verdict is Verdict.accepted, summary(report)
    return source


@pytest.fixture
def grade_tanh(grade_code, settings: Settings, tanh_accepted: str) -> Callable[..., GradeReport]:  # type: ignore[no-untyped-def]
    """Grade on tanh_autograd; then: no survivors, question folder unchanged, accepted still accepted."""
    folder = settings.tasks_dir / TANH

    def run(source: str, follow: bool = True) -> GradeReport:
        before = tree_digest(folder), tree_digest(settings.cache_dir)
        report = grade_code(TANH, source)
        assert_no_leftovers(settings)
        assert (tree_digest(folder), tree_digest(settings.cache_dir)) == before, "files outside the sandbox changed"
        if follow:
            after = grade_code(TANH, tanh_accepted)
            assert after.verdict is Verdict.accepted, summary(after)
        return report

    return run


TORCH_ESCAPES = [
    # torch.tanh is stubbed on the torch module; the same builtin lives on in torch._C.
    ("variable_functions_tanh", src("""
        import torch

        _tanh = torch._C._VariableFunctions.tanh


        class TanhFunction(torch.autograd.Function):
            @staticmethod
            def forward(ctx, x):
                y = _tanh(x)
                ctx.save_for_backward(y)
                return y

            @staticmethod
            def backward(ctx, grad_output):
                (y,) = ctx.saved_tensors
                return grad_output * (1 - y ** 2)
        """)),
    # torch.Tensor.tanh is stubbed on the Python class; its C base class still has it.
    ("tensorbase_tanh", src("""
        import torch


        class TanhFunction(torch.autograd.Function):
            @staticmethod
            def forward(ctx, x):
                y = torch._C.TensorBase.tanh(x)
                ctx.save_for_backward(y)
                return y

            @staticmethod
            def backward(ctx, grad_output):
                (y,) = ctx.saved_tensors
                return grad_output * (1 - y ** 2)
        """)),
]


@pytest.mark.parametrize("source", [pytest.param(s, id=i) for i, s in TORCH_ESCAPES])
def test_torch_forbidden_escape(grade_tanh, source: str) -> None:  # type: ignore[no-untyped-def]
    check_verdict(grade_tanh(source), Verdict.forbidden_api)


def test_patching_the_probe_library_earns_nothing(grade_tanh) -> None:  # type: ignore[no-untyped-def]
    """A wrong backward, with torch.autograd.gradcheck patched to say True inside the sandbox.

    The probe returns the Jacobian the backward gives, never a gradcheck verdict, and
    the host compares it: the patch must not turn any test of the wrong solution into
    a pass. (More forgeries: test_probe_forgery.py.)
    """
    honest = grade_tanh(WRONG_BACKWARD, follow=False)
    patched = grade_tanh(WRONG_BACKWARD.replace(
        "import torch\n", "import torch\n\ntorch.autograd.gradcheck = lambda *args, **kwargs: True\n", 1,
    ))
    check_verdict(honest, Verdict.wrong_answer)
    check_verdict(patched, Verdict.wrong_answer)
    gained = [t.name for t, h in zip(patched.tests, honest.tests, strict=True)
              if t.verdict is Verdict.accepted and h.verdict is not Verdict.accepted]
    assert not gained, f"patching torch inside the sandbox turned these tests into passes: {gained}"
    assert patched.score <= honest.score

