"""How tanh_autograd is called: through autograd, on the reference and the candidate alike.

The probe returns data only, never a judgement: the forward output, the gradients the
implementation's backward produced, and a record of the types it saw. The trusted
side compares all of it with what the same probe returned on the reference
(checks.py). The candidate's code runs beside this probe, so the record of types and
the backward calls use what is bound here when the probe loads, before the candidate's
module runs: patching torch or builtins afterwards (``torch.autograd.grad = ...``,
``torch.Tensor.grad_fn = property(...)``, ``builtins.issubclass = ...``) changes nothing
here. (Forged values would gain nothing: code that can compute the right gradients can
return them from its backward. Reaching this module's globals through frames is
refused by the grader's static checks.)
"""

from types import ModuleType
from typing import Any

import torch

_grad = torch.autograd.grad
_Function = torch.autograd.Function
_Tensor = torch.Tensor
_Base = torch._C.TensorBase
_no_torch_function = torch._C.DisableTorchFunction  # a tensor subclass cannot answer for itself here
_float64 = torch.float64
_zeros, _stack = torch.zeros, torch.stack
_isinstance, _issubclass, _type, _vars, _getattr, _str, _bool = isinstance, issubclass, type, vars, getattr, str, bool


def _attr(tensor: Any, name: str) -> Any:
    """`tensor.name` read from torch's own C descriptor (grad_fn, dtype, requires_grad)."""
    with _no_torch_function():
        return _getattr(_Base, name).__get__(tensor)


def _plain(tensor: Any) -> Any:
    """A detached float64 copy of `tensor`'s values, as a plain tensor (the record keeps its dtype)."""
    with _no_torch_function():
        return _Base.to(_Base.detach(tensor), _float64, copy=True)


def kind(fn: Any, y: Any) -> dict[str, Any]:
    """What `fn` (the entry point) and `y` (what its apply returned) are, as plain data."""
    is_function = _isinstance(fn, _type) and _issubclass(fn, _Function)
    own_backward = is_function and any(
        "backward" in _vars(cls) for cls in fn.__mro__ if not _str(cls.__module__).startswith("torch")
    )
    is_tensor = _type(y) is _Tensor
    node = _attr(y, "grad_fn") if is_tensor else None
    return {
        "is_autograd_function": _bool(is_function),
        "defines_backward": _bool(own_backward),
        "output_type": "Tensor" if is_tensor else f"{_type(y).__module__}.{_type(y).__qualname__}",
        "output_dtype": _str(_attr(y, "dtype")) if is_tensor else None,
        "output_requires_grad": _bool(_attr(y, "requires_grad")) if is_tensor else False,
        # A custom Function's output hangs on a node made for that class (TanhFunctionBackward).
        "grad_from_function": _bool(node is not None and _getattr(node, "_forward_cls", None) is fn),
    }


def forward_backward(impl: ModuleType, x: torch.Tensor, grad: torch.Tensor) -> dict[str, Any]:
    """Apply `impl.TanhFunction` to a fresh leaf copy of `x`, backpropagate `grad` (as
    `y.backward(grad)` does), and return the output, the gradient that reached the leaf
    (None when none did) and the record of types."""
    fn = impl.TanhFunction
    leaf = x.detach().clone().requires_grad_(True)
    y = fn.apply(leaf)
    record = kind(fn, y)
    if record["output_type"] != "Tensor" or not record["output_requires_grad"]:
        return {"y": y, "dx": None, "kind": record}
    (dx,) = _grad(y, leaf, grad, allow_unused=True)
    return {"y": _plain(y), "dx": None if dx is None else _plain(dx), "kind": record}


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
    if record["output_type"] != "Tensor" or not record["output_requires_grad"]:
        return {"y": y, "jacobian": None, "kind": record}
    rows = []
    for i in range(y.numel()):
        unit = _zeros(y.numel(), dtype=_attr(y, "dtype"))
        unit[i] = 1.0
        (row,) = _grad(y, leaf, unit.reshape(y.shape), retain_graph=True, allow_unused=True)
        if row is None:
            return {"y": _plain(y), "jacobian": None, "kind": record}
        rows.append(_plain(row).reshape(-1))
    return {"y": _plain(y), "jacobian": _stack(rows), "kind": record}
