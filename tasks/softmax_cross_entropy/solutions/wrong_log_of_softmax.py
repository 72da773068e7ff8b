# expect: wrong_answer
# Mistake: a stable softmax, but the loss takes log(softmax): a probability that underflows
# to 0 (the row [1000, -1000] with label 1) gives -log(0) = inf instead of 2000.
import numpy as np


def softmax(z, axis=-1):
    e = np.exp(z - np.max(z, axis=axis, keepdims=True))
    return e / np.sum(e, axis=axis, keepdims=True)


def cross_entropy(logits, labels):
    p = softmax(logits, axis=1)
    return -np.mean(np.log(p[np.arange(len(labels)), labels]))
