# expect: wrong_answer
# Mistake: returns the pooled maps as they are, N x 512 x 1 x 1, not flattened to N x 512.
import torch.nn as nn


class ResNetBottom(nn.Module):
    def __init__(self, original_model):
        super().__init__()
        self.features = nn.Sequential(*list(original_model.children())[:-1])

    def forward(self, x):
        return self.features(x)
