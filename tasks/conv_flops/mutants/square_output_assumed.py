# mutant: assumes a square output map and multiplies by h_out twice


def conv2d_macs(c_in, c_out, h_out, w_out, k_h, k_w):
    return c_in * c_out * h_out * h_out * k_h * k_w
