# mutant: with momentum 0 it returns the old buffer unchanged (no velocity is kept), not d
import numpy as np


def sgd_step(w, grad, buf, lr, momentum, weight_decay):
    d = grad + weight_decay * w
    if momentum == 0:
        return w - lr * d, (d if buf is None else buf)
    buf = d if buf is None else momentum * buf + d
    return w - lr * buf, buf


def adam_step(w, grad, m, v, t, lr, beta1, beta2, eps):
    m = beta1 * m + (1 - beta1) * grad
    v = beta2 * v + (1 - beta2) * grad ** 2
    m_hat = m / (1 - beta1 ** t)
    v_hat = v / (1 - beta2 ** t)
    return w - lr * m_hat / (np.sqrt(v_hat) + eps), m, v
