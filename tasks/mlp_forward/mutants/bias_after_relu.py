# mutant: adds the hidden bias after the ReLU: relu(W x) + b
import numpy as np


def mlp_forward(x, W, b, W1, b1, y):
    pre = W.dot(x)
    hidden = np.maximum(0, pre) + b
    logits = W1.dot(hidden) + b1
    e = np.exp(logits - np.max(logits))
    probs = e / e.sum()
    loss = float(-np.sum(y * np.log(probs)))
    return {"hidden": hidden, "logits": logits, "probs": probs, "loss": loss}
