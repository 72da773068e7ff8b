# expect: forbidden_api
# Uses numpy.correlate, which the question forbids.
import numpy as np


def correlate1d(a, v):
    return np.correlate(a, v, mode="full")
