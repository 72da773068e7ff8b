# expect: wrong_answer
# Mistake: squeeze() removes every size-1 dimension, including the batch dimension when
# the batch holds one image: the result is (512,) instead of (1, 512).
import torch.nn as nn


class ResNetBottom(nn.Module):
    def __init__(self, original_model):
        super().__init__()
        self.features = nn.Sequential(*list(original_model.children())[:-1])

    def forward(self, x):
        return self.features(x).squeeze()
