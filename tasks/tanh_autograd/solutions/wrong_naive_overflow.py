# expect: wrong_answer
# Mistake: the textbook formula (e^x - e^-x) / (e^x + e^-x) overflows to inf / inf = NaN
# for large |x|.
import torch


class TanhFunction(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        y = (torch.exp(x) - torch.exp(-x)) / (torch.exp(x) + torch.exp(-x))
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, grad_output):
        (y,) = ctx.saved_tensors
        return grad_output * (1 - y ** 2)
