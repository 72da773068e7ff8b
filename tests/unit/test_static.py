"""Static refusal of forbidden names: imports, aliases, attributes, getattr, methods."""

from __future__ import annotations

import pytest

from grader.grading.forbidden import find_forbidden, syntax_problem

FORBIDDEN = ["numpy.convolve", "numpy.fft", "scipy.signal", "torch.tanh", "torch.Tensor.tanh"]

CASES = [
    ("import numpy as np\ny = np.convolve(a, b)", [("numpy.convolve", 2)]),
    ("from numpy import convolve as c", [("numpy.convolve", 1)]),
    ("import numpy\nnumpy.fft.fft(x)", [("numpy.fft", 2)]),
    ("from numpy.fft import rfft", [("numpy.fft", 1)]),
    ("from scipy import signal", [("scipy.signal", 1)]),
    ("import scipy.signal", [("scipy.signal", 1)]),
    ("from scipy.signal import convolve2d", [("scipy.signal", 1)]),
    ("import numpy as np\nf = np.convolve\nf(a, b)", [("numpy.convolve", 2), ("numpy.convolve", 3)]),
    ("import numpy as np\nf = getattr(np, 'convolve')", [("numpy.convolve", 2)]),
    ("import importlib\nm = importlib.import_module('scipy.signal')", [("scipy.signal", 2)]),
    ("m = __import__('scipy.signal')", [("scipy.signal", 1)]),
    ("from numpy import *", [("numpy.convolve", 1)]),
    ("def f(x):\n    return x.tanh()", [("torch.Tensor.tanh", 2)]),
    ("import torch\ny = torch.tanh(x)", [("torch.tanh", 2)]),
    # allowed
    ("import numpy as np\ny = np.tanh(x) + np.dot(a, b)", []),
    ("import numpy as np\nconvolve = 3", []),
    ("import scipy\nimport scipy.linalg", []),
    ("import torch\ny = torch.sigmoid(x)", []),
]


@pytest.mark.parametrize("source,uses", CASES, ids=[c[0].replace("\n", "; ") for c in CASES])
def test_find_forbidden(source: str, uses: list[tuple[str, int]]) -> None:
    assert [(u.name, u.line) for u in find_forbidden(source, FORBIDDEN)] == uses


def test_message_names_the_call_and_line() -> None:
    (use,) = find_forbidden("import numpy as np\n\nnp.convolve(a, v)\n", FORBIDDEN)
    assert use.describe() == "line 3: np.convolve uses numpy.convolve, which this question forbids"


def test_syntax_problem() -> None:
    assert syntax_problem("def f(:\n  pass") is not None and "line 1" in str(syntax_problem("def f(:\n  pass"))
    assert syntax_problem("x = 1\n") is None
    assert syntax_problem("x = 1\0") == "source code string cannot contain null bytes"


PRIVATE = [
    ("import numpy as np\nnp._core.numeric.convolve(a, v)", "numpy._core (private internals of numpy)"),
    ("import numpy\nf = numpy._core.multiarray.correlate", "numpy._core (private internals of numpy)"),
    ("from numpy._core import numeric", "numpy._core (private internals of numpy)"),
    ("import torch\nt = torch._C._VariableFunctions.tanh", "torch._C (private internals of torch)"),
    ("import torch\nt = getattr(torch, '_C')", "torch._C (private internals of torch)"),
    ("import gc\nobjs = gc.get_objects()", "gc.get_objects (searching the interpreter's objects)"),
]


@pytest.mark.parametrize("source,name", PRIVATE, ids=[p[0].replace("\n", "; ") for p in PRIVATE])
def test_private_internals_and_introspection(source: str, name: str) -> None:
    assert [u.name for u in find_forbidden(source, FORBIDDEN)][:1] == [name]


def test_private_internals_are_free_when_nothing_is_forbidden() -> None:
    assert find_forbidden("import numpy as np\nimport gc\nnp._core\ngc.get_objects()", []) == []
    assert find_forbidden("import numpy as np\nnp.__version__", FORBIDDEN) == []
