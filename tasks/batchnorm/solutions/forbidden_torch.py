# expect: forbidden_api
# Uses torch (autograd through torch.nn.functional.batch_norm), which the question forbids.
import torch
import torch.nn.functional as F


def batchnorm_forward(x, gamma, beta, eps):
    return F.batch_norm(torch.from_numpy(x), None, None, torch.from_numpy(gamma), torch.from_numpy(beta),
                        training=True, eps=eps).numpy()


def batchnorm_backward(dout, x, gamma, eps):
    xt = torch.from_numpy(x).requires_grad_(True)
    gt = torch.from_numpy(gamma).requires_grad_(True)
    bt = torch.zeros_like(gt, requires_grad=True)
    F.batch_norm(xt, None, None, gt, bt, training=True, eps=eps).backward(torch.from_numpy(dout))
    return {"dx": xt.grad.numpy(), "dgamma": gt.grad.numpy(), "dbeta": bt.grad.numpy()}
