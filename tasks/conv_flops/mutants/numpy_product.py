# mutant: returns np.prod of the sizes, a NumPy int64 rather than the exact Python int the prompt asks for
import numpy as np


def conv2d_macs(c_in, c_out, h_out, w_out, k_h, k_w):
    return np.prod([c_in, c_out, h_out, w_out, k_h, k_w])
