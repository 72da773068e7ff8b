# mutant: bias corrections with t + 1, as if t counted from 0
import numpy as np


def sgd_step(w, grad, buf, lr, momentum, weight_decay):
    d = grad + weight_decay * w
    if buf is None:
        buf = d
    else:
        buf = momentum * buf + d
    return w - lr * buf, buf


def adam_step(w, grad, m, v, t, lr, beta1, beta2, eps):
    m = beta1 * m + (1 - beta1) * grad
    v = beta2 * v + (1 - beta2) * grad ** 2
    m_hat = m / (1 - beta1 ** (t + 1))
    v_hat = v / (1 - beta2 ** (t + 1))
    return w - lr * m_hat / (np.sqrt(v_hat) + eps), m, v
