"""Reference for maxpool2d (trusted side)."""

import torch
import torch.nn.functional as F


def maxpool2d(x: torch.Tensor, k: int, s: int) -> torch.Tensor:
    """torch's own max pooling: no padding, floor mode."""
    return F.max_pool2d(x, kernel_size=k, stride=s)
