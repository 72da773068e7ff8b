# expect: wrong_answer
# Mistake: always normalises over the last axis, whatever `axis` says; the max is also
# taken over the whole array (fine for stability, but the axis is wrong).
import numpy as np


def softmax(z, axis=-1):
    e = np.exp(z - np.max(z))
    return e / np.sum(e, axis=-1, keepdims=True)


def cross_entropy(logits, labels):
    m = np.max(logits, axis=1, keepdims=True)
    lse = np.log(np.sum(np.exp(logits - m), axis=1)) + m[:, 0]
    return np.mean(lse - logits[np.arange(len(labels)), labels])
