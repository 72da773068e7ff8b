# expect: accepted
# A correct solution: kept only if neither layer drops the unit; dropped is the complement.
def combined_keep_prob(p, q):
    return (1 - p) * (1 - q)


def combined_drop_prob(p, q):
    return 1 - (1 - p) * (1 - q)
