"""Trusted checks for finetune_head: judge what probe.py returned against the reference's.

The new head starts from random values, so its outputs are not compared with the
reference's; what is compared: the output's shape, that the output is the new head
applied to the original model's features, which parameters are trainable, that the
kept weights and buffers are exactly the original ones, and the head's type.
"""

from typing import Any

from grader.grading.checkers import CheckResult, allclose, describe, exact

KEYS = {"output", "head_on_features", "requires_grad", "kept", "head_type", "head_is_linear", "head_has_bias"}


def adapted_model(actual: Any, *, inputs: Any, expected: Any, rtol: float, atol: float) -> CheckResult | str | None:
    """None when the adapted model meets the prompt; else the first problem found."""
    if not isinstance(actual, dict) or set(actual) != KEYS:
        return "the probe returned data with unexpected keys"
    if (actual["head_is_linear"], actual["head_has_bias"]) != (expected["head_is_linear"], expected["head_has_bias"]):
        found = f"a {actual['head_type']}" + ("" if actual["head_has_bias"] else " without a bias")
        return f"model.fc must be an nn.Linear with a bias (got {found})"
    output, want = actual["output"], expected["output"]
    if getattr(output, "shape", None) != want.shape:
        return f"the model's output must have shape {tuple(want.shape)} (N x num_classes), got {describe(output)}"
    problem = _trainable_problem(actual["requires_grad"], expected["requires_grad"])
    if problem is not None:
        return problem
    kept = exact(expected["kept"], actual["kept"])
    if not kept.ok:
        return CheckResult(False, f"the pretrained weights and buffers must not change: {kept.message}", kept.mismatch)
    head = allclose(actual["head_on_features"], output, rtol=rtol, atol=atol)
    if not head.ok:
        return CheckResult(
            False, f"the output is not the new fc applied to the original 512 features: {head.message}", head.mismatch
        )
    return None


def _trainable_problem(actual: Any, expected: dict[str, bool]) -> str | None:
    if not isinstance(actual, dict):
        return "the probe's record of requires_grad is missing"
    missing = sorted(set(expected) - set(actual))
    if missing:
        return f"these parameters are missing from the adapted model: {_names(missing)}"
    frozen = [name for name, trainable in expected.items() if not trainable and actual[name]]
    if frozen:
        return f"these parameters must be frozen (requires_grad False) but are trainable: {_names(frozen)}"
    stuck = [name for name, trainable in expected.items() if trainable and not actual[name]]
    if stuck:
        return f"the new head must be trainable, but these do not require grad: {_names(stuck)}"
    extra = sorted(set(actual) - set(expected))
    if extra:
        return f"the adapted model has parameters the original did not: {_names(extra)}"
    return None


def _names(names: list[str]) -> str:
    shown = ", ".join(names[:6])
    return shown + (f" ({len(names)} in all)" if len(names) > 6 else "")
