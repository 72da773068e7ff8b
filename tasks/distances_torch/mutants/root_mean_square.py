# mutant: euclidean averages the squares (a root mean square) instead of summing them
import torch


def manhattan(x1, x2):
    return torch.sum(torch.abs(x1 - x2))


def euclidean(x1, x2):
    return torch.sqrt(torch.mean((x1 - x2) ** 2))


def pairwise_manhattan(A, B):
    return torch.abs(A[:, None, :] - B[None, :, :]).sum(dim=-1)
