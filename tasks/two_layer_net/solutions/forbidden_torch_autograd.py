# expect: forbidden_api
# Uses torch autograd for the gradients; the question forbids torch.
import numpy as np
import torch


def two_layer_forward(X, W1, b1, W2, b2):
    return np.maximum(0, X @ W1 + b1) @ W2 + b2


def two_layer_backward(X, W1, b1, W2, b2, dscores):
    ts = [torch.tensor(a, requires_grad=True) for a in (X, W1, b1, W2, b2)]
    scores = torch.relu(ts[0] @ ts[1] + ts[2]) @ ts[3] + ts[4]
    scores.backward(torch.tensor(dscores))
    return {k: t.grad.numpy() for k, t in zip(("dX", "dW1", "db1", "dW2", "db2"), ts)}
