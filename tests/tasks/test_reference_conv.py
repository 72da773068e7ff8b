"""Checks of the conv group's question folders: the catalogue's declarations, and the
reference against the library function the catalogue names.

Questions: correlate2d, conv_output_size, gaussian_kernel, gaussian_blur_separable,
conv_flops, maxpool2d, feature_map_shapes. For each one the reference agrees with the
library function the catalogue names (SciPy, torch.nn.functional, torch.nn layers
on the meta device) or, where the catalogue names none, with an independent
computation. What every coding question gets alike (question.yml, cases, solutions
run in process) is in test_bank_cases.py.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest
import scipy.signal
import torch
import torch.nn.functional as F

from grader.questions.case import Case
from tests.tasks.bank_support import (
    CONV_FORBIDDEN,
    TASKS,
    invoke,
    load_module,
    make_cases,
    one_torch_thread,  # noqa: F401 - autouse: one torch thread, as in the sandbox
    plain,
    question,
    reference_matches,
)

QUESTIONS = [
    "correlate2d",
    "conv_output_size",
    "gaussian_kernel",
    "gaussian_blur_separable",
    "conv_flops",
    "maxpool2d",
    "feature_map_shapes",
]
FORBIDDEN = {
    "correlate2d": CONV_FORBIDDEN,
    "conv_output_size": [],
    "gaussian_kernel": ["scipy.ndimage", "scipy.signal", "torch.signal"],
    # torch's 2-D and 3-D convolutions too; 1-D ones are allowed, as np.convolve is.
    "gaussian_blur_separable": [
        "scipy.ndimage", "scipy.signal", "torch.signal", "torch.conv2d", "torch.conv3d", "torch.conv_transpose2d",
        "torch.conv_transpose3d", "torch.convolution", "torch.mkldnn_convolution", "torch.nn.functional.conv2d",
        "torch.nn.Conv2d", "torch.nn.Conv3d",
    ],
    "conv_flops": [],
    # The catalogue's two names, plus two aliases of the same operation.
    "maxpool2d": [
        "torch.nn.functional.max_pool2d", "torch.nn.MaxPool2d",
        "torch.max_pool2d", "torch.nn.functional.max_pool2d_with_indices",
    ],
    "feature_map_shapes": [],
}
CHECKER = {
    "correlate2d": {"name": "allclose", "rtol": 1e-6, "atol": 1e-9},
    "conv_output_size": {"name": "exact"},
    "gaussian_kernel": {"name": "allclose", "rtol": 1e-6, "atol": 1e-9},
    "gaussian_blur_separable": {"name": "allclose", "rtol": 1e-6, "atol": 1e-9},
    "conv_flops": {"name": "exact"},
    "maxpool2d": {"name": "allclose", "rtol": 1e-4, "atol": 1e-6},
    "feature_map_shapes": {"name": "exact"},
}


# --- the library functions (or independent computations) -----------------------------


def _gaussian_1d(sigma: float, radius: int) -> np.ndarray:
    """scipy.signal.windows.gaussian, normalised to sum 1."""
    g = scipy.signal.windows.gaussian(2 * radius + 1, std=sigma)
    return g / g.sum()


def _torch_output_size(n: int, f: int, p: int, s: int) -> int:
    """The output length torch's conv1d gives (raises when the filter does not fit or s < 1)."""
    out = F.conv1d(torch.zeros(1, 1, n), torch.zeros(1, 1, f), stride=s, padding=p)
    return int(out.shape[-1])


def _counted_macs(c_in: int, c_out: int, h_out: int, w_out: int, k_h: int, k_w: int) -> int:
    """MACs counted by running a conv of ones: each output is a sum of c_in * k_h * k_w products of 1."""
    if math.prod((c_in, c_out, h_out, w_out, k_h, k_w)) > 3e7:
        return math.prod((c_in, c_out, h_out, w_out, k_h, k_w))
    x = torch.ones(1, c_in, h_out + k_h - 1, w_out + k_w - 1, dtype=torch.float64)
    w = torch.ones(c_out, c_in, k_h, k_w, dtype=torch.float64)
    out = F.conv2d(x, w)
    assert tuple(out.shape) == (1, c_out, h_out, w_out)
    return int(out.sum().item())


