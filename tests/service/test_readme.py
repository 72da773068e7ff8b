"""The README works as written: its shell blocks that talk to the service run, in order, in one
shell, against a real ``grader serve``, with every request checked (curl fails on any 4xx or
5xx). The test provides what a reader's machine has after the README's first command: the
service (its URL in GRADER_URL, its data dir in GRADER_DATA_DIR, allowing a local webhook
receiver as the README says to) and the repository's folder to run from."""

from __future__ import annotations

import inspect
import json
import os
import re
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from grader.settings import REPO_ROOT
from tests.service.processes import Serve
from tests.service.servers import free_port

README = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
BLOCK = re.compile(r"^```(\w*)\n(.*?)^```", re.DOTALL | re.MULTILINE)
# Fails a request that gets an error status, as a reader would notice; keeps the body for the log.
PRELUDE = 'set -euo pipefail\ncurl() { command curl --fail-with-body -sS "$@"; }\n'


def blocks(language: str) -> list[str]:
    return [code for lang, code in BLOCK.findall(README) if lang == language]


def service_blocks() -> list[str]:
    """The shell blocks that talk to the service: requests to ``$URL`` and ``grader keys``."""
    return [code for code in blocks("sh") if "$URL" in code or "grader keys" in code]


@pytest.fixture(scope="module")
def serve(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Serve]:
    folder = tmp_path_factory.mktemp("readme-serve")
    service = Serve(folder / "data", folder / "cache", folder / "serve.log",
                    webhook_allow_http=1, webhook_allow_hosts="127.0.0.1", webhook_retry_scale=0.001)
    try:
        yield service.ready()
    finally:
        service.stop()


def test_every_service_example_in_the_readme_runs_as_written(serve: Serve, tmp_path: Path) -> None:
    found = service_blocks()
    assert len(found) >= 3, "the API, keys and webhook examples"
    work = tmp_path / "work"  # the repository's folder as the reader has it, without writing into it
    work.mkdir()
    for name in ("examples", "scripts", "tasks"):
        (work / name).symlink_to(REPO_ROOT / name)
    (work / ".venv").symlink_to(Path(sys.executable).parent.parent)
    script = PRELUDE + "".join(f'echo "=== README block {i}" >&2\n{code}' for i, code in enumerate(found))
    env = {**serve.env, "GRADER_URL": serve.url, "RECEIVER_PORT": str(free_port()), "HOME": str(tmp_path)}
    shell = subprocess.Popen(["bash", "-c", script], cwd=work, env=env, stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT, text=True, start_new_session=True)
    try:
        output, _ = shell.communicate(timeout=600)
    finally:
        if shell.poll() is None:
            os.killpg(shell.pid, signal.SIGKILL)
    assert shell.returncode == 0, output[-6000:]
    # What the examples promised happened:
    assert '"done": true' in output.replace('"done":true', '"done": true')  # the batch, waited for to its end
    assert "revoked key 2" in output
    events = [json.loads(line) for line in (work / "events.jsonl").read_text().splitlines()]
    assert events and events[0]["type"] == "submission.completed"  # received, its signature verified
    assert events[0]["data"]["report"]["verdict"] == "accepted"


def test_the_readme_verify_function_is_the_receivers() -> None:
    """The receiver the README runs verifies with the README's own lines."""
    from examples.webhook_receiver import verify

    readme = next(code for code in blocks("python") if "def verify(" in code)
    source = inspect.getsource(verify)
    docstring = '    """The README\'s verification, as written there (Standard Webhooks)."""\n'
    assert docstring in source
    assert readme.split("def verify(", 1)[1] == source.replace(docstring, "").split("def verify(", 1)[1]


def test_no_readme_example_carries_a_placeholder_the_reader_cannot_run() -> None:
    for code in service_blocks():
        commands = "\n".join(line.split("  #", 1)[0] for line in code.splitlines() if not line.startswith("#"))
        assert "..." not in commands, code  # a literal "..." in a request is invalid JSON
        assert "example.com" not in commands  # a host that does not resolve


def test_grader_submit_sends_a_notebook_as_its_code_cells(serve: Serve) -> None:
    notebook = str(REPO_ROOT / "examples" / "answer.ipynb")
    done = subprocess.run(
        [str(Path(sys.executable).parent / "grader"), "submit", "conv1d_full", notebook,
         "--url", serve.url, "--key", serve.admin_key, "--wait", "60", "--json"],
        capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert json.loads(done.stdout)["report"]["verdict"] == "accepted"
