"""Reference for sgd_momentum (trusted side): torch.optim.SGD's and Adam's update rules."""

import numpy as np


def sgd_step(w, grad, buf, lr, momentum, weight_decay):
    """One SGD step with momentum (dampening 0, no Nesterov) and L2 weight decay."""
    w, grad = np.asarray(w, dtype=float), np.asarray(grad, dtype=float)
    d = grad + weight_decay * w
    buf_new = d.copy() if buf is None else momentum * np.asarray(buf, dtype=float) + d
    return w - lr * buf_new, buf_new


def adam_step(w, grad, m, v, t, lr, beta1, beta2, eps):
    """One Adam step with bias correction; t counts from 1."""
    w, grad = np.asarray(w, dtype=float), np.asarray(grad, dtype=float)
    m_new = beta1 * np.asarray(m, dtype=float) + (1 - beta1) * grad
    v_new = beta2 * np.asarray(v, dtype=float) + (1 - beta2) * grad * grad
    m_hat = m_new / (1 - beta1**t)
    v_hat = v_new / (1 - beta2**t)
    return w - lr * m_hat / (np.sqrt(v_hat) + eps), m_new, v_new
