"""How tanh_autograd is called: through autograd, on the reference and the candidate alike."""

from types import ModuleType

import torch
from torch.autograd import gradcheck as _gradcheck  # bound before the candidate's code can patch it


def forward_backward(impl: ModuleType, x: torch.Tensor, grad: torch.Tensor) -> dict[str, torch.Tensor | None]:
    """Apply `impl.TanhFunction` to a fresh leaf copy of `x`, backpropagate `grad`.

    Returns the output (detached) and the gradient that reached the leaf.
    """
    leaf = x.detach().clone().requires_grad_(True)
    y = impl.TanhFunction.apply(leaf)
    y.backward(grad)
    return {"y": y.detach(), "dx": leaf.grad}


def gradcheck(impl: ModuleType, x: torch.Tensor) -> bool:
    """Whether `torch.autograd.gradcheck` passes for `impl.TanhFunction` at float64 `x`."""
    leaf = x.detach().clone().to(torch.float64).requires_grad_(True)
    return bool(_gradcheck(impl.TanhFunction.apply, (leaf,), raise_exception=False))
