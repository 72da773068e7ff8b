# expect: wrong_answer
# Mistake: counts FLOPs (a multiply and an add per MAC), twice the MAC count.


def conv2d_macs(c_in, c_out, h_out, w_out, k_h, k_w):
    return 2 * c_in * c_out * h_out * w_out * k_h * k_w
