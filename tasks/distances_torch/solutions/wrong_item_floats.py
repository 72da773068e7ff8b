# expect: wrong_answer
# Mistake: manhattan and euclidean return Python floats through .item(), where the
# question asks for 0-d tensors that stay on the input's device (and forbids .item()).
import torch


def manhattan(x1, x2):
    return torch.sum(torch.abs(x1 - x2)).item()


def euclidean(x1, x2):
    return torch.sqrt(torch.sum((x1 - x2) ** 2)).item()


def pairwise_manhattan(A, B):
    return torch.abs(A[:, None, :] - B[None, :, :]).sum(dim=-1)
