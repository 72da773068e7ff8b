# expect: wrong_answer
# Mistake: keeps the weight decay out of the momentum buffer (w -= lr * (buf + wd * w));
# torch adds wd * w to the gradient before the buffer is updated.
import numpy as np


def sgd_step(w, grad, buf, lr, momentum, weight_decay):
    buf = grad.copy() if buf is None else momentum * buf + grad
    return w - lr * (buf + weight_decay * w), buf


def adam_step(w, grad, m, v, t, lr, beta1, beta2, eps):
    m = beta1 * m + (1 - beta1) * grad
    v = beta2 * v + (1 - beta2) * grad ** 2
    m_hat = m / (1 - beta1 ** t)
    v_hat = v / (1 - beta2 ** t)
    return w - lr * m_hat / (np.sqrt(v_hat) + eps), m, v
