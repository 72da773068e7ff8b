"""``grader keys``: a key is printed once, stored hashed, listed by prefix, and revocable."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import select

from grader.storage.db import make_engine, sessions
from grader.storage.keys import authenticate, hash_key
from grader.storage.models import ApiKey


def grader(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "GRADER_DATABASE_URL": f"sqlite:///{tmp_path / 'g.db'}", "GRADER_DATA_DIR": str(tmp_path)}
    return subprocess.run([sys.executable, "-m", "grader.cli", "keys", *args], capture_output=True, text=True,
                          env=env, timeout=60, check=False)


def test_keys_lifecycle(tmp_path: Path) -> None:
    created = grader(tmp_path, "create", "--role", "candidate", "--name", "ada")
    assert created.returncode == 0
    key = created.stdout.strip()
    assert key.startswith("gk_") and len(key) > 40
    with sessions(make_engine(f"sqlite:///{tmp_path / 'g.db'}"))() as session:
        row = session.scalar(select(ApiKey))
        assert row is not None and row.key_hash == hash_key(key) and key not in row.key_hash
        caller = authenticate(session, key)
        assert caller is not None and caller.role.value == "candidate" and caller.name == "ada"
    listed = grader(tmp_path, "list").stdout
    assert key[:10] in listed and key not in listed and "active" in listed
    assert grader(tmp_path, "revoke", "1").returncode == 0
    assert "revoked" in grader(tmp_path, "list").stdout
    assert grader(tmp_path, "revoke", "1").returncode == 2
    with sessions(make_engine(f"sqlite:///{tmp_path / 'g.db'}"))() as session:
        assert authenticate(session, key) is None
    assert grader(tmp_path, "create", "--role", "boss", "--name", "x").returncode == 2


def test_keys_list_has_a_header_and_shows_hostile_names_inert(tmp_path: Path) -> None:
    assert grader(tmp_path, "create", "--role", "interviewer", "--name", "Ivy\u202egnp.exe\x1b[2J").returncode == 0
    lines = grader(tmp_path, "list").stdout.splitlines()
    assert lines[0].split() == ["id", "prefix", "role", "state", "name"] and set(lines[1]) == {"-"}
    assert lines[2].split()[:4] == ["1", lines[2].split()[1], "interviewer", "active"]
    assert "\u202e" not in lines[2] and "\x1b" not in lines[2] and "\\u202e" in lines[2] and "\\x1b" in lines[2]
    assert all(len(line) <= 100 for line in lines)
