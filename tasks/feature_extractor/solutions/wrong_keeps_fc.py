# expect: wrong_answer
# Mistake: keeps a reference to the whole original model (fc included) and runs its
# layers by hand; the features are right, but the module still holds fc's parameters.
import torch
import torch.nn as nn


class ResNetBottom(nn.Module):
    def __init__(self, original_model):
        super().__init__()
        self.model = original_model

    def forward(self, x):
        m = self.model
        x = m.maxpool(m.relu(m.bn1(m.conv1(x))))
        x = m.layer4(m.layer3(m.layer2(m.layer1(x))))
        return torch.flatten(m.avgpool(x), 1)
