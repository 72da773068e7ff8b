# expect: accepted
# A correct solution: freeze every parameter, then put a new nn.Linear head in place of fc
# (a freshly created layer requires gradients by default).
import torch.nn as nn


def adapt_for_classes(model, num_classes):
    for p in model.parameters():
        p.requires_grad = False
    num_ftrs = model.fc.in_features
    model.fc = nn.Linear(num_ftrs, num_classes)
    return model
