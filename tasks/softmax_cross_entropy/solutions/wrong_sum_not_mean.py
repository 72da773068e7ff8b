# expect: wrong_answer
# Mistake: sums the per-row losses instead of averaging them (torch's default is the mean).
import numpy as np


def softmax(z, axis=-1):
    e = np.exp(z - np.max(z, axis=axis, keepdims=True))
    return e / np.sum(e, axis=axis, keepdims=True)


def cross_entropy(logits, labels):
    m = np.max(logits, axis=1, keepdims=True)
    lse = np.log(np.sum(np.exp(logits - m), axis=1)) + m[:, 0]
    return np.sum(lse - logits[np.arange(len(labels)), labels])
