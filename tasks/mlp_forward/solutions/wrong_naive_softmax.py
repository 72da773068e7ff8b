# expect: wrong_answer
# Mistake: softmax without subtracting the maximum: exp overflows (inf / inf) or underflows (0 / 0) to NaN.
import numpy as np


def mlp_forward(x, W, b, W1, b1, y):
    hidden = np.maximum(0, W @ x + b)
    logits = W1 @ hidden + b1
    probs = np.exp(logits) / np.exp(logits).sum()
    return {"hidden": hidden, "logits": logits, "probs": probs, "loss": float(-(y * np.log(probs)).sum())}
