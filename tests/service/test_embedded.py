"""The README's first command: the service with embedded defaults, then a submission sent over HTTP."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
import urllib.request
from pathlib import Path

from grader.settings import REPO_ROOT
from tests.service.servers import free_port


def test_start_script_serves_and_grades(tmp_path: Path) -> None:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("GRADER_")}
    env.update(GRADER_DATA_DIR=str(tmp_path / "data"), GRADER_CACHE_DIR=str(tmp_path / "cache"))
    process = subprocess.Popen([str(REPO_ROOT / "scripts" / "start.sh"), "--port", str(port)], env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True, text=True)
    try:
        lines: list[str] = []
        assert process.stdout is not None
        while not any(line.startswith("admin key:") for line in lines):
            line = process.stdout.readline()
            assert line, "".join(lines)
            lines.append(line)
        key = lines[-1].split(":", 1)[1].strip()
        assert f"http://127.0.0.1:{port}" in "".join(lines)
        code = (REPO_ROOT / "tasks" / "conv1d_full" / "solutions" / "accepted_loops.py").read_text()
        headers = {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}
        body = json.dumps({"question_id": "conv1d_full", "code": code}).encode()
        request = urllib.request.Request(f"http://127.0.0.1:{port}/v1/submissions", body, headers)
        with urllib.request.urlopen(request, timeout=30) as response:
            assert response.status == 202
            created = json.loads(response.read())
        deadline = time.monotonic() + 120
        view = created
        while view["status"] in ("queued", "running"):
            assert time.monotonic() < deadline
            get = urllib.request.Request(f"http://127.0.0.1:{port}/v1/submissions/{created['id']}?wait=20",
                                         headers=headers)
            with urllib.request.urlopen(get, timeout=60) as response:
                view = json.loads(response.read())
        assert view["report"]["verdict"] == "accepted"
        assert (tmp_path / "data" / "grader.db").is_file()  # SQLite, no server
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
