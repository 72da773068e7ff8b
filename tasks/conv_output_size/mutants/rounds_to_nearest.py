# mutant: rounds (n + 2p - f) / s to the nearest integer instead of flooring it


def conv_output_size(n, f, p, s):
    if s < 1 or n + 2 * p < f:
        raise ValueError("the filter does not fit")
    return int(round((n + 2 * p - f) / s)) + 1
