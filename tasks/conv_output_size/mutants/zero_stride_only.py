# mutant: refuses a stride of 0 but lets a negative stride through


def conv_output_size(n, f, p, s):
    if s == 0 or n + 2 * p < f:
        raise ValueError("bad filter or stride")
    return (n + 2 * p - f) // s + 1
