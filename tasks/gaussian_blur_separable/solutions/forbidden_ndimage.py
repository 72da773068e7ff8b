# expect: forbidden_api
# Calls scipy.ndimage.gaussian_filter, which the question forbids.
import numpy as np
from scipy import ndimage


def gaussian_blur(img, sigma, radius):
    return ndimage.gaussian_filter(np.asarray(img, dtype=float), sigma, mode="constant", radius=radius)
