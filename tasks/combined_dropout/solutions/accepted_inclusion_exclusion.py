# expect: accepted
# A correct solution: the drop probability by inclusion-exclusion, P(A or B) = p + q - p q.
def combined_drop_prob(p, q):
    return p + q - p * q


def combined_keep_prob(p, q):
    return 1 - combined_drop_prob(p, q)
