# expect: wrong_answer
# Mistake: backward returns the local derivative 1 - tanh^2 and forgets to multiply
# by the incoming gradient.
import torch


class TanhFunction(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        e = torch.exp(-2 * x.abs())
        y = torch.sign(x) * (1 - e) / (1 + e)
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, grad_output):
        (y,) = ctx.saved_tensors
        return 1 - y ** 2
