# expect: wrong_answer
# Mistake: exponentiates the raw logits; exp(1000) overflows to inf and inf / inf is NaN.
import numpy as np


def softmax(z, axis=-1):
    e = np.exp(z)
    return e / np.sum(e, axis=axis, keepdims=True)


def cross_entropy(logits, labels):
    p = softmax(logits, axis=1)
    return -np.mean(np.log(p[np.arange(len(labels)), labels]))
