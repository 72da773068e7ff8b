# expect: wrong_answer
# Mistake: ceil mode (as MaxPool2d(ceil_mode=True)): keeps a last, partial window where the
# input does not divide evenly.
import math

import torch


def _out(n, k, s):
    size = math.ceil((n - k) / s) + 1
    return size - 1 if (size - 1) * s >= n else size


def maxpool2d(x, k, s):
    n, c, h, w = x.shape
    h_out, w_out = _out(h, k, s), _out(w, k, s)
    out = torch.empty((n, c, h_out, w_out), dtype=x.dtype)
    for i in range(h_out):
        for j in range(w_out):
            window = x[:, :, i * s:i * s + k, j * s:j * s + k]
            out[:, :, i, j] = window.reshape(n, c, -1).max(dim=-1).values
    return out
