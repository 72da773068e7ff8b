"""Cases for conv_flops: c_in * c_out * h_out * w_out * k_h * k_w as an exact int."""

from collections.abc import Iterator

import numpy as np

from grader.questions.case import Case


def cases(rng: np.random.Generator) -> Iterator[Case]:
    """Visible examples, well-known layers, edge cases, then random cases."""
    yield Case("3x3 filter on a 6x6 image", args=(1, 1, 4, 4, 3, 3), visible=True)
    yield Case("VGG-16 conv1_1", args=(3, 64, 224, 224, 3, 3), visible=True)
    # Worked numbers: layers of well-known networks.
    yield Case("ResNet conv1: 7x7, stride 2", args=(3, 64, 112, 112, 7, 7))
    yield Case("AlexNet conv1: 11x11, stride 4", args=(3, 96, 55, 55, 11, 11))
    yield Case("VGG-16 conv5_3", args=(512, 512, 14, 14, 3, 3))
    yield Case("VGG11 conv2 on 512x512", args=(64, 128, 256, 256, 3, 3))
    yield Case("MaxPool001 conv: 7x7, padding 2", args=(3, 32, 222, 222, 7, 7))
    yield Case("ResNet bottleneck 1x1", args=(256, 64, 56, 56, 1, 1))
    # Edge cases.
    yield Case("everything 1", args=(1, 1, 1, 1, 1, 1))
    yield Case("non-square kernel 1x7", args=(128, 128, 17, 17, 1, 7))
    yield Case("non-square kernel 7x1", args=(128, 192, 17, 17, 7, 1))
    yield Case("non-square output", args=(16, 8, 30, 45, 3, 5))
    yield Case("c_in differs from c_out", args=(5, 2, 9, 9, 3, 3))
    yield Case("more than 2**53 MACs", args=(4097, 4099, 2049, 2047, 11, 13))
    yield Case("more than 2**53 MACs, odd sizes", args=(6007, 5003, 3999, 3001, 11, 9))
    # Past 2**63 a product of NumPy int64s wraps around silently; Python ints stay exact.
    yield Case("more than 2**63 MACs", args=(100003, 99991, 5003, 4999, 11, 13))
    for i in range(12):
        c_in, c_out = (int(v) for v in rng.integers(1, 1025, size=2))
        h_out, w_out = (int(v) for v in rng.integers(1, 300, size=2))
        k_h, k_w = (int(v) for v in rng.integers(1, 12, size=2))
        yield Case(f"random {i}", args=(c_in, c_out, h_out, w_out, k_h, k_w))
