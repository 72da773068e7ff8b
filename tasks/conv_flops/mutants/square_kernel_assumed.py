# mutant: assumes a square kernel and multiplies by k_h twice


def conv2d_macs(c_in, c_out, h_out, w_out, k_h, k_w):
    return c_in * c_out * h_out * w_out * k_h * k_h
