"""Reference for distances_torch (trusted side); results stay on the inputs' device."""

import torch


def manhattan(x1: torch.Tensor, x2: torch.Tensor) -> torch.Tensor:
    """L1 distance between two vectors, a 0-d tensor."""
    return (x1 - x2).abs().sum()


def euclidean(x1: torch.Tensor, x2: torch.Tensor) -> torch.Tensor:
    """L2 distance between two vectors, a 0-d tensor."""
    return torch.linalg.vector_norm(x1 - x2)


def pairwise_manhattan(A: torch.Tensor, B: torch.Tensor) -> torch.Tensor:
    """n x m L1 distances between the rows of A and of B."""
    return torch.cdist(A, B, p=1)
