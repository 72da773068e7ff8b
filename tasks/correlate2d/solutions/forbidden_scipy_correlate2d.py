# expect: forbidden_api
# Calls scipy.signal.correlate2d, which the question forbids.
from scipy.signal import correlate2d as _library


def correlate2d(x, k, mode):
    return _library(x, k, mode=mode)
