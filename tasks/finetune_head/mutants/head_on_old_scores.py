# mutant: stacks a new layer on the old 1000 ImageNet scores instead of replacing fc
from torch import nn


def adapt_for_classes(model, num_classes):
    for p in model.parameters():
        p.requires_grad = False
    model.fc = nn.Sequential(model.fc, nn.Linear(1000, num_classes))
    return model
