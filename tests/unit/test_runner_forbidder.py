"""The runner's run-time guard (sandbox/runner.py, ``Forbidder``), in a fresh interpreter.

Only the candidate's own frames (code compiled as ``solution.py``) count: an import or a
call that a library makes internally passes, and a hit names the candidate's line. Each
case runs in its own Python process, as the runner does in the sandbox, so the guard's
patches never touch the test process.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pytest

from grader.settings import REPO_ROOT

HARNESS = textwrap.dedent(
    """
    import json, linecache, sys
    sys.path.insert(0, {sandbox!r})
    import numpy
    import runner

    names, source = json.loads(sys.stdin.read())
    guard = runner.Forbidder(names)
    guard.install()
    linecache.cache["solution.py"] = (len(source), None, source.splitlines(True), "solution.py")
    namespace = {{"__name__": "solution"}}
    try:
        exec(compile(source, "solution.py", "exec"), namespace)
        outcome = {{"status": "ok", "result": repr(namespace.get("result"))}}
    except runner.ForbiddenCall as exc:
        outcome = {{"status": "forbidden", "message": str(exc)}}
    print(json.dumps({{**outcome, "hits": guard.hits}}))
    """
).format(sandbox=str(REPO_ROOT / "sandbox"))

CONV = ["numpy.convolve", "numpy.correlate", "numpy.fft", "scipy.signal", "scipy.ndimage", "torch.conv1d",
        "torch.nn.functional.conv1d"]


def run(names: list[str], source: str) -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, "-c", HARNESS], input=json.dumps([names, textwrap.dedent(source)]),
        capture_output=True, text=True, timeout=600, check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


LIBRARY_INTERNALS = [
    # scipy.linalg imports numpy.fft, scipy.stats imports scipy.ndimage: the library's business.
    "import scipy.linalg\nresult = float(scipy.linalg.toeplitz([1.0, 2.0, 3.0]).sum())",
    "import scipy.stats\nresult = float(scipy.stats.norm.pdf(0.0))",
    # numpy.polymul calls numpy.convolve inside NumPy: allowed, as the question does not forbid it.
    "import numpy as np\nresult = np.polymul([1, 2], [1, 1]).tolist()",
]


@pytest.mark.parametrize("source", LIBRARY_INTERNALS)
def test_a_library_using_a_forbidden_name_internally_is_not_a_hit(source: str) -> None:
    outcome = run(CONV, source)
    assert outcome["status"] == "ok" and outcome["hits"] == [], outcome


CANDIDATE_USES = [
    ("import numpy.fft\n", "numpy.fft on line 1"),
    ("from numpy import fft\n", "numpy.fft on line 1"),
    ("import numpy as np\n\nresult = np.convolve([1, 2], [1, 1])\n", "numpy.convolve on line 3"),
    ("import numpy as np\n\n\nresult = np.fft.rfft([1.0, 2.0])\n", "numpy.fft on line 4"),
    ("import scipy\n\nresult = scipy.signal.fftconvolve\n", "scipy.signal on line 3"),
    # torch imported after the guard was installed: its names are stubbed once the import completes
    ("import torch\nresult = torch.nn.functional.conv1d(torch.ones(1, 1, 3), torch.ones(1, 1, 2))\n",
     "torch.nn.functional.conv1d on line 2"),
]


@pytest.mark.parametrize("source,where", CANDIDATE_USES)
def test_the_candidates_own_use_is_a_hit_naming_its_line(source: str, where: str) -> None:
    outcome = run(CONV, source)
    assert outcome["status"] == "forbidden" and outcome["hits"] == [where], outcome
    assert outcome["message"] == f"{where} is not allowed in this question"


def test_in_place_twins_of_a_forbidden_method() -> None:
    source = "import torch\nx = torch.ones(2)\nresult = getattr(x, 'tanh' + '_')()\n"
    outcome = run(["torch.tanh", "torch.nn.functional.tanh", "torch.Tensor.tanh"], source)
    assert outcome["status"] == "forbidden" and outcome["hits"] == ["torch.Tensor.tanh on line 3"], outcome


def test_torch_layers_computing_internally_are_left_to_the_static_check() -> None:
    """nn.Tanh calls torch.tanh from torch's own frame: not a run-time hit (the static check refuses it)."""
    source = "import torch\nresult = float(torch.nn.Tanh()(torch.zeros(1))[0])\n"
    outcome = run(["torch.tanh", "torch.nn.functional.tanh", "torch.Tensor.tanh"], source)
    assert outcome == {"status": "ok", "result": "0.0", "hits": []}
