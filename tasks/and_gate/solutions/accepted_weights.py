# expect: accepted
# A correct answer: z = x1 + x2 - 1.5 is positive only when both inputs are 1.


def and_gate_params():
    return 1.0, 1.0, -1.5
