# expect: accepted
# A correct solution: output values times the work per output value, in Python ints.


def conv2d_macs(c_in, c_out, h_out, w_out, k_h, k_w):
    per_output = c_in * k_h * k_w
    return c_out * h_out * w_out * per_output
