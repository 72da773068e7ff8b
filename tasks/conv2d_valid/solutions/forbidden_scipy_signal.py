# expect: forbidden_api
# Imports scipy.signal, which the question forbids.
from scipy import signal


def conv2d_valid(x, k):
    return signal.convolve2d(x, k, mode="valid")
