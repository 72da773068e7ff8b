"""A grade report in other tools' formats: Gradescope, JUnit XML, and a CSV of a batch.

Every function here is pure: it takes a report (or submission views) and returns
text or a dict, and reveals nothing that is not already in what it was given.
Redaction is the caller's job for JSON and JUnit: pass
``reports.for_role(report, Role.candidate)`` when the export goes to a candidate; a
redacted report carries no message, printed output or timing for its hidden tests,
so none can come out here. When it lists no hidden test at all (the ``summary``
policy), their aggregate stands in as one test, "hidden tests".

Gradescope shows ``results.json`` to students, so its export redacts by itself:
``gradescope`` is always the candidate view, whoever asks; ``gradescope-full`` (the
interviewer's, an explicit choice) keeps every hidden test's details, marked
``"visibility": "hidden"`` so that Gradescope never shows them to a student.

Candidate text (names, messages, printed output) is hostile input: the JUnit
writer drops characters that XML 1.0 forbids, and the CSV writer defuses cells
that a spreadsheet would run as a formula.
"""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from typing import TYPE_CHECKING, Any

from pydantic_core import PydanticSerializationError

from grader.reports import for_role, summary_line, unlisted_hidden
from submissions_schema.models import GradeReport, Role, TestResult, Verdict, Visibility

if TYPE_CHECKING:  # the API's models: `grader check --format` has no use for them
    from submissions_schema.api import BoardRow, SubmissionView

# The test that stands for hidden tests a report does not list one by one.
HIDDEN_AGGREGATE = "hidden tests"

FORMATS = ("json", "gradescope", "gradescope-full", "junit")
"""What ``render_format`` accepts."""

FULL_FORMATS = ("gradescope-full",)
"""Formats that carry hidden tests' details: for staff only, never from a redacted report."""

# How much of a test's printed output goes into a Gradescope test's "output".
GRADESCOPE_STDOUT_CHARS = 2000

# --- Gradescope ------------------------------------------------------------------


def gradescope(report: GradeReport, *, full: bool = False) -> dict[str, Any]:
    """The report as a Gradescope autograder ``results.json`` object.

    By default the student's export: the candidate view of the report (hidden tests
    as their aggregate, or bare names and scores under the ``per_test`` policy, no
    timing), hidden tests ``"after_published"``. With ``full`` (the interviewer's
    export, from an unredacted report) every test keeps its message and output, and
    hidden ones are ``"hidden"``: Gradescope never shows them to students.
    The top-level ``score`` is the report's, so Gradescope uses it rather than
    summing the tests. Printed output is never shown to the student (``stdout_visibility``).
    """
    if full and report.redacted:
        raise ValueError("gradescope-full needs the full report; this one is redacted (the candidate view)")
    if not full:
        report = for_role(report, Role.candidate)
    hidden_visibility = "hidden" if full else "after_published"
    results: dict[str, Any] = {
        "score": report.score,
        "output": report.message,
        "stdout_visibility": "hidden",
        "tests": [_gradescope_test(t, hidden_visibility) for t in _with_aggregate(report)],
    }
    if report.timing.total_s > 0:
        results["execution_time"] = report.timing.total_s
    return results


def _gradescope_test(test: TestResult, hidden_visibility: str) -> dict[str, Any]:
    output = test.message
    if test.stdout:
        stdout = test.stdout
        if len(stdout) > GRADESCOPE_STDOUT_CHARS:
            stdout = stdout[:GRADESCOPE_STDOUT_CHARS] + f"\n... ({len(test.stdout) - GRADESCOPE_STDOUT_CHARS} more)"
        output = f"{output}\n\nstdout:\n{stdout}" if output else f"stdout:\n{stdout}"
    return {
        "name": test.name,
        "score": test.score,
        "max_score": test.max_score,
        "status": "passed" if test.verdict is Verdict.accepted else "failed",
        "visibility": "visible" if test.visibility is Visibility.visible else hidden_visibility,
        "output": output,
    }


