"""A small question bank for the warming tests: copies of real questions, one whose reference fails,
one whose reference waits for a gate file the test opens (so a test knows warming is still under way)."""

from __future__ import annotations

import shutil
from pathlib import Path

from grader.settings import REPO_ROOT

GATE_VARIABLE = "WARMING_TEST_GATE"  # the reference process inherits it from the process that warms
# Prepended to a copy's reference.py: the reference process waits until the test opens the gate.
GATED = f'''import os as _os, time as _time
from pathlib import Path as _Path
while not _Path(_os.environ["{GATE_VARIABLE}"]).exists():
    _time.sleep(0.05)
'''
BROKEN = 'raise RuntimeError("this reference is broken on purpose")\n'


def copy_question(bank: Path, source_id: str, new_id: str, reference_prefix: str = "") -> Path:
    """A copy of ``tasks/<source_id>`` named ``new_id``, its reference.py led by ``reference_prefix``."""
    folder = bank / new_id
    shutil.copytree(REPO_ROOT / "tasks" / source_id, folder)
    spec = folder / "question.yml"
    spec.write_text(spec.read_text(encoding="utf-8").replace(f"id: {source_id}\n", f"id: {new_id}\n", 1),
                    encoding="utf-8")
    if reference_prefix:
        reference = folder / "reference.py"
        reference.write_text(reference_prefix + reference.read_text(encoding="utf-8"), encoding="utf-8")
    return folder


def reference_running(folder: Path) -> bool:
    """Whether a reference process for the question in ``folder`` runs now."""
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if b"grader.grading.reference_process" in command and str(folder).encode() in command:
            return True
    return False
