"""Reference for conv_flops (trusted side)."""


def conv2d_macs(c_in: int, c_out: int, h_out: int, w_out: int, k_h: int, k_w: int) -> int:
    """c_in * c_out * h_out * w_out * k_h * k_w, in exact integer arithmetic."""
    return int(c_in) * int(c_out) * int(h_out) * int(w_out) * int(k_h) * int(k_w)
