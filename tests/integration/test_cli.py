"""The ``grader`` command as a user runs it: real processes, real sandbox, exit codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from grader.settings import REPO_ROOT
from submissions_schema import GradeReport, QuestionPublic

SOLUTIONS = REPO_ROOT / "tasks" / "conv1d_full" / "solutions"


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    return {**os.environ, "GRADER_CACHE_DIR": str(tmp_path_factory.mktemp("cli-cache"))}


def grader(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "grader.cli", *args]
    return subprocess.run(command, capture_output=True, text=True, env=env, timeout=300, check=False)


def test_accepted_json_report_exits_0(env: dict[str, str]) -> None:
    done = grader(env, "check", "conv1d_full", str(SOLUTIONS / "accepted_loops.py"), "--json")
    assert done.returncode == 0, done.stderr
    report = GradeReport.model_validate_json(done.stdout)  # exactly the schema
    assert report.verdict.value == "accepted" and report.score == report.max_score
    assert report.sandbox.backend == "bwrap" and report.sandbox.numpy


def test_wrong_answer_exits_1_and_explains_first_mismatch(env: dict[str, str]) -> None:
    done = grader(env, "check", "conv1d_full", str(SOLUTIONS / "wrong_no_flip.py"))
    assert done.returncode == 1, done.stderr
    assert "WRONG_ANSWER" in done.stdout
    assert "values differ" in done.stdout and "first at index" in done.stdout and "expected" in done.stdout


def test_candidate_view_hides_hidden_details(env: dict[str, str]) -> None:
    done = grader(env, "check", "conv1d_full", str(SOLUTIONS / "wrong_no_flip.py"), "--json", "--as", "candidate")
    report = json.loads(done.stdout)
    assert report["redacted"] is True
    assert all(t["visibility"] == "visible" for t in report["tests"])  # hidden ones: only their aggregate
    assert report["hidden_summary"]["total"] == 22 and report["hidden_summary"]["passed"] < 22
    assert any(t["mismatch"] for t in report["tests"])


@pytest.mark.parametrize(
    "args,words",
    [
        (["check", "no_such_question", str(SOLUTIONS / "accepted_loops.py")], "unknown question"),
        (["check", "conv1d_full", "/nonexistent/file.py"], "cannot read"),
        (["check", "conv1d_full", str(SOLUTIONS / "accepted_loops.py"), "--as", "boss"], "Invalid value"),
    ],
)
def test_bad_input_exits_2(env: dict[str, str], args: list[str], words: str) -> None:
    done = grader(env, *args)
    assert done.returncode == 2
    assert words in done.stderr


def test_non_utf8_file_exits_2(env: dict[str, str], tmp_path: Path) -> None:
    path = tmp_path / "latin1.py"
    path.write_bytes("# café\ndef conv1d(a, v):\n    return a\n".encode("latin-1"))
    done = grader(env, "check", "conv1d_full", str(path))
    assert done.returncode == 2 and "not UTF-8" in done.stderr


def test_syntax_error_is_a_verdict_not_a_crash(env: dict[str, str], tmp_path: Path) -> None:
    path = tmp_path / "broken.py"
    path.write_text("def conv1d(a, v)\n    return a\n")
    done = grader(env, "check", "conv1d_full", str(path), "--json")
    assert done.returncode == 1
    report = json.loads(done.stdout)
    assert report["verdict"] == "syntax_error" and "line 1" in report["message"]


def test_forbidden_call_is_named_with_its_line(env: dict[str, str]) -> None:
    done = grader(env, "check", "conv1d_full", str(SOLUTIONS / "forbidden_np_convolve.py"), "--json")
    report = json.loads(done.stdout)
    assert done.returncode == 1 and report["verdict"] == "forbidden_api"
    assert "numpy.convolve" in report["message"] and "line " in report["message"]


def test_internal_error_exits_3(env: dict[str, str]) -> None:
    broken = {**env, "GRADER_BWRAP_PATH": "/nonexistent/bwrap"}
    done = grader(broken, "check", "conv1d_full", str(SOLUTIONS / "accepted_loops.py"), "--json")
    assert done.returncode == 3
    assert json.loads(done.stdout)["verdict"] == "internal_error"


def test_questions_and_show(env: dict[str, str]) -> None:
    listed = grader(env, "questions")
    assert listed.returncode == 0 and "conv1d_full" in listed.stdout and "tanh_autograd" in listed.stdout
    only = grader(env, "questions", "--topic", "convolution")
    assert "conv1d_full" in only.stdout and "dropout" not in only.stdout
    shown = grader(env, "show", "conv1d_full", "--json")
    view = json.loads(shown.stdout)
    assert view["visible_cases"] and view["hidden_case_count"] > 0
    assert set(view) == set(QuestionPublic.model_fields)  # no checker, reference or hidden case data


def test_gradescope_and_junit_formats(env: dict[str, str]) -> None:
    import xml.etree.ElementTree as ET

    wrong = str(SOLUTIONS / "wrong_no_flip.py")
    gradescope = json.loads(grader(env, "check", "conv1d_full", wrong, "--format", "gradescope").stdout)
    assert gradescope["score"] == 2 and len(gradescope["tests"]) == 3  # the students' export, whoever asks
    assert gradescope["tests"][-1]["name"] == "hidden tests"
    full = json.loads(grader(env, "check", "conv1d_full", wrong, "--format", "gradescope-full").stdout)
    assert full["score"] == 2 and len(full["tests"]) == 24
    assert {t["visibility"] for t in full["tests"]} == {"visible", "hidden"}
    refused = grader(env, "check", "conv1d_full", wrong, "--format", "gradescope-full", "--as", "candidate")
    assert refused.returncode == 2 and "interviewer's export" in refused.stderr
    junit = grader(env, "check", "conv1d_full", wrong, "--format", "junit", "--as", "candidate")
    assert junit.returncode == 1
    suite = ET.fromstring(junit.stdout)
    assert suite.get("failures") == "3" and suite.get("tests") == "3"  # two visible tests and the hidden aggregate


def test_a_notebook_is_graded_as_its_code_cells(env: dict[str, str]) -> None:
    done = grader(env, "check", "conv1d_full", str(REPO_ROOT / "examples" / "answer.ipynb"), "--json")
    assert done.returncode == 0, done.stdout + done.stderr
    assert json.loads(done.stdout)["verdict"] == "accepted"


@pytest.mark.parametrize("name,data,words", [
    ("weights.pt", b"PK\x03\x04\x00\x00\x00", "is a binary file"),
    ("broken.ipynb", b'{"cells": [], "nbformat": 4}', "no code cells"),
    ("answer.ipynb", b"\x89PNG\r\n\x1a\n", "not UTF-8 text"),
])
def test_binary_and_broken_files_exit_2(env: dict[str, str], tmp_path: Path, name: str, data: bytes,
                                        words: str) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    done = grader(env, "check", "conv1d_full", str(path))
    assert done.returncode == 2 and words in done.stderr and "Traceback" not in done.stderr


def test_show_a_short_answer_question_part_by_part(env: dict[str, str]) -> None:
    done = grader(env, "show", "vgg_storage_mb")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    part = next(i for i, line in enumerate(lines) if line.startswith("[size]"))
    assert lines[part] == "[size] number, 1 pt"
    assert lines[part + 1].startswith("    ") and "units:" not in lines[part + 1]  # the prompt on its own
    assert any(line.startswith("    units: ") for line in lines[part + 1:])


def test_questions_table_has_a_header_and_fits_100_columns(env: dict[str, str]) -> None:
    lines = grader(env, "questions").stdout.splitlines()
    assert lines[0].split() == ["id", "topic", "difficulty", "kind", "title"] and set(lines[1]) == {"-"}
    assert all(len(line) <= 100 for line in lines)


def test_submit_refuses_a_binary_file_before_sending_anything(env: dict[str, str], tmp_path: Path) -> None:
    path = tmp_path / "weights.pt"
    path.write_bytes(b"\x80\x02\x00binary")
    done = grader(env, "submit", "conv1d_full", str(path), "--url", "http://127.0.0.1:9", "--key", "gk_x")
    assert done.returncode == 2 and "is a binary file" in done.stderr and "cannot reach" not in done.stderr
