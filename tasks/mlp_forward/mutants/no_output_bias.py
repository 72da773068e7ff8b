# mutant: forgets the output bias b1: logits = W1 hidden
import numpy as np


def mlp_forward(x, W, b, W1, b1, y):
    pre = W.dot(x) + b
    hidden = np.maximum(0, pre)
    logits = W1.dot(hidden)
    e = np.exp(logits - np.max(logits))
    probs = e / e.sum()
    loss = float(-np.sum(y * np.log(probs)))
    return {"hidden": hidden, "logits": logits, "probs": probs, "loss": loss}
