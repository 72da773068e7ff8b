# expect: wrong_answer
# Mistake: averages the layers' errors instead of weighting them with w_l.
import numpy as np


def content_loss(Fc, Fx):
    return 0.5 * np.sum((Fx - Fc) ** 2)


def gram(F):
    a = F.reshape(F.shape[0], -1)
    return a @ a.T


def style_loss(Fs_list, Fx_list, weights):
    errors = []
    for Fs, Fx in zip(Fs_list, Fx_list):
        n, m = Fs.shape[0], Fs.shape[1] * Fs.shape[2]
        errors.append(np.sum((gram(Fx) - gram(Fs)) ** 2) / (4 * n**2 * m**2))
    return np.mean(errors)
