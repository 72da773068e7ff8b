# expect: wrong_answer
# Mistake: rounds up (ceil mode), counting a last window that sticks out of the input.
import math


def conv_output_size(n, f, p, s):
    if s < 1 or n + 2 * p < f:
        raise ValueError("does not fit")
    return math.ceil((n + 2 * p - f) / s) + 1
