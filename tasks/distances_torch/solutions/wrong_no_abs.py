# expect: wrong_answer
# Mistake: manhattan sums the signed differences (forgets the absolute value).
import torch


def manhattan(x1, x2):
    return torch.sum(x1 - x2)


def euclidean(x1, x2):
    return torch.sqrt(torch.sum((x1 - x2) ** 2))


def pairwise_manhattan(A, B):
    return (A[:, None, :] - B[None, :, :]).sum(dim=-1)
