# expect: wrong_answer
# Mistake: adds the padding once (n + p - f) instead of on both sides (n + 2p - f).


def conv_output_size(n, f, p, s):
    if s < 1 or n + 2 * p < f:
        raise ValueError("does not fit")
    return (n + p - f) // s + 1
