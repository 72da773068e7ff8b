# mutant: returns the hidden layer's pre-activation W x + b as "hidden" (the ReLU is applied on the way only)
import numpy as np


def mlp_forward(x, W, b, W1, b1, y):
    pre = W.dot(x) + b
    hidden = np.maximum(0, pre)
    logits = W1.dot(hidden) + b1
    e = np.exp(logits - np.max(logits))
    probs = e / e.sum()
    loss = float(-np.sum(y * np.log(probs)))
    return {"hidden": pre, "logits": logits, "probs": probs, "loss": loss}
