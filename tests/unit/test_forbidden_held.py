"""Forbidden names of libraries the code does not name are not looked up (``held``), and nothing is let through:
every use refused with every name looked up is refused the same way."""

from __future__ import annotations

import ast

import pytest

from grader.grading.forbidden import find_forbidden, in_play

CONV = ["numpy.convolve", "numpy.fft", "scipy.signal", "torch.conv1d", "torch.fft"]

SOURCES = [
    "import numpy as np\n\ndef conv1d(a, v):\n    return np.zeros(3)",
    "import numpy as np\ny = np.convolve(a, v)",
    "y = a.dot(v)",
    "from scipy import signal\nsignal.convolve(a, v)",
    "import torch\ny = torch.conv1d(a, v)",
    "from torch import conv1d as c\nc(a, v)",
    "import torch.nn.functional as F\nF.conv1d(a, v)",
    "import ｔｏｒｃｈ\ny = ｔｏｒｃｈ.conv1d(a, v)",  # the parser reads it as torch
    'm = __import__("torch")\ny = m.conv1d(a, v)',
    'm = __import__("to" + "rch")\ny = m.conv1d(a, v)',
    'import importlib\nm = importlib.import_module("scipy.signal")',
    'import sys\nm = sys.modules["torch"]',
    "import torch\nx = torch._C._nn",
]


@pytest.mark.parametrize("source", SOURCES)
def test_looking_up_only_named_libraries_refuses_the_same_uses(source: str) -> None:
    every = [(u.name, u.line) for u in find_forbidden(source, CONV)]
    named = [(u.name, u.line) for u in find_forbidden(source, CONV, held=("numpy",))]
    assert named == every


def test_libraries_in_play() -> None:
    def play(source: str, held: tuple[str, ...] = ("numpy",)) -> tuple[str, ...]:
        return in_play(ast.parse(source), CONV, held)

    assert play("y = a.dot(v)") == ("numpy.convolve", "numpy.fft")
    assert play("y = a.dot(v)", held=()) == ()
    assert play("y = x.conv1d(v)", held=("numpy", "torch")) == tuple(CONV[:2] + CONV[3:])  # a torch question
    assert play("from scipy.signal import convolve") == tuple(CONV[:3])
    assert play('m = __import__("torch.nn")') == tuple(CONV[:2] + CONV[3:])
    assert play("# torch in a comment is not code\ny = 1") == tuple(CONV[:2])
