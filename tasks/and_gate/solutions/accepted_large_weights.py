# expect: accepted
# Another correct answer with different scale: z = 20 x1 + 20 x2 - 30.


def and_gate_params():
    return (20, 20, -30)
