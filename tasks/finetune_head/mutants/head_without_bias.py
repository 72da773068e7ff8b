# mutant: the new head has no bias
from torch import nn


def adapt_for_classes(model, num_classes):
    for p in model.parameters():
        p.requires_grad = False
    model.fc = nn.Linear(512, num_classes, bias=False)
    return model
