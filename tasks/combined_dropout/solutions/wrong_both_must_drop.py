# expect: wrong_answer
# Mistake: thinks a unit is dropped only when both layers drop it: drop = p q, keep = 1 - p q.
def combined_keep_prob(p, q):
    return 1 - p * q


def combined_drop_prob(p, q):
    return p * q
