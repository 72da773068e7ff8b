# expect: forbidden_api
# Uses numpy.convolve, which the question forbids.
import numpy as np


def conv1d(a, v):
    return np.convolve(a, v, "full")
