# expect: accepted
# A correct solution in another order: replace the head first, freeze the whole model,
# then unfreeze the head explicitly.
from torch import nn


def adapt_for_classes(model, num_classes):
    model.fc = nn.Linear(512, num_classes)
    model.requires_grad_(False)
    model.fc.requires_grad_(True)
    return model
