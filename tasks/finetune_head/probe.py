"""How finetune_head is called: on a small ResNet-style model built here, seeded.

The same probe runs on the reference and on the candidate; it returns data only, never
a judgement (the candidate's code runs beside it and could rewrite anything it
computes): the output, the new head applied to the original model's features,
`requires_grad` of every parameter, the kept weights and buffers, and the head's type.
The trusted side (checks.py) compares them with what the probe returned on the reference.
"""

import copy
from types import ModuleType

import torch
from torch import nn


class BasicBlock(nn.Module):
    """ResNet's basic block: two 3x3 convolutions and a shortcut."""

    def __init__(self, cin: int, cout: int, stride: int) -> None:
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(cout)
        self.relu = nn.ReLU(inplace=True)
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.downsample = None
        if stride != 1 or cin != cout:
            self.downsample = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        identity = x if self.downsample is None else self.downsample(x)
        out = self.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        return self.relu(out + identity)


class Bottleneck(nn.Module):
    """ResNet's bottleneck block: 1x1, 3x3, 1x1 (expanding) convolutions and a shortcut."""

    def __init__(self, cin: int, mid: int, cout: int, stride: int) -> None:
        super().__init__()
        self.conv1 = nn.Conv2d(cin, mid, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(mid)
        self.conv2 = nn.Conv2d(mid, mid, 3, stride, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(mid)
        self.conv3 = nn.Conv2d(mid, cout, 1, bias=False)
        self.bn3 = nn.BatchNorm2d(cout)
        self.relu = nn.ReLU(inplace=True)
        self.downsample = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        identity = self.downsample(x)
        out = self.relu(self.bn1(self.conv1(x)))
        out = self.relu(self.bn2(self.conv2(out)))
        out = self.bn3(self.conv3(out))
        return self.relu(out + identity)


class TinyResNet(nn.Module):
    """A small ResNet: the children in the order torchvision's ResNet has them,
    ending with `avgpool` and `fc = nn.Linear(512, 1000)`."""

    def __init__(self) -> None:
        super().__init__()
        self.conv1 = nn.Conv2d(3, 8, 3, 1, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(8)
        self.relu = nn.ReLU(inplace=True)
        self.maxpool = nn.MaxPool2d(3, 2, 1)
        self.layer1 = nn.Sequential(BasicBlock(8, 8, 1))
        self.layer2 = nn.Sequential(BasicBlock(8, 16, 2))
        self.layer3 = nn.Sequential(BasicBlock(16, 32, 2))
        self.layer4 = nn.Sequential(Bottleneck(32, 32, 512, 2))
        self.avgpool = nn.AdaptiveAvgPool2d((1, 1))
        self.fc = nn.Linear(512, 1000)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.maxpool(self.relu(self.bn1(self.conv1(x))))
        x = self.layer4(self.layer3(self.layer2(self.layer1(x))))
        x = torch.flatten(self.avgpool(x), 1)
        return self.fc(x)


def build_model(seed: int) -> TinyResNet:
    """The "pretrained" model: seeded weights, BatchNorm statistics drawn too, eval mode."""
    torch.manual_seed(int(seed))
    model = TinyResNet()
    with torch.no_grad():
        for module in model.modules():
            if isinstance(module, nn.BatchNorm2d):
                module.weight.uniform_(0.5, 1.5)
                module.bias.normal_(0.0, 0.1)
                module.running_mean.normal_(0.0, 0.1)
                module.running_var.uniform_(0.5, 1.5)
    return model.eval()


def images(seed: int, n: int, h: int, w: int) -> torch.Tensor:
    """A float32 batch of n RGB images of h x w, from a generator of its own."""
    return torch.randn(int(n), 3, int(h), int(w), generator=torch.Generator().manual_seed(int(seed) + 1))


def adapt(impl: ModuleType, seed: int, num_classes: int, n: int, h: int, w: int) -> dict:
    """Build the model (weights from `seed`), call `impl.adapt_for_classes`, run a batch
    of n images of h x w through the result in eval mode, and return what came back.

    `head_on_features` is the adapted model's `fc` applied to the 512 features that an
    untouched copy of the original model computes; `kept` holds, for every weight and
    buffer of the original model outside `fc`, the adapted model's value under that
    name (None where it has none).
    """
    model = build_model(seed)
    x = images(seed, n, h, w)
    original = copy.deepcopy(model)
    keys = [k for k in model.state_dict() if not k.startswith("fc.")]
    adapted = impl.adapt_for_classes(model, int(num_classes))
    adapted.eval()
    with torch.no_grad():
        out = adapted(x)
        features = torch.flatten(nn.Sequential(*list(original.children())[:-1])(x), 1)
        head = adapted.fc(features)
    after = adapted.state_dict()
    return {
        "output": out,
        "head_on_features": head,
        "requires_grad": {name: bool(p.requires_grad) for name, p in adapted.named_parameters()},
        "kept": {k: after[k].detach().clone() if k in after else None for k in keys},
        "head_type": type(adapted.fc).__name__,
        "head_is_linear": isinstance(adapted.fc, nn.Linear),
        "head_has_bias": getattr(adapted.fc, "bias", None) is not None,
    }
