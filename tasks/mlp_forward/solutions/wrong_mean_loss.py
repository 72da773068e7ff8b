# expect: wrong_answer
# Mistake: averages y * log(probs) over the k classes instead of summing, dividing the loss by k.
import numpy as np


def mlp_forward(x, W, b, W1, b1, y):
    hidden = np.maximum(0, W @ x + b)
    logits = W1 @ hidden + b1
    e = np.exp(logits - logits.max())
    probs = e / e.sum()
    return {"hidden": hidden, "logits": logits, "probs": probs, "loss": float(-np.mean(y * np.log(probs)))}
