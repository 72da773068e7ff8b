# expect: wrong_answer
# Mistake: divides each layer's error by 4 N M instead of 4 N^2 M^2.
import numpy as np


def content_loss(Fc, Fx):
    return 0.5 * np.sum((Fx - Fc) ** 2)


def gram(F):
    a = F.reshape(F.shape[0], -1)
    return a @ a.T


def style_loss(Fs_list, Fx_list, weights):
    loss = 0.0
    for Fs, Fx, w in zip(Fs_list, Fx_list, weights):
        n, m = Fs.shape[0], Fs.shape[1] * Fs.shape[2]
        loss += w * np.sum((gram(Fx) - gram(Fs)) ** 2) / (4 * n * m)
    return loss
