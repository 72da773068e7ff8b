# expect: wrong_answer
# Mistake: replaces the head first and freezes afterwards, so the new head is frozen too
# and nothing can be trained.
import torch.nn as nn


def adapt_for_classes(model, num_classes):
    model.fc = nn.Linear(model.fc.in_features, num_classes)
    for p in model.parameters():
        p.requires_grad = False
    return model
