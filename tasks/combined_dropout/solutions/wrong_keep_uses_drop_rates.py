# expect: wrong_answer
# Mistake: multiplies the drop rates where the keep rates belong: keep = p q, drop = 1 - p q.
def combined_keep_prob(p, q):
    return p * q


def combined_drop_prob(p, q):
    return 1 - p * q
