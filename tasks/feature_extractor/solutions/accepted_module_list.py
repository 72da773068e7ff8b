# expect: accepted
# A correct solution: keeps the children by name in a ModuleDict, skipping "fc", and
# reshapes with the batch size.
import torch.nn as nn


class ResNetBottom(nn.Module):
    def __init__(self, original_model):
        super().__init__()
        self.parts = nn.ModuleDict({name: m for name, m in original_model.named_children() if name != "fc"})

    def forward(self, x):
        for module in self.parts.values():
            x = module(x)
        return x.reshape(x.shape[0], -1)
