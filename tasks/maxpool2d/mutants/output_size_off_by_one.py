# mutant: output size (H - k) // s, without the + 1
import torch


def maxpool2d(x, k, s):
    n, c, h, w = x.shape
    h_out, w_out = (h - k) // s, (w - k) // s
    out = torch.empty((n, c, h_out, w_out), dtype=x.dtype)
    for i in range(h_out):
        for j in range(w_out):
            window = x[:, :, i * s:i * s + k, j * s:j * s + k]
            out[:, :, i, j] = window.reshape(n, c, -1).max(dim=-1).values
    return out
