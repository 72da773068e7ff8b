# mutant: averages each window instead of taking its maximum
import torch


def maxpool2d(x, k, s):
    n, c, h, w = x.shape
    h_out, w_out = (h - k) // s + 1, (w - k) // s + 1
    out = torch.empty((n, c, h_out, w_out), dtype=x.dtype)
    for i in range(h_out):
        for j in range(w_out):
            window = x[:, :, i * s:i * s + k, j * s:j * s + k]
            out[:, :, i, j] = window.reshape(n, c, -1).mean(dim=-1)
    return out