def _with_aggregate(report: GradeReport) -> list[TestResult]:
    """The report's tests, plus one for its hidden tests when it does not list them."""
    summary = unlisted_hidden(report)
    if summary is None:
        return list(report.tests)
    verdict = Verdict.accepted if summary.passed == summary.total else Verdict.wrong_answer
    aggregate = TestResult(name=HIDDEN_AGGREGATE, visibility=Visibility.hidden, verdict=verdict,
                           score=summary.score, max_score=summary.max_score, message=summary_line(summary))
    return [*report.tests, aggregate]


# --- JUnit XML -------------------------------------------------------------------

# Characters XML 1.0 forbids (C0 controls but tab, newline and carriage return; lone
# surrogates; U+FFFE and U+FFFF) or discourages (DEL and C1 controls).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")

# The name of the test case standing for a whole submission that has no tests
# (an internal error before any case ran), so a failure never looks like a pass.
JUNIT_WHOLE_SUBMISSION = "grading"


def xml_text(text: str) -> str:
    """``text`` with every character XML 1.0 cannot carry replaced by U+FFFD."""
    return _NOT_XML.sub("\ufffd", text)


def junit(report: GradeReport) -> str:
    """The report as a JUnit XML document (``<testsuites>`` with one ``<testsuite>``).

    ``accepted`` tests pass; ``wrong_answer`` is a ``<failure>``; any other verdict
    (a crash, a limit, a forbidden name, a syntax error) is an ``<error>`` whose
    ``type`` is the verdict. A report without tests whose verdict is not
    ``accepted`` gets one test case, ``grading``, carrying that verdict.
    """
    cases = [_junit_case(report.question_id, t) for t in _with_aggregate(report)]
    if not report.tests and report.verdict is not Verdict.accepted:
        whole = TestResult(
            name=JUNIT_WHOLE_SUBMISSION, visibility=Visibility.visible, verdict=report.verdict,
            score=report.score, max_score=report.max_score, message=report.message,
        )
        cases.append(_junit_case(report.question_id, whole))
    failures = sum(c.find("failure") is not None for c in cases)
    errors = sum(c.find("error") is not None for c in cases)
    counts = {
        "tests": str(len(cases)),
        "failures": str(failures),
        "errors": str(errors),
        "time": _seconds(report.timing.total_s),
    }
    name = xml_text(f"{report.question_id} v{report.question_version}")
    # Jenkins' junit-10.xsd allows "skipped" on <testsuite> only, not on <testsuites>.
    root = ET.Element("testsuites", {"name": name, **counts})
    suite = ET.SubElement(root, "testsuite", {"name": name, **counts, "skipped": "0"})
    suite.extend(cases)
    # Printed while the module was imported: belongs to no one test.
    _outputs(suite, report.stdout, report.stderr)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _junit_case(classname: str, test: TestResult) -> ET.Element:
    case = ET.Element("testcase", {
        "classname": xml_text(classname),
        "name": xml_text(test.name),
        "time": _seconds(test.duration_s or 0.0),
    })
    if test.verdict is not Verdict.accepted:
        tag = "failure" if test.verdict is Verdict.wrong_answer else "error"
        first = test.message.strip().splitlines()[0] if test.message.strip() else test.verdict.value
        problem = ET.SubElement(case, tag, {"message": xml_text(first[:500]), "type": test.verdict.value})
        problem.text = xml_text(_details(test))
    _outputs(case, test.stdout, test.stderr)
    return case


def _details(test: TestResult) -> str:
    """The failure's body: the whole message and, for a numeric mismatch, its figures."""
    lines = [test.message] if test.message else []
    m = test.mismatch
    if m is not None:
        figures = {k: v for k, v in m.model_dump(exclude_none=True).items() if v != ""}
        lines += [f"{k}: {v}" for k, v in figures.items()]
    lines.append(f"score: {test.score:g}/{test.max_score:g}")
    return "\n".join(lines)


def _outputs(parent: ET.Element, stdout: str, stderr: str) -> None:
    if stdout:
        ET.SubElement(parent, "system-out").text = xml_text(stdout)
    if stderr:
        ET.SubElement(parent, "system-err").text = xml_text(stderr)


def _seconds(value: float) -> str:
    return f"{max(value, 0.0):.3f}"


# --- CSV of a batch --------------------------------------------------------------

