# expect: wrong_answer
# Mistake: Adam without bias correction: uses m and v directly, so early steps are far
# too small (m is biased towards its zero start).
import numpy as np


def sgd_step(w, grad, buf, lr, momentum, weight_decay):
    d = grad + weight_decay * w
    buf = d if buf is None else momentum * buf + d
    return w - lr * buf, buf


def adam_step(w, grad, m, v, t, lr, beta1, beta2, eps):
    m = beta1 * m + (1 - beta1) * grad
    v = beta2 * v + (1 - beta2) * grad ** 2
    return w - lr * m / (np.sqrt(v) + eps), m, v
