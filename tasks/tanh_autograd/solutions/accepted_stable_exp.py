# expect: accepted
# A correct solution: tanh(x) = sign(x) (1 - e^{-2|x|}) / (1 + e^{-2|x|}), which never
# overflows; backward reuses the saved output: grad * (1 - y^2).
import torch


class TanhFunction(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        e = torch.exp(-2 * x.abs())
        y = torch.sign(x) * (-torch.expm1(-2 * x.abs())) / (1 + e)
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, grad_output):
        (y,) = ctx.saved_tensors
        return grad_output * (1 - y ** 2)
