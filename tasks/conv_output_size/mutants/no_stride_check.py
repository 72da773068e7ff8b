# mutant: checks that the filter fits but not the stride: s = 0 divides by zero, a negative s gives a size


def conv_output_size(n, f, p, s):
    if n + 2 * p < f:
        raise ValueError("the filter does not fit")
    return (n + 2 * p - f) // s + 1
