# mutant: takes -log of the softmax clipped at 1e-12, which caps the loss of a very wrong row near 27.6
import numpy as np


def softmax(z, axis=-1):
    shifted = z - np.max(z, axis=axis, keepdims=True)
    e = np.exp(shifted)
    return e / np.sum(e, axis=axis, keepdims=True)


def cross_entropy(logits, labels):
    probs = softmax(logits, axis=1)
    picked = probs[np.arange(logits.shape[0]), labels]
    return -np.mean(np.log(np.clip(picked, 1e-12, 1.0)))
