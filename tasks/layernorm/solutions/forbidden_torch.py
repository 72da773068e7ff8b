# expect: forbidden_api
# Uses torch.nn.functional.layer_norm, which the question forbids (all of torch is forbidden).
import torch
import torch.nn.functional as F


def layernorm_forward(x, gamma, beta, eps):
    t = torch.from_numpy(x)
    return F.layer_norm(t, (x.shape[-1],), torch.from_numpy(gamma), torch.from_numpy(beta), eps).numpy()
