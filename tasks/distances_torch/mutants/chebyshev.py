# mutant: manhattan takes the largest absolute difference instead of their sum
import torch


def manhattan(x1, x2):
    return torch.max(torch.abs(x1 - x2))


def euclidean(x1, x2):
    return torch.sqrt(torch.sum((x1 - x2) ** 2))


def pairwise_manhattan(A, B):
    return torch.abs(A[:, None, :] - B[None, :, :]).amax(dim=-1)
