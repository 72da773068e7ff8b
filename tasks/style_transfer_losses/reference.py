"""Reference for style_transfer_losses (trusted side): Gatys et al.'s losses."""

import numpy as np


def content_loss(Fc: np.ndarray, Fx: np.ndarray) -> float:
    """Half the summed squared difference of the feature maps."""
    diff = np.asarray(Fx, dtype=float) - np.asarray(Fc, dtype=float)
    return float(0.5 * np.sum(diff * diff))


def _gram(F: np.ndarray) -> np.ndarray:
    """Unnormalised Gram matrix of an N x H x W feature map."""
    F = np.asarray(F, dtype=float)
    A = F.reshape(F.shape[0], -1)
    return A @ A.T


def style_loss(Fs_list: list, Fx_list: list, weights: list) -> float:
    """sum_l w_l * sum((G(Fx_l) - G(Fs_l))^2) / (4 N_l^2 M_l^2)."""
    total = 0.0
    for Fs, Fx, w in zip(Fs_list, Fx_list, weights, strict=True):
        n = Fs.shape[0]
        m = int(np.prod(Fs.shape[1:]))
        diff = _gram(Fx) - _gram(Fs)
        total += float(w) * float(np.sum(diff * diff)) / (4.0 * n**2 * m**2)
    return total