def _torch_shapes(input_shape: tuple[int, int, int], layers: list[dict[str, Any]]) -> list[tuple[int, ...]]:
    """torch.nn layers on the meta device (shapes only, no arithmetic)."""
    c = input_shape[0]
    x = torch.empty(1, *input_shape, device="meta")
    shapes: list[tuple[int, ...]] = []
    for layer in layers:
        if layer["type"] == "conv":
            module: torch.nn.Module = torch.nn.Conv2d(c, layer["out"], layer["k"], stride=layer["s"], padding=layer["p"], device="meta")
            c = layer["out"]
        elif layer["type"] == "pool":
            module = torch.nn.MaxPool2d(layer["k"], layer["s"])
        else:
            module = torch.nn.ReLU()
        x = module(x)
        shapes.append(tuple(int(v) for v in x.shape[1:]))
    return shapes


ORACLES: dict[str, Any] = {
    "correlate2d": lambda x, k, mode: scipy.signal.correlate2d(x, k, mode=mode, boundary="fill", fillvalue=0),
    "conv_output_size": _torch_output_size,
    "gaussian_kernel_1d": _gaussian_1d,
    "gaussian_kernel_2d": lambda sigma, radius: np.outer(_gaussian_1d(sigma, radius), _gaussian_1d(sigma, radius)),
    "gaussian_blur": lambda img, sigma, radius: scipy.signal.convolve2d(
        img, np.outer(_gaussian_1d(sigma, radius), _gaussian_1d(sigma, radius)), mode="same", boundary="fill"),
    "conv2d_macs": _counted_macs,
    "maxpool2d": lambda x, k, s: F.max_pool2d(x, k, s),
    "maxpool2d_twice": lambda x, k, s: F.max_pool2d(F.max_pool2d(x, k, s), k, s),
    "feature_map_shapes": _torch_shapes,
}


# --- tests ---------------------------------------------------------------------------


@pytest.mark.parametrize("qid", QUESTIONS)
def test_catalogue(qid: str) -> None:
    q = question(qid)
    assert q["forbidden"] == FORBIDDEN[qid]
    assert q["checker"] == CHECKER[qid]
    assert q["uses_torch"] == (qid == "maxpool2d")


@pytest.mark.parametrize("qid", QUESTIONS)
def test_reference_matches_library(qid: str) -> None:
    checker = question(qid)["checker"]

    def same(case: Case, actual: Any, expected: Any) -> bool:
        if checker["name"] == "exact":
            return type(actual) is type(expected) and actual == expected
        a, e = np.asarray(plain(actual)), np.asarray(plain(expected))
        if a.shape != e.shape or not np.allclose(a.astype(float), e.astype(float), rtol=checker["rtol"], atol=checker["atol"]):
            return False
        return not isinstance(expected, torch.Tensor) or (isinstance(actual, torch.Tensor) and actual.dtype == expected.dtype)

    reference_matches(qid, ORACLES, same, library_raises=(RuntimeError, ValueError))


def test_gaussian_kernels_are_normalised_and_separable() -> None:
    reference = load_module(TASKS / "gaussian_kernel" / "reference.py")
    for case in make_cases("gaussian_kernel"):
        sigma, radius = case.args
        kernel = reference.gaussian_kernel_2d(sigma, radius) if case.call == "gaussian_kernel_2d" else reference.gaussian_kernel_1d(sigma, radius)
        assert kernel.shape == (2 * radius + 1,) * kernel.ndim
        assert math.isclose(float(kernel.sum()), 1.0, rel_tol=1e-12)
        assert np.allclose(kernel, kernel[::-1], rtol=0, atol=1e-15)
        if kernel.ndim == 2:
            assert np.linalg.matrix_rank(kernel, tol=1e-12) == 1


def test_feature_map_shapes_worked_numbers() -> None:
    """VGG11 gives 512 x 7 x 7, 16 x 16 and 22 x 32; MaxPool001 gives 32 x 55 x 55."""
    finals = {c.name: invoke("feature_map_shapes", load_module(TASKS / "feature_map_shapes" / "reference.py"), c)
              for c in make_cases("feature_map_shapes")}
    assert finals["VGG11 features on 224x224"][-1] == (512, 7, 7)
    assert finals["VGG11 features on 512x512"][-1] == (512, 16, 16)
    assert finals["VGG11 features on 704x1024"][-1] == (512, 22, 32)
    assert finals["VGG11 first block on 224x224"] == [(64, 224, 224), (64, 224, 224), (64, 112, 112)]
    assert finals["MaxPool001 on 224x224"] == [(32, 222, 222), (32, 111, 111), (32, 55, 55)]
    assert finals["MaxPool001 with one MaxPool2d(4, 4)"][-1] == (32, 55, 55)
