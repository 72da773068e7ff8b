"""Cases for maxpool2d: N x C x H x W max pooling, no padding, floor mode."""

from collections.abc import Iterator

import numpy as np
import torch

from grader.questions.case import Case

_TWICE = "maxpool2d_twice"


def _t(values, dtype: torch.dtype = torch.float32) -> torch.Tensor:
    """A CPU tensor of `values` with `dtype`."""
    return torch.tensor(np.asarray(values, dtype=float), dtype=dtype)


def cases(rng: np.random.Generator) -> Iterator[Case]:
    """Visible examples, the questions' worked numbers, edge cases, then random cases."""
    q69 = _t([[[[1, 1, 2, 4], [5, 6, 7, 8], [3, 2, 1, 0], [1, 2, 3, 4]]]])
    yield Case("4x4, MaxPool2d(2, 2)", args=(q69, 2, 2), visible=True)
    yield Case("4x4, window 3, stride 1", args=(q69, 3, 1), visible=True)
    # Visible inputs are written out: candidates see them, so they are the same for every submission.
    batch = _t([[[[-1, -7, 0, -5, 1], [8, -5, 1, -1, -2], [2, 9, -2, -1, 8], [4, -4, -6, 9, 4]],
                 [[3, -3, 8, -8, 2], [-5, -8, -1, -6, -3], [2, -6, -7, -3, 4], [-8, 7, 8, 4, 4]]],
                [[[-9, -2, -7, -9, -6], [-9, 9, -1, 4, 6], [4, -1, -1, -2, -3], [1, -2, -3, 4, -6]],
                 [[7, 9, 7, -8, 6], [0, -7, 7, 1, 5], [9, -2, 6, -2, -7], [-4, 7, -7, 9, 3]]]])
    yield Case("2 images, 2 channels, 4x5, MaxPool2d(2, 2)", args=(batch, 2, 2), visible=True)
    # Worked numbers of MaxPool001: the 32 x 222 x 222 map after the 7x7 conv (224 + 2*2 - 7 + 1),
    # pooled by two MaxPool2d(2, 2) layers, or by one MaxPool2d(4, 4) that gives the same result.
    conv_out = _t(rng.normal(size=(1, 32, 222, 222)))
    yield Case("MaxPool001: one MaxPool2d(2, 2)", args=(conv_out, 2, 2))
    yield Case("MaxPool001: two MaxPool2d(2, 2) in a row", args=(conv_out, 2, 2), call=_TWICE)
    yield Case("MaxPool001: one MaxPool2d(4, 4)", args=(conv_out, 4, 4))
    # Edge cases.
    yield Case("all values negative", args=(_t(-1.0 - rng.random(size=(1, 2, 6, 8)) * 5.0), 2, 2))
    # Negative values that are not exactly representable, with ties inside windows.
    tenths = rng.choice([-0.1, -0.7, -0.3, -2.7], size=(2, 2, 7, 7))
    yield Case("negative values with ties, overlapping windows", args=(_t(tenths), 3, 2))
    yield Case("negative values with ties, float64, floor mode", args=(_t(tenths, torch.float64), 2, 2))
    yield Case("height and width not divisible: floor drops the rest", args=(_t(rng.normal(size=(1, 2, 7, 9))), 2, 2))
    yield Case("floor mode with window 3, stride 3", args=(_t(rng.normal(size=(2, 1, 11, 10))), 3, 3))
    yield Case("overlapping windows: 3, stride 2", args=(_t(rng.normal(size=(1, 3, 13, 13))), 3, 2))
    yield Case("stride larger than the window", args=(_t(rng.normal(size=(1, 2, 12, 10))), 2, 3))
    yield Case("window 1, stride 1 is the identity", args=(_t(rng.normal(size=(2, 2, 4, 5))), 1, 1))
    yield Case("window 1, stride 2 subsamples", args=(_t(rng.normal(size=(1, 1, 7, 6))), 1, 2))
    yield Case("window as large as the input: global max", args=(_t(rng.normal(size=(3, 4, 5, 5))), 5, 1))
    yield Case("only one window fits", args=(_t(rng.normal(size=(1, 2, 3, 3))), 2, 2))
    yield Case("non-square input", args=(_t(rng.normal(size=(2, 2, 5, 14))), 2, 2))
    yield Case("every channel pooled on its own", args=(_t(np.arange(2 * 4 * 4 * 4).reshape(2, 4, 4, 4)[:, ::-1].copy()), 2, 2))
    yield Case("float64 input", args=(_t(rng.normal(size=(1, 3, 8, 8)), torch.float64), 2, 2))
    yield Case("large magnitudes", args=(_t(rng.normal(size=(1, 1, 6, 6)) * 1e6), 3, 3))
    yield Case("two pools in a row on an odd size", args=(_t(rng.normal(size=(1, 2, 19, 23))), 2, 2), call=_TWICE)
    for i in range(12):
        n, c = int(rng.integers(1, 4)), int(rng.integers(1, 5))
        h, w = int(rng.integers(1, 33)), int(rng.integers(1, 33))
        k = int(rng.integers(1, min(h, w, 5) + 1))
        s = int(rng.integers(1, 5))
        dtype = torch.float64 if i % 3 == 2 else torch.float32
        x = _t(rng.normal(size=(n, c, h, w)) * float(rng.uniform(0.5, 10.0)), dtype)
        yield Case(f"random {i}", args=(x, k, s))
