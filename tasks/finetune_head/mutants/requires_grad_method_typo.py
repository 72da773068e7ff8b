# mutant: assigns to the method name requires_grad_ instead of the flag requires_grad
from torch import nn


def adapt_for_classes(model, num_classes):
    for p in model.parameters():
        p.requires_grad_ = False
    model.fc = nn.Linear(512, num_classes)
    return model
