# mutant: computes in float32 whatever the input's dtype
import torch


class TanhFunction(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        x = x.float()
        e = torch.exp(-2 * x.abs())
        y = torch.sign(x) * (1 - e) / (1 + e)
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, grad_output):
        (y,) = ctx.saved_tensors
        return grad_output * (1 - y ** 2)
