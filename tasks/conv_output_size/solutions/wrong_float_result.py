# expect: wrong_answer
# Mistake: returns the true division (n + 2p - f) / s + 1, a float such as 3.5.


def conv_output_size(n, f, p, s):
    if s < 1 or n + 2 * p < f:
        raise ValueError("does not fit")
    return (n + 2 * p - f) / s + 1
