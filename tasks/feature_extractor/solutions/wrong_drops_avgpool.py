# expect: wrong_answer
# Mistake: drops the last two children (avgpool and fc), so the un-pooled maps are
# flattened: N x (512 * h * w) values instead of N x 512.
import torch
import torch.nn as nn


class ResNetBottom(nn.Module):
    def __init__(self, original_model):
        super().__init__()
        self.features = nn.Sequential(*list(original_model.children())[:-2])

    def forward(self, x):
        return torch.flatten(self.features(x), 1)
