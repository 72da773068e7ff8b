# mutant: divides by the bare standard deviation (no eps), so a constant row gives 0 / 0 = NaN


def layernorm_forward(x, gamma, beta, eps):
    mean = x.mean(axis=-1, keepdims=True)
    std = x.std(axis=-1, keepdims=True)
    return gamma * (x - mean) / std + beta
