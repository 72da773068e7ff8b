# mutant: returns NumPy arrays (.numpy()) instead of tensors
import torch


def manhattan(x1, x2):
    return torch.sum(torch.abs(x1 - x2)).cpu().numpy()


def euclidean(x1, x2):
    return torch.sqrt(torch.sum((x1 - x2) ** 2)).cpu().numpy()


def pairwise_manhattan(A, B):
    return torch.abs(A[:, None, :] - B[None, :, :]).sum(dim=-1).cpu().numpy()
