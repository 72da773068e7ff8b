# expect: wrong_answer
# Mistake: treats each filter as k_h x k_w only (as in a depthwise convolution), dropping c_in.


def conv2d_macs(c_in, c_out, h_out, w_out, k_h, k_w):
    return c_out * h_out * w_out * k_h * k_w
