# expect: wrong_answer
# Mistake: replaces the head but never freezes the backbone (model.eval() does not freeze
# parameters; it only switches BatchNorm and dropout to inference behaviour).
import torch.nn as nn


def adapt_for_classes(model, num_classes):
    model.eval()
    model.fc = nn.Linear(model.fc.in_features, num_classes)
    return model
