"""Trusted checks for tanh_autograd: what the prompt requires of the types, then the values.

`actual` is what probe.py returned in the sandbox (decoded data); `expected` is what
the same probe returned on the reference. The record of types (`kind`) is judged
here, key by key, before the outputs, gradients and Jacobians are compared.
"""

from typing import Any

from grader.grading.checkers import CheckResult, allclose

# Each requirement of the prompt, as a key of the probe's record, and what to say when it fails.
REQUIREMENTS = {
    "is_autograd_function": "TanhFunction must be a subclass of torch.autograd.Function",
    "defines_backward": "TanhFunction must define its own backward (a @staticmethod backward(ctx, grad_output))",
    "output_type": "TanhFunction.apply must return a torch.Tensor",
    "output_requires_grad": "the output of TanhFunction.apply does not require grad: backward is never reached",
    "grad_from_function": (
        "the output's gradient must come from TanhFunction's own backward "
        "(the output was not made by torch.autograd.Function.apply)"
    ),
    "output_dtype": "the output must have the input's dtype",
}


def kind_problem(actual: Any, expected: Any) -> str | None:
    """The first requirement the record `actual` misses, as a message; None when it meets them all."""
    if not isinstance(actual, dict) or not isinstance(expected, dict):
        return "the probe's record of types is missing"
    for key, message in REQUIREMENTS.items():
        got, want = actual.get(key), expected.get(key)
        if got != want:
            return message if isinstance(want, bool) else f"{message} (expected {want}, got {got})"
    return None


def autograd_function(actual: Any, *, inputs: Any, expected: Any, rtol: float, atol: float) -> CheckResult | str | None:
    """The record of types meets the prompt's requirements; then every value is close to the reference's."""
    if not isinstance(actual, dict) or set(actual) != set(expected):
        return f"the probe returned {type(actual).__name__} data with unexpected keys"
    problem = kind_problem(actual["kind"], expected["kind"])
    if problem is not None:
        return problem
    values = {key: value for key, value in expected.items() if key != "kind"}
    return allclose(values, {key: actual[key] for key in values}, rtol=rtol, atol=atol)
