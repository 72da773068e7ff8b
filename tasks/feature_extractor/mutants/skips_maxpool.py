# mutant: lists the layers by hand and forgets the max pool after the first convolution
import torch
import torch.nn as nn


class ResNetBottom(nn.Module):
    def __init__(self, m):
        super().__init__()
        self.features = nn.Sequential(m.conv1, m.bn1, m.relu, m.layer1, m.layer2, m.layer3, m.layer4, m.avgpool)

    def forward(self, x):
        return torch.flatten(self.features(x), 1)
