# mutant: pairwise_manhattan averages over the features instead of summing
import torch


def manhattan(x1, x2):
    return torch.sum(torch.abs(x1 - x2))


def euclidean(x1, x2):
    return torch.sqrt(torch.sum((x1 - x2) ** 2))


def pairwise_manhattan(A, B):
    return torch.abs(A[:, None, :] - B[None, :, :]).mean(dim=-1)
