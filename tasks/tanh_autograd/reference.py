"""Reference for tanh_autograd (trusted side)."""

import torch


class TanhFunction(torch.autograd.Function):
    """tanh with backward grad * (1 - tanh^2), saving the output."""

    @staticmethod
    def forward(ctx, x: torch.Tensor) -> torch.Tensor:
        y = torch.tanh(x)
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, grad_output: torch.Tensor) -> torch.Tensor:
        (y,) = ctx.saved_tensors
        return grad_output * (1 - y * y)
