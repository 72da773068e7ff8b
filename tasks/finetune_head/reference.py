"""Reference for finetune_head (trusted side): freeze everything, then a new fc head."""

from torch import nn


def adapt_for_classes(model: nn.Module, num_classes: int) -> nn.Module:
    """Freeze every parameter, then replace `fc` by a trainable nn.Linear(512, num_classes)."""
    for param in model.parameters():
        param.requires_grad = False
    model.fc = nn.Linear(model.fc.in_features, num_classes)
    return model
