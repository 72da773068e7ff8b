# expect: accepted
# Another correct answer, as lists: y = OR and not AND, i.e. step(h_or - 2 h_and - 0.5).


def xor_network():
    return {"W1": [[1, 1], [1, 1]], "b1": [-0.5, -1.5], "W2": [1, -2], "b2": -0.5}
