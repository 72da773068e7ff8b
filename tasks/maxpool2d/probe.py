"""How maxpool2d is called: once, or twice in a row as two MaxPool2d layers."""

from types import ModuleType

import torch


def maxpool2d(impl: ModuleType, x: torch.Tensor, k: int, s: int) -> torch.Tensor:
    """One call, as a MaxPool2d(k, s) layer."""
    return impl.maxpool2d(x, k, s)


def maxpool2d_twice(impl: ModuleType, x: torch.Tensor, k: int, s: int) -> torch.Tensor:
    """Two MaxPool2d(k, s) layers in a row, as in the question's MaxPool001 module."""
    once = impl.maxpool2d(x, k, s)
    return impl.maxpool2d(torch.as_tensor(once), k, s)