CSV_COLUMNS = (
    "id", "question_id", "candidate", "status", "verdict", "score", "max_score",
    "created_at", "completed_at", "tests_passed", "tests_total",
)

# What a spreadsheet takes for the start of a formula (OWASP "CSV injection").
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: object) -> str:
    """One CSV cell: ``''`` for None, a leading ``'`` before a formula-like start,
    and lone surrogates (which no encoder will write) replaced by U+FFFD."""
    if value is None:
        return ""
    text = re.sub("[\ud800-\udfff]", "\ufffd", str(value))
    return "'" + text if text.startswith(_FORMULA_START) else text


def batch_csv(views: list[SubmissionView]) -> str:
    """Submissions as CSV, a header and one row each, in the order given.

    ``tests_passed`` and ``tests_total`` count accepted tests and all tests of the
    submission's report; both are empty while it has none.
    """
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for v in views:
        tests = v.report.tests if v.report is not None else None
        row = (
            v.id, v.question_id, v.candidate, v.status, v.verdict, v.score, v.max_score,
            v.created_at.isoformat(), v.completed_at.isoformat() if v.completed_at else None,
            None if tests is None else sum(t.verdict is Verdict.accepted for t in tests),
            None if tests is None else len(tests),
        )
        writer.writerow([csv_cell(c) for c in row])
    return out.getvalue()


# --- an interview: one candidate, several questions ------------------------------

INTERVIEW_COLUMNS = (
    "interview_id", "candidate", "question_id", "best_score", "max_score", "verdict", "attempts",
    "time_used_s", "best_submission_id",
)


def interview_csv(interview_id: str, candidate: str, rows: list[BoardRow]) -> str:
    """An interview's board as CSV: a header and one row per question, in the interview's order."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(INTERVIEW_COLUMNS)
    for r in rows:
        row = (interview_id, candidate, r.question_id, r.best_score, r.max_score, r.verdict, r.attempts,
               r.time_used_s, r.best_submission_id)
        writer.writerow([csv_cell(c) for c in row])
    return out.getvalue()


def interview_gradescope(questions: list[tuple[str, GradeReport | None]]) -> dict[str, Any]:
    """One candidate's interview as a Gradescope ``results.json``: each question's best report.

    Its tests are named ``question: test``; a question without a graded submission is one
    test, ``question: not attempted``, scored 0. The score is the sum of the best scores.
    The candidate reads this in Gradescope: every report goes in as the candidate's view
    (redacted here whatever is given), so no hidden data can come out.
    """
    questions = [(q, None if r is None else for_role(r, Role.candidate)) for q, r in questions]
    tests: list[dict[str, Any]] = []
    for question_id, report in questions:
        if report is None:
            tests.append({"name": f"{question_id}: not attempted", "score": 0.0, "status": "failed",
                          "visibility": "visible", "output": "no graded submission"})
            continue
        for test in _with_aggregate(report):
            entry = _gradescope_test(test, "after_published")  # the students' export
            tests.append({**entry, "name": f"{question_id}: {entry['name']}"})
    score = sum(r.score for _, r in questions if r is not None)
    answered = sum(r is not None for _, r in questions)
    return {"score": score, "output": f"{answered} of {len(questions)} questions answered",
            "stdout_visibility": "hidden", "tests": tests}


# --- one report, any format ------------------------------------------------------


def render_format(report: GradeReport, fmt: str) -> tuple[str, str]:
    """``report`` in ``fmt`` (one of ``FORMATS``) as ``(body, media type)``.

    Raises ``ValueError`` for an unknown format, and for ``gradescope-full`` of a
    redacted report.
    """
    if fmt == "json":
        try:
            return report.model_dump_json(indent=2), "application/json"
        except PydanticSerializationError:
            # A lone surrogate (from a candidate's exception text) cannot be UTF-8:
            # the standard library writes it as an escape instead.
            return json.dumps(report.model_dump(mode="json"), indent=2), "application/json"
    if fmt in ("gradescope", "gradescope-full"):
        return json.dumps(gradescope(report, full=fmt == "gradescope-full"), indent=2), "application/json"
    if fmt == "junit":
        return junit(report), "application/xml"
    raise ValueError(f"unknown format {fmt!r}: expected one of {', '.join(FORMATS)}")
