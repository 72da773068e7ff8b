# mutant: squares the summed Gram difference instead of summing the squared differences
import numpy as np


def content_loss(Fc, Fx):
    return 0.5 * np.sum((Fx - Fc) ** 2)


def gram(F):
    a = F.reshape(F.shape[0], -1)
    return a @ a.T


def style_loss(Fs_list, Fx_list, weights):
    loss = 0.0
    for l in range(len(Fs_list)):
        n = Fs_list[l].shape[0]
        m = Fs_list[l].shape[1] * Fs_list[l].shape[2]
        e = np.sum(gram(Fx_list[l]) - gram(Fs_list[l])) ** 2 / (4 * n**2 * m**2)
        loss += weights[l] * e
    return loss
