# expect: forbidden_api
# Uses scipy.special.softmax and logsumexp, which the question forbids.
import numpy as np
from scipy.special import logsumexp
from scipy.special import softmax as sp_softmax


def softmax(z, axis=-1):
    return sp_softmax(z, axis=axis)


def cross_entropy(logits, labels):
    lse = logsumexp(logits, axis=1)
    return np.mean(lse - logits[np.arange(len(labels)), labels])
