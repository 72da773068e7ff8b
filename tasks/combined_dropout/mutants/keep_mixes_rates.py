# mutant: keep = (1 - p) * q, mixing the first layer's keep rate with the second's drop rate
def combined_keep_prob(p, q):
    return (1.0 - p) * q


def combined_drop_prob(p, q):
    return 1.0 - (1.0 - p) * q
