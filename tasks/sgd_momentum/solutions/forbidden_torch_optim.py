# expect: forbidden_api
# Uses torch.optim to make the steps, which the question forbids (torch as a whole).
import numpy as np
import torch


def sgd_step(w, grad, buf, lr, momentum, weight_decay):
    p = torch.nn.Parameter(torch.from_numpy(w.copy()))
    opt = torch.optim.SGD([p], lr=lr, momentum=momentum, weight_decay=weight_decay)
    if buf is not None:
        opt.state[p]["momentum_buffer"] = torch.from_numpy(buf.copy())
    p.grad = torch.from_numpy(grad.copy())
    opt.step()
    new_buf = opt.state[p].get("momentum_buffer")
    d = grad + weight_decay * w
    return p.detach().numpy(), d if new_buf is None else new_buf.numpy()


def adam_step(w, grad, m, v, t, lr, beta1, beta2, eps):
    m = beta1 * m + (1 - beta1) * grad
    v = beta2 * v + (1 - beta2) * grad ** 2
    return w - lr * (m / (1 - beta1 ** t)) / (np.sqrt(v / (1 - beta2 ** t)) + eps), m, v
