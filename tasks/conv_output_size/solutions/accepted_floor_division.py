# expect: accepted
# A correct solution: integer floor division, after checking the stride and the fit.


def conv_output_size(n, f, p, s):
    if s < 1 or n + 2 * p < f:
        raise ValueError("the filter does not fit, or the stride is not positive")
    return (n + 2 * p - f) // s + 1
