"""How tanh_autograd is called: through autograd, on the reference and the candidate alike.

The probe returns data only, never a judgement: the forward output, the gradients the
implementation's backward produced, and a record of the types it saw. The trusted
side compares all of it with what the same probe returned on the reference
(checks.py): the candidate's code runs beside this probe and could rewrite anything
it computes, so nothing here says "passed".
"""

from types import ModuleType
from typing import Any

import torch


def kind(fn: Any, y: Any) -> dict[str, Any]:
    """What `fn` (the entry point) and `y` (what its apply returned) are, as plain data."""
    is_function = isinstance(fn, type) and issubclass(fn, torch.autograd.Function)
    own_backward = is_function and any(
        "backward" in vars(cls) for cls in fn.__mro__ if cls.__module__.split(".")[0] != "torch"
    )
    is_tensor = isinstance(y, torch.Tensor)
    node = y.grad_fn if is_tensor else None
    return {
        "is_autograd_function": bool(is_function),
        "defines_backward": bool(own_backward),
        "output_type": type(y).__name__,
        "output_dtype": str(y.dtype) if is_tensor else None,
        "output_requires_grad": bool(y.requires_grad) if is_tensor else False,
        # A custom Function's output hangs on a node made for that class (TanhFunctionBackward).
        "grad_from_function": bool(node is not None and getattr(node, "_forward_cls", None) is fn),
    }


def forward_backward(impl: ModuleType, x: torch.Tensor, grad: torch.Tensor) -> dict[str, Any]:
    """Apply `impl.TanhFunction` to a fresh leaf copy of `x`, backpropagate `grad`.

    Returns the output (detached), the gradient that reached the leaf (None when none
    did) and the record of types.
    """
    fn = impl.TanhFunction
    leaf = x.detach().clone().requires_grad_(True)
    y = fn.apply(leaf)
    record = kind(fn, y)
    if not isinstance(y, torch.Tensor):
        return {"y": y, "dx": None, "kind": record}
    if y.requires_grad:
        y.backward(grad)
    return {"y": y.detach(), "dx": leaf.grad, "kind": record}


def jacobian(impl: ModuleType, x: torch.Tensor) -> dict[str, Any]:
    """The forward output at float64 `x` and the full Jacobian that backward gives.

    Row i is the gradient reaching the leaf when backward is called with the i-th unit
    upstream gradient (what `torch.autograd.gradcheck` computes analytically); None
    when no gradient reached the leaf.
    """
    fn = impl.TanhFunction
    leaf = x.detach().clone().to(torch.float64).requires_grad_(True)
    y = fn.apply(leaf)
    record = kind(fn, y)
    if not isinstance(y, torch.Tensor) or not y.requires_grad:
        return {"y": y.detach() if isinstance(y, torch.Tensor) else y, "jacobian": None, "kind": record}
    rows = []
    for i in range(y.numel()):
        unit = torch.zeros_like(y).reshape(-1)
        unit[i] = 1.0
        (row,) = torch.autograd.grad(y, leaf, unit.reshape(y.shape), retain_graph=True, allow_unused=True)
        if row is None:
            return {"y": y.detach(), "jacobian": None, "kind": record}
        rows.append(row.detach().reshape(-1).to(torch.float64))
    return {"y": y.detach(), "jacobian": torch.stack(rows) if rows else torch.zeros(0, 0, dtype=torch.float64),
            "kind": record}
