# expect: wrong_answer
# Mistake: ignores s and steps by the window size k (non-overlapping windows only).


def maxpool2d(x, k, s):
    windows = x.unfold(2, k, k).unfold(3, k, k)
    return windows.amax(dim=(-2, -1))
