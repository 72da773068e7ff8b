# expect: wrong_answer
# Mistake: pairwise_manhattan broadcasts the wrong way round and returns m x n.
import torch


def manhattan(x1, x2):
    return torch.sum(torch.abs(x1 - x2))


def euclidean(x1, x2):
    return torch.sqrt(torch.sum((x1 - x2) ** 2))


def pairwise_manhattan(A, B):
    return torch.abs(B[:, None, :] - A[None, :, :]).sum(dim=-1)
