# expect: wrong_answer
# Mistake: adds one operation per output value for the bias.


def conv2d_macs(c_in, c_out, h_out, w_out, k_h, k_w):
    return c_out * h_out * w_out * (c_in * k_h * k_w + 1)
