# mutant: takes the absolute value of the summed differences, not of each difference
import torch


def manhattan(x1, x2):
    return torch.abs(torch.sum(x1 - x2))


def euclidean(x1, x2):
    return torch.sqrt(torch.sum((x1 - x2) ** 2))


def pairwise_manhattan(A, B):
    return torch.abs((A[:, None, :] - B[None, :, :]).sum(dim=-1))
