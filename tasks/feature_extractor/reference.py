"""Reference for feature_extractor (trusted side): every child but fc, then flatten."""

import torch
from torch import nn


class ResNetBottom(nn.Module):
    """The original model without its final fully connected layer."""

    def __init__(self, original_model: nn.Module) -> None:
        super().__init__()
        self.features = nn.Sequential(*list(original_model.children())[:-1])

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.features(x)
        return x.view(x.size(0), -1)
