# expect: forbidden_api
# Uses torch.nn.functional, which the question forbids (torch as a whole is forbidden).
import torch
import torch.nn.functional as F


def softmax(z, axis=-1):
    return torch.softmax(torch.from_numpy(z).double(), dim=axis).numpy()


def cross_entropy(logits, labels):
    return F.cross_entropy(torch.from_numpy(logits), torch.from_numpy(labels)).item()
