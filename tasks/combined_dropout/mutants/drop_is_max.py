# mutant: takes the larger of the two drop rates as the combined drop rate
def combined_keep_prob(p, q):
    return 1.0 - max(p, q)


def combined_drop_prob(p, q):
    return max(p, q)
