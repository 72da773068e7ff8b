# mutant: resets the BatchNorm running statistics while freezing, losing the pretrained ones
from torch import nn


def adapt_for_classes(model, num_classes):
    for module in model.modules():
        if isinstance(module, nn.BatchNorm2d):
            module.reset_running_stats()
    for p in model.parameters():
        p.requires_grad = False
    model.fc = nn.Linear(512, num_classes)
    return model
