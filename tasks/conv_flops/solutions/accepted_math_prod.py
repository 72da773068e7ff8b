# expect: accepted
# A correct solution with math.prod (exact for Python ints).
import math


def conv2d_macs(c_in, c_out, h_out, w_out, k_h, k_w):
    return math.prod((c_in, c_out, h_out, w_out, k_h, k_w))
