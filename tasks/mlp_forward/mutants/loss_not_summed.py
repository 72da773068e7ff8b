# mutant: returns the per-class terms -y * log(probs) as the loss instead of their sum
import numpy as np


def mlp_forward(x, W, b, W1, b1, y):
    pre = W.dot(x) + b
    hidden = np.maximum(0, pre)
    logits = W1.dot(hidden) + b1
    e = np.exp(logits - np.max(logits))
    probs = e / e.sum()
    loss = -y * np.log(probs)
    return {"hidden": hidden, "logits": logits, "probs": probs, "loss": loss}
