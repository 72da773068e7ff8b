"""What ``grader`` imports: a NumPy question checked on the command line loads none of the service's stacks,
no SymPy, and no torch (not even for the forbidden names of torch it must refuse); the service commands
are still there when named. Behaviour, not timing: each check runs the real command in a fresh process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from grader.settings import REPO_ROOT

SOLUTIONS = REPO_ROOT / "tasks" / "conv1d_full" / "solutions"
# Never needed to check a NumPy question: the web, queue and database stacks, formulas, torch, SciPy.
HEAVY = ("sqlalchemy", "alembic", "celery", "kombu", "flask", "werkzeug", "waitress", "redis", "sympy", "torch",
         "scipy", "submissions_schema.api", "grader.api", "grader.storage", "grader.worker")
# Runs the command in this process, then reports its exit code and every module it loaded.
PROBE = """
import json, sys
from grader.cli import main
try:
    main(sys.argv[1:], prog_name="grader")
except SystemExit as exc:
    code = exc.code
sys.stderr.write("\\n" + json.dumps({"exit": code, "modules": sorted(sys.modules)}) + "\\n")
"""


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("GRADER_")}
    return {**clean, "GRADER_CACHE_DIR": str(tmp_path_factory.mktemp("imports-cache"))}


def run(env: dict[str, str], *args: str) -> tuple[int, set[str], str]:
    done = subprocess.run([sys.executable, "-c", PROBE, *args], capture_output=True, text=True, env=env,
                          cwd=REPO_ROOT, timeout=600, check=False)
    found = json.loads(done.stderr.strip().splitlines()[-1])
    return found["exit"], set(found["modules"]), done.stdout


def loaded(modules: set[str], name: str) -> bool:
    return name in modules or any(m.startswith(name + ".") for m in modules)


@pytest.mark.parametrize(("solution", "exit_code"), [("accepted_loops.py", 0), ("forbidden_np_convolve.py", 1),
                                                     ("wrong_no_flip.py", 1)])
def test_checking_a_numpy_question_loads_no_heavy_module(env: dict[str, str], solution: str, exit_code: int) -> None:
    code, modules, out = run(env, "check", "conv1d_full", str(SOLUTIONS / solution), "--json")
    assert code == exit_code, out
    assert [name for name in HEAVY if loaded(modules, name)] == []
    assert "numpy" in modules and "grader.grading.pipeline" in modules  # it did grade


def test_code_that_names_torch_is_still_refused_by_name(env: dict[str, str], tmp_path: Path) -> None:
    answer = tmp_path / "answer.py"
    answer.write_text("import torch\n\n\ndef conv1d(a, v):\n    return torch.conv1d(a, v)\n")
    code, modules, out = run(env, "check", "conv1d_full", str(answer), "--json")
    assert code == 1 and "torch.conv1d" in json.loads(out)["message"], out
    assert "torch" in modules  # named by the code: looked up on the trusted side, as before


def test_service_commands_are_loaded_when_named(env: dict[str, str]) -> None:
    code, modules, out = run(env, "--help")
    assert code == 0
    listed = {line.split()[0] for line in out.split("Commands:", 1)[1].splitlines() if line.strip()}
    assert {"check", "questions", "show", "tasks", "serve", "worker", "keys", "submit", "sandbox"} <= listed
    assert not loaded(modules, "celery") and not loaded(modules, "flask")
    code, modules, out = run(env, "keys", "--help")
    assert code == 0 and "create" in out
