# expect: wrong_answer
# Mistake: never raises: a filter that does not fit gives 0 or a negative size.


def conv_output_size(n, f, p, s):
    return (n + 2 * p - f) // s + 1
