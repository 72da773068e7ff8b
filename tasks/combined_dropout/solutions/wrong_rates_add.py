# expect: wrong_answer
# Mistake: adds the two drop rates (double-counting units both layers drop), capped at 1.
def combined_drop_prob(p, q):
    return min(p + q, 1.0)


def combined_keep_prob(p, q):
    return 1 - combined_drop_prob(p, q)
