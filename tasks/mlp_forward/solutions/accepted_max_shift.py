# expect: accepted
# A correct solution: shift the logits by their maximum before exponentiating.
import numpy as np


def mlp_forward(x, W, b, W1, b1, y):
    hidden = np.maximum(0, W.dot(x) + b)
    logits = W1.dot(hidden) + b1
    e = np.exp(logits - np.max(logits))
    probs = e / e.sum()
    loss = -np.sum(y * np.log(probs))
    return {"hidden": hidden, "logits": logits, "probs": probs, "loss": float(loss)}
