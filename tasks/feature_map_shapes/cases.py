"""Cases for feature_map_shapes: (C, H, W) after each conv / pool / relu layer."""

from collections.abc import Iterator
from typing import Any

import numpy as np

from grader.questions.case import Case


def conv(out: int, k: int, s: int = 1, p: int = 0) -> dict[str, Any]:
    return {"type": "conv", "out": out, "k": k, "s": s, "p": p}


def pool(k: int, s: int) -> dict[str, Any]:
    return {"type": "pool", "k": k, "s": s}


RELU: dict[str, Any] = {"type": "relu"}


def vgg11_features() -> list[dict[str, Any]]:
    """torchvision's vgg11().features: configuration 'A', 3x3 convs with padding 1, each with a ReLU."""
    layers: list[dict[str, Any]] = []
    for v in [64, "M", 128, "M", 256, 256, "M", 512, 512, "M", 512, 512, "M"]:
        layers += [pool(2, 2)] if v == "M" else [conv(int(v), 3, 1, 1), dict(RELU)]
    return layers


def maxpool001() -> list[dict[str, Any]]:
    """The MaxPool001 module without its BatchNorm (which keeps the shape)."""
    return [conv(32, 7, 1, 2), pool(2, 2), pool(2, 2)]


def _random_layers(rng: np.random.Generator, c: int, h: int, w: int, count: int) -> list[dict[str, Any]]:
    """A random stack whose every layer fits its input."""
    layers: list[dict[str, Any]] = []
    for _ in range(count):
        roll = float(rng.random())
        if roll < 0.25:
            layers.append(dict(RELU))
            continue
        if roll < 0.45 and min(h, w) >= 2:
            k = int(rng.integers(2, min(h, w, 4) + 1))
            s = int(rng.integers(1, 4))
            layers.append(pool(k, s))
            h, w = (h - k) // s + 1, (w - k) // s + 1
            continue
        p = int(rng.integers(0, 4))
        k = int(rng.integers(1, min(h + 2 * p, w + 2 * p, 8) + 1))
        s = int(rng.integers(1, 4))
        c = int(rng.integers(1, 513))
        layers.append(conv(c, k, s, p))
        h, w = (h + 2 * p - k) // s + 1, (w + 2 * p - k) // s + 1
    return layers


def cases(rng: np.random.Generator) -> Iterator[Case]:
    """Visible examples, the questions' networks, edge cases, then random cases."""
    block = vgg11_features()[:3]
    yield Case("VGG11 first block on 224x224", args=((3, 224, 224), block), visible=True)
    yield Case("conv stride 2 then pool", args=((1, 28, 28), [conv(8, 5, 2, 1), RELU, pool(3, 2)]), visible=True)
    # Worked numbers: VGG11's feature stack (Q61), its first block (Q62), MaxPool001 (Q70).
    yield Case("VGG11 features on 224x224", args=((3, 224, 224), vgg11_features()))
    yield Case("VGG11 features on 512x512", args=((3, 512, 512), vgg11_features()))
    yield Case("VGG11 features on 704x1024", args=((3, 704, 1024), vgg11_features()))
    yield Case("VGG11 first block on 512x512", args=((3, 512, 512), block))
    yield Case("VGG11 first block on 704x1024", args=((3, 704, 1024), block))
    yield Case("MaxPool001 on 224x224", args=((3, 224, 224), maxpool001()))
    yield Case("MaxPool001 with one MaxPool2d(4, 4)", args=((3, 224, 224), [conv(32, 7, 1, 2), pool(4, 4)]))
    # Edge cases.
    yield Case("no layers", args=((3, 32, 32), []))
    yield Case("only activations", args=((5, 7, 9), [RELU, RELU]))
    yield Case("non-square input, floor in both directions", args=((3, 15, 20), [conv(4, 4, 3, 0), pool(2, 2)]))
    yield Case("pool on odd size drops the last row", args=((2, 7, 7), [pool(2, 2), pool(2, 2)]))
    yield Case("filter larger than input, padding makes it fit", args=((1, 3, 3), [conv(6, 5, 1, 1)]))
    yield Case("output shrinks to 1x1", args=((16, 6, 6), [conv(32, 3), pool(4, 1)]))
    yield Case("1x1 convolution changes only channels", args=((64, 56, 56), [conv(256, 1)]))
    yield Case("AlexNet's first layers", args=((3, 227, 227), [conv(96, 11, 4), RELU, pool(3, 2), conv(256, 5, 1, 2), RELU, pool(3, 2)]))
    yield Case("ResNet stem", args=((3, 224, 224), [conv(64, 7, 2, 3), RELU, pool(2, 2)]))
    for i in range(12):
        c, h, w = int(rng.integers(1, 65)), int(rng.integers(1, 400)), int(rng.integers(1, 400))
        count = int(rng.integers(1, 11))
        layers = _random_layers(rng, c, h, w, count)
        yield Case(f"random {i}", args=((c, h, w), layers))
