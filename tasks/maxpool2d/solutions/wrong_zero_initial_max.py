# expect: wrong_answer
# Mistake: starts the running maximum at 0, so windows of negative values give 0.
import torch


def maxpool2d(x, k, s):
    n, c, h, w = x.shape
    h_out, w_out = (h - k) // s + 1, (w - k) // s + 1
    out = torch.zeros((n, c, h_out, w_out), dtype=x.dtype)
    for i in range(h_out):
        for j in range(w_out):
            for p in range(k):
                for q in range(k):
                    out[:, :, i, j] = torch.maximum(out[:, :, i, j], x[:, :, i * s + p, j * s + q])
    return out
