# expect: forbidden_api
# Uses torch.cdist, which the question forbids.
import torch


def manhattan(x1, x2):
    return torch.cdist(x1[None], x2[None], p=1)[0, 0]


def euclidean(x1, x2):
    return torch.cdist(x1[None], x2[None], p=2)[0, 0]


def pairwise_manhattan(A, B):
    return torch.cdist(A, B, p=1)
