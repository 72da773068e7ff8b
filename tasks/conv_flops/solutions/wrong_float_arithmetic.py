# expect: wrong_answer
# Mistake: multiplies in floating point and converts at the end, which is inexact past 2**53.


def conv2d_macs(c_in, c_out, h_out, w_out, k_h, k_w):
    return int(float(c_in) * c_out * h_out * w_out * k_h * k_w)
