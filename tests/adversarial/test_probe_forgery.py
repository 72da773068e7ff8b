"""Forging what a probe returns: never a pass.

tanh_autograd is graded through a probe (tasks/tanh_autograd/probe.py) that runs in the
sandbox beside the candidate's code. The probe returns data only (outputs, gradients,
Jacobians, a record of types) and the trusted side judges it, so a submission that
rewrites the probe, the runner or torch from inside the sandbox gains nothing: each
forger below is graded wrong_answer (or forbidden_api, where the static checks refuse
its reflection before it runs), never accepted.

Each forger prints a marker once its patch is in place: a submission that ran must
show it, so a forgery that silently failed cannot pass for a defended one.
"""

from __future__ import annotations

import pytest
from adversarial_support import WRONG_BACKWARD, check_verdict, src, summary

from submissions_schema import GradeReport, Verdict

TANH = "tanh_autograd"
MARKER = "FORGERY-IN-PLACE"


GOOD_RECORD = (  # one line, so that it can be put into the sources below
    '{"is_autograd_function": True, "defines_backward": True, "output_type": "Tensor", '
    '"output_dtype": str(x.dtype), "output_requires_grad": True, "grad_from_function": True}'
)

FORGERS = [
    # Walks the frames up to the runner, then replaces the probe's functions with ones that
    # report a perfect record and, for the Jacobian, what used to be gradcheck's verdict.
    ("probe_functions_replaced_through_frames", WRONG_BACKWARD + src(f"""

        import sys


        def _forged_forward_backward(impl, x, grad):
            leaf = x.detach().clone().requires_grad_(True)
            y = impl.TanhFunction.apply(leaf)
            y.backward(grad)
            return {{"y": y.detach(), "dx": leaf.grad, "kind": {GOOD_RECORD}}}


        def _forged_jacobian(impl, x):
            return {{"y": torch.zeros(x.shape, dtype=torch.float64), "jacobian": True, "kind": {GOOD_RECORD}}}


        _frame = sys._getframe()
        while _frame is not None:
            _owner = _frame.f_locals.get("self")
            if getattr(_owner, "probe", None) is not None:
                _owner.probe.forward_backward = _forged_forward_backward
                _owner.probe.jacobian = _forged_jacobian
                print("{MARKER}")
                break
            _frame = _frame.f_back
        """)),
    # Walks the frames up to the runner's globals and replaces its encoder: every case
    # returns True, the shape of a verdict, whatever was computed.
    ("runner_encoder_replaced_through_frames", WRONG_BACKWARD + src(f"""

        import sys

        _frame = sys._getframe()
        while _frame is not None:
            if "encode_value" in _frame.f_globals and "Runner" in _frame.f_globals:
                _frame.f_globals["encode_value"] = lambda value, arrays, devices=None: True
                print("{MARKER}")
                break
            _frame = _frame.f_back
        """)),
    # No frames: public patches of torch so that the probe's backward calls return the right
    # gradients (from torch's own autograd of 2 sigmoid(2x) - 1), not the wrong backward's.
    ("torch_autograd_patched_to_answer_right", WRONG_BACKWARD + src(f"""

        _real_grad = torch.autograd.grad


        def _right_grad(outputs, inputs, grad_outputs=None, **kwargs):
            with torch.enable_grad():
                x = inputs.detach().clone().requires_grad_(True)
                y = 2 * torch.sigmoid(2 * x) - 1
                return _real_grad(y, x, grad_outputs, **kwargs)


        def _right_backward(self, gradient=None, **kwargs):
            raise RuntimeError("not used by a probe that binds its own autograd.grad")


        torch.autograd.grad = _right_grad
        torch.Tensor.backward = _right_backward
        print("{MARKER}")
        """)),
    # A plain class (the values come from torch's autograd, no backward is written) with
    # public patches that make it look like an autograd.Function to a probe reading
    # issubclass() and y.grad_fn at call time.
    ("plain_class_disguised_as_a_function", src(f"""
        import builtins

        import torch


        class TanhFunction:
            @staticmethod
            def apply(x):
                return 2 * torch.sigmoid(2 * x) - 1

            @staticmethod
            def backward(ctx, grad_output):
                return grad_output


        class _Node:
            _forward_cls = TanhFunction


        _issubclass = builtins.issubclass
        builtins.issubclass = lambda a, b: True if a is TanhFunction else _issubclass(a, b)
        torch.Tensor.grad_fn = property(lambda self: _Node())
        print("{MARKER}")
        """)),
]


def _not_accepted(report: GradeReport) -> None:
    """wrong_answer after running with the forgery in place, or forbidden_api before running."""
    assert report.verdict in (Verdict.wrong_answer, Verdict.forbidden_api), summary(report)
    check_verdict(report, report.verdict)
    if report.verdict is Verdict.wrong_answer:
        assert MARKER in report.stdout, "the forgery never took effect: this test proves nothing\n" + summary(report)


@pytest.mark.parametrize("source", [pytest.param(s, id=i) for i, s in FORGERS])
def test_forged_probe_data_is_never_accepted(grade_code, source: str) -> None:  # type: ignore[no-untyped-def]
    _not_accepted(grade_code(TANH, source))


def test_the_wrong_backward_alone_is_wrong(grade_code) -> None:  # type: ignore[no-untyped-def]
    """The mistake every forger above hides is caught on its own (so hiding it is what failed)."""
    report = grade_code(TANH, WRONG_BACKWARD)
    check_verdict(report, Verdict.wrong_answer)
