# expect: wrong_answer
# Mistake: applies the ReLU to the output layer as well, so negative logits become 0.
import numpy as np


def mlp_forward(x, W, b, W1, b1, y):
    hidden = np.maximum(0, W @ x + b)
    logits = np.maximum(0, W1 @ hidden + b1)
    e = np.exp(logits - logits.max())
    probs = e / e.sum()
    return {"hidden": hidden, "logits": logits, "probs": probs, "loss": float(-(y * np.log(probs)).sum())}
