"""Static checks of a candidate's source: readability, forbidden names by identity, reflection.

The libraries are imported for real on this side (that is the design): the first test
that needs torch pays for importing it once.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from grader.grading.forbidden import find_forbidden, syntax_problem
from grader.grading.forbidden import syntax as syntax_module
from grader.grading.forbidden.aliases import forbidden_set
from grader.grading.forbidden.library import library

FORBIDDEN = ["numpy.convolve", "numpy.fft", "scipy.signal", "torch.tanh", "torch.Tensor.tanh"]
CONV = [
    "numpy.convolve", "numpy.correlate", "numpy.fft", "scipy.signal", "scipy.ndimage", "scipy.fft",
    "torch.fft", "torch.conv1d", "torch.conv2d", "torch.nn.functional.conv1d", "torch.nn.functional.conv2d",
    "torch.nn.Conv1d", "torch.nn.modules.conv",
]
TANH = ["torch.tanh", "torch.nn.functional.tanh", "torch.Tensor.tanh"]
REFLECTION = "reflection that hides what the code calls is not allowed in this question"


def names(source: str, forbidden: list[str]) -> list[tuple[str, int]]:
    return [(u.name, u.line) for u in find_forbidden(source, forbidden)]


def refused(source: str, forbidden: list[str]) -> bool:
    return bool(find_forbidden(source, forbidden))


# --- forbidden names as spelt, and the names' own aliases -----------------------------

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
    ("import numpy as np\na, b = np, 1\na.convolve(x, y)", [("numpy.convolve", 3)]),
    ("def f(x):\n    return x.tanh()", [("torch.Tensor.tanh", 2)]),
    ("import torch\ny = torch.tanh(x)", [("torch.tanh", 2)]),
    # allowed
    ("import numpy as np\ny = np.tanh(x) + np.dot(a, b)", []),
    ("import numpy as np\nconvolve = 3", []),
    ("import scipy\nimport scipy.linalg", []),
    ("import torch\ny = torch.sigmoid(x)", []),
    ("import math\ny = math.tanh(0.5)", []),
]


@pytest.mark.parametrize("source,uses", CASES, ids=[c[0].replace("\n", "; ") for c in CASES])
def test_find_forbidden(source: str, uses: list[tuple[str, int]]) -> None:
    assert names(source, FORBIDDEN) == uses


def test_message_names_the_call_and_line() -> None:
    (use,) = find_forbidden("import numpy as np\n\nnp.convolve(a, v)\n", FORBIDDEN)
    assert use.describe() == "line 3: np.convolve uses numpy.convolve, which this question forbids"


# --- identity: the same object, its implementation, its twins, its module -------------

IDENTITY = [
    # numpy.convolve hands its work to the C correlate; numpy.correlate to correlate2.
    ("import numpy as np\nnp.core.multiarray.correlate(a, v[::-1], 2)", CONV),
    ("import numpy.core.multiarray as m\nm.correlate(a, v[::-1], 2)", CONV),
    ("from numpy.core.multiarray import correlate as c", CONV),
    ("import numpy as np\nnp.ma.convolve(a, v)", CONV),
    # modules: everything defined under scipy.signal, however imported
    ("from scipy.signal._signaltools import fftconvolve", CONV),
    ("import scipy\nscipy.signal.fftconvolve(a, v)", CONV),
    # torch's layers and functions, under their other names
    ("import torch\nfrom torch import nn\nnn.Conv1d(1, 1, 3)", CONV),
    ("from torch.nn.modules.conv import Conv1d", CONV),
    ("import torch\ntorch.nn.LazyConv1d(1, 3)", CONV),
    ("import torch.nn.functional as F\nF.conv1d(x, w)", CONV),
    ("import torch\ntorch._C._VariableFunctions.conv1d(x, w)", CONV),
    ("import torch\nt = torch.fft.rfft(x)", CONV),
    # tanh: in-place, functional and module twins, the tensor method on any value
    ("def f(x):\n    return x.tanh_()", TANH),
    ("import torch\ntorch.tanh_(x)", TANH),
    ("import torch\ntorch.nn.Tanh()(x)", TANH),
    ("from torch.nn import functional\nfunctional.tanh(x)", TANH),
    ("import torch\ntorch.Tensor.tanh_(x)", TANH),
    ("def f(x):\n    return getattr(x, 'tanh_')()", TANH),
    ("import operator\nf = operator.methodcaller('tanh_')", TANH),
    ("def f(x):\n    return type(x).tanh(x)", TANH),
]


@pytest.mark.parametrize("source,forbidden", IDENTITY, ids=[c[0].replace("\n", "; ") for c in IDENTITY])
def test_forbidden_by_identity(source: str, forbidden: list[str]) -> None:
    uses = find_forbidden(source, forbidden)
    assert uses and not uses[0].reflection, [u.describe() for u in uses]


ALLOWED = [
    # a library importing a forbidden module internally is not the candidate's use
    ("import numpy as np\nimport scipy.linalg\nscipy.linalg.toeplitz(np.r_[v, 0.0]) @ a", CONV),
    ("from scipy.stats import norm\nnorm.pdf(x, 0, 1)", CONV),
    ("import scipy.special\nscipy.special.expit(x)", CONV),
    ("import numpy as np\nnp.lib.stride_tricks.sliding_window_view(a, 3)", CONV),
    ("import numpy as np\nnp.polymul(a, v)", CONV),
    # what a forbidden function merely uses is not forbidden: only the private function it hands over to
    ("import numpy as np\nx = np.array(a) + np.asarray(v)", CONV),
    ("from torch.overrides import handle_torch_function", ["torch.cdist"]),
    ("class M:\n    def conv1d(self, a, v):\n        return self.conv1d(a, v)", CONV),
    ("import torch\nx = torch.exp(-2 * y.abs())\nz = x.sigmoid() * torch.sign(y)", TANH),
    ("import torch\ntorch.nn.functional.hardtanh(x)", TANH),
    ("import numpy as np\nnp.tanh(x)", TANH),
    ("import numpy as np\nsetattr(np.ndarray, name, f)", CONV),  # a computed name on a known class
    ("import numpy as np\nx = getattr(np, 'float64')", CONV),
    ("import numpy as np\nx = np.__version__", CONV),
    ("import numpy as np\nx = np.load(f)\ny = np.load(f, allow_pickle=False)", CONV),  # arrays only: no code runs
    ("import torch\nx = torch.load(f, weights_only=True)", TANH),
    ("import torch\nclass F(torch.autograd.Function):\n    @staticmethod\n    def forward(ctx, x):\n"
     "        ctx.save_for_backward(x)\n        return x", TANH),
]


@pytest.mark.parametrize("source,forbidden", ALLOWED, ids=[c[0].replace("\n", "; ") for c in ALLOWED])
def test_allowed(source: str, forbidden: list[str]) -> None:
    assert find_forbidden(source, forbidden) == []


def test_twins_are_named_as_forms_of_the_forbidden_name() -> None:
    (use,) = find_forbidden("import torch\ntorch.nn.Tanh()(x)", TANH)
    assert use.describe() == ("line 2: torch.nn.Tanh uses torch.nn.Tanh (a form of torch.tanh), "
                              "which this question forbids")


# --- reflection: refused in questions with forbidden names, each with its line ----------

REFLECTIONS = [
    ("import importlib\nimportlib.reload(np)", 1),
    ("from importlib import reload", 1),
    ("import sys\nimport importlib\nimportlib.reload(sys.modules['numpy._core.numeric'])", 2),
    ("m = __import__('numpy')", 1),
    ("import builtins\nm = builtins.__import__('numpy')", 2),
    ("import sys\nm = sys.modules['numpy']", 2),
    ("from sys import modules", 1),
    ("import os\nm = os.sys.modules", 2),
    ("import gc\ngc.get_objects()", 1),
    ("import ctypes", 1),
    ("import inspect\nf = inspect.currentframe()", 2),
    ("import inspect\nf = inspect.stack()", 2),
    ("import inspect\nf = inspect.getouterframes(g)", 2),
    ("import sys\nf = sys._getframe(1)", 2),
    ("def f(frame):\n    return frame.f_back", 2),
    ("def f(frame):\n    return frame.f_globals['np']", 2),
    ("def f(frame):\n    return frame.f_locals", 2),
    ("def f(e):\n    return e.__traceback__.tb_frame", 2),
    ("import numpy as np\nd = np.__dict__", 2),
    ("import numpy as np\nd = vars(np)", 2),
    ("g = globals()['np']", 1),
    ("g = locals()", 1),
    ("import numpy as np\nf = getattr(np, 'con' + 'volve')", 2),
    ("import numpy as np\nsetattr(np, name, None)", 2),
    ("import numpy as np\ndelattr(np, name)", 2),
    ("def f(x, n):\n    return getattr(x, n)", 2),
    ("import functools\nf = functools.partial(getattr, x)", 2),
    ("import operator\nf = operator.attrgetter(name)", 2),
    ("exec('import numpy')", 1),
    ("f = eval('1')", 1),
    ("c = compile('1', 's', 'eval')", 1),
    ("import torch\nf = torch.ops.aten.tanh.default", 2),
    ("from torch import ops", 1),
    ("import sys\nsys.meta_path.clear()", 2),
    ("import sys\nh = sys.path_hooks", 2),
    ("b = __builtins__", 1),
    ("s = object.__subclasses__()", 1),
    ("def f():\n    pass\ng = f.__globals__", 3),
    ("def f():\n    pass\nc = f.__code__", 3),
    ("import pickle\nx = pickle.loads(data)", 2),
    ("import numpy as np\nx = np.load(f, allow_pickle=True)", 2),
    ("from numpy import load\nx = load(f, None, True)", 2),
    ("import numpy as np\nx = np.load(f, **options)", 2),
    ("import torch\nx = torch.load(f, weights_only=False)", 2),
    ("import numpy as np\nm = [np][0]", 2),
    ("import numpy as np\ndef f(m=np):\n    return m", 2),
    ("import numpy as np\nprint(np)", 2),
]


@pytest.mark.parametrize("source,line", REFLECTIONS, ids=[c[0].replace("\n", "; ") for c in REFLECTIONS])
def test_reflection_is_refused(source: str, line: int) -> None:
    uses = find_forbidden(source, CONV)
    assert any(u.reflection and u.line == line for u in uses), [u.describe() for u in uses]
    first = next(u for u in uses if u.reflection)
    assert first.describe().startswith(f"line {first.line}: ") and first.describe().endswith(REFLECTION)


@pytest.mark.parametrize("source,line", REFLECTIONS, ids=[c[0].replace("\n", "; ") for c in REFLECTIONS])
def test_reflection_is_free_when_nothing_is_forbidden(source: str, line: int) -> None:
    assert find_forbidden(source, []) == []


def test_private_internals_of_a_package_that_owns_a_forbidden_name() -> None:
    private = "numpy._core (private internals of numpy)"
    assert names("import numpy as np\nnp._core.numeric.x", FORBIDDEN) == [(private, 2)]
    assert names("import torch\nt = getattr(torch, '_C')", FORBIDDEN) == [("torch._C (private internals of torch)", 2)]
    assert names("from numpy._core import numeric", FORBIDDEN)[0] == ("numpy._core (private internals of numpy)", 1)
    assert find_forbidden("import numpy as np\nnp._core.numeric.x", []) == []


# --- safety and bounds of the trusted side ---------------------------------------------

def test_only_allowed_roots_are_imported() -> None:
    """Candidate source names modules: the check imports none outside its allow-list."""
    code = (
        "import sys\n"
        "from grader.grading.forbidden import find_forbidden\n"
        "src = 'import this\\nimport antigravity\\nimport torch.testing._internal.common_utils as c\\n"
        "import numpy.tests\\nimport turtle\\nthis.x\\nturtle.Turtle'\n"
        "find_forbidden(src, ['numpy.convolve'])\n"
        "bad = [m for m in ('this', 'antigravity', 'turtle', 'torch.testing._internal.common_utils', 'numpy.tests')"
        " if m in sys.modules]\n"
        "print(bad)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300, check=True)
    assert done.stdout.strip() == "[]", done.stdout + done.stderr


def test_imports_and_alias_sets_are_cached_per_process() -> None:
    assert forbidden_set(tuple(CONV)) is forbidden_set(tuple(CONV))
    assert library(frozenset({"numpy"})) is library(frozenset({"numpy"}))


def test_deep_getattr_nesting_is_bounded() -> None:
    source = "import numpy as np\nx = " + "getattr(" * 120 + "np" + ", 'a')" * 120
    assert syntax_problem(source) is None
    uses = find_forbidden(source, CONV)
    assert any(u.reflection for u in uses)


def test_many_meanings_of_one_name_are_refused() -> None:
    source = "import numpy as np\n" + "".join(f"x = np.f{i}\n" for i in range(40)) + "x.y"
    assert any("more than" in u.name for u in find_forbidden(source, CONV))


def test_library_lookups_are_bounded() -> None:
    """Each unknown library name may cost a file system search: past a bound the code is refused."""
    source = "import numpy as np\n" + "".join(f"x{i} = np.not_a_name_{i}\n" for i in range(1100))
    (use,) = find_forbidden(source, CONV)
    assert use.reflection and use.name == "more than 1000 library names to look up"


# --- readability: syntax, nesting, size ------------------------------------------------

def test_syntax_problem() -> None:
    assert syntax_problem("def f(:\n  pass") is not None and "line 1" in str(syntax_problem("def f(:\n  pass"))
    assert syntax_problem("x = 1\n") is None
    assert syntax_problem("x = 1\0") == "source code string cannot contain null bytes"


DEEP = [
    "(" * 6000 + "1" + ")" * 6000,
    "x = " + "[" * 6000 + "]" * 6000,
    "x = " + "+".join(["1"] * 6000),  # RecursionError inside ast.parse
    "x = " + "-" * 6000 + "1",  # the parser's own stack guard (MemoryError)
    "x = a" + ".b" * 6000,
    "x = f" + "()" * 6000,
    "x = " + "+".join(["1"] * 400),  # parses, but deeper than the walk allows
]


@pytest.mark.parametrize("source", DEEP, ids=[s[:12] + f"...{len(s)}" for s in DEEP])
def test_source_that_exhausts_the_parser_is_a_syntax_problem(source: str) -> None:
    problem = syntax_problem(source)
    assert problem is not None
    assert "nested" in problem or "parenthes" in problem
    with pytest.raises(ValueError):
        find_forbidden(source, CONV)


def test_nested_too_deeply_names_the_bound() -> None:
    assert syntax_problem("x = " + "+".join(["1"] * 400)) == (
        f"the code is nested too deeply to read (more than {syntax_module.MAX_NESTING} levels)"
    )


def test_huge_literals() -> None:
    assert "integer string conversion" in str(syntax_problem("x = " + "9" * 100_000))


def test_too_many_nodes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(syntax_module, "MAX_NODES", 1000)
    assert "too large" in str(syntax_problem("x = [" + "1, " * 2000 + "]"))
