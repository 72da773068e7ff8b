# mutant: averages the two layers' rates instead of combining independent events
def combined_keep_prob(p, q):
    return 1.0 - (p + q) / 2.0


def combined_drop_prob(p, q):
    return (p + q) / 2.0
