# mutant: the fit check compares the filter with the unpadded input (n < f), refusing filters that padding makes fit


def conv_output_size(n, f, p, s):
    if s < 1 or n < f:
        raise ValueError("the filter does not fit")
    return (n + 2 * p - f) // s + 1
