# expect: accepted
# A correct solution with math.floor of a true division (floor returns an int).
import math


def conv_output_size(n, f, p, s):
    if s <= 0:
        raise ValueError("stride must be positive")
    if f > n + 2 * p:
        raise ValueError("filter larger than the padded input")
    return math.floor((n + 2 * p - f) / s) + 1
