"""Exports, table-driven: Gradescope results.json, JUnit XML with hostile text, batch CSV."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from typing import Any

import pytest

from grader.exports import (
    FORMATS,
    FULL_FORMATS,
    HIDDEN_AGGREGATE,
    batch_csv,
    csv_cell,
    gradescope,
    junit,
    render_format,
    xml_text,
)
from grader.reports import for_role
from submissions_schema import GradeReport, Mismatch, Role, SandboxInfo, Timing, Verdict, Visibility
from submissions_schema import TestResult as Result  # not "Test*": pytest would try to collect it
from submissions_schema.api import SubmissionView

SECRET = "hidden input x=[3, 1, 4]"


def case(name: str, verdict: Verdict = Verdict.accepted, visibility: Visibility = Visibility.visible,
         **kw: Any) -> Result:
    ok = verdict is Verdict.accepted
    return Result(name=name, visibility=visibility, verdict=verdict, score=1.0 if ok else 0.0, max_score=1.0, **kw)


def make_report(tests: list[Result], verdict: Verdict | None = None, **kw: Any) -> GradeReport:
    fields: dict[str, Any] = {
        "question_id": "softmax", "question_version": 3,
        "verdict": verdict or max((t.verdict for t in tests), key=lambda v: v.rank, default=Verdict.accepted),
        "score": sum(t.score for t in tests), "max_score": sum(t.max_score for t in tests),
        "message": f"{sum(t.verdict is Verdict.accepted for t in tests)} of {len(tests)} tests passed",
        "tests": tests, "timing": Timing(run_s=1.0, total_s=1.25), "sandbox": SandboxInfo(backend="process"),
    }
    return GradeReport(**{**fields, **kw})


MIXED = make_report([
    case("visible_ok", duration_s=0.5),
    case("visible_wrong", Verdict.wrong_answer, message="1 of 3 values differ\nat [1]", stdout="debug print\n",
         mismatch=Mismatch(path="", max_abs_error=0.5, mismatched=1, total=3)),
    case("hidden_ok", visibility=Visibility.hidden, duration_s=0.25),
    case("hidden_crash", Verdict.runtime_error, Visibility.hidden, message=f"ValueError: {SECRET}",
         stdout=f"printed {SECRET}", stderr=f"warning {SECRET}", duration_s=0.1),
    case("hidden_slow", Verdict.time_limit_exceeded, Visibility.hidden, message="time limit"),
])

# --- Gradescope ------------------------------------------------------------------


def test_gradescope_top_level() -> None:
    out = gradescope(MIXED, full=True)
    assert out["score"] == MIXED.score == 2.0
    assert out["output"] == "2 of 5 tests passed"
    assert out["execution_time"] == 1.25
    assert out["stdout_visibility"] == "hidden"
    assert [t["name"] for t in out["tests"]] == [t.name for t in MIXED.tests]
    json.dumps(out, allow_nan=False)  # plain JSON


GRADESCOPE_TESTS = [
    # (name, status, visibility, score, max_score): the interviewer's export keeps hidden tests "hidden"
    ("visible_ok", "passed", "visible", 1.0, 1.0),
    ("visible_wrong", "failed", "visible", 0.0, 1.0),
    ("hidden_ok", "passed", "hidden", 1.0, 1.0),
    ("hidden_crash", "failed", "hidden", 0.0, 1.0),
    ("hidden_slow", "failed", "hidden", 0.0, 1.0),
]


@pytest.mark.parametrize("name,status,visibility,score,max_score", GRADESCOPE_TESTS)
def test_gradescope_full_tests(name: str, status: str, visibility: str, score: float, max_score: float) -> None:
    test = {t["name"]: t for t in gradescope(MIXED, full=True)["tests"]}[name]
    assert set(test) == {"name", "score", "max_score", "status", "visibility", "output"}
    assert (test["status"], test["visibility"], test["score"], test["max_score"]) == (
        status, visibility, score, max_score)


def test_gradescope_output_has_message_and_stdout() -> None:
    test = gradescope(MIXED)["tests"][1]  # a visible test, in the student's export too
    assert test["output"].startswith("1 of 3 values differ\nat [1]")
    assert "stdout:\ndebug print" in test["output"]


def test_gradescope_stdout_is_brief() -> None:
    out = gradescope(make_report([case("noisy", stdout="x" * 100_000)]))["tests"][0]["output"]
    assert len(out) < 3000 and "more)" in out


def test_gradescope_no_execution_time_when_unknown() -> None:
    assert "execution_time" not in gradescope(make_report([case("a")], timing=Timing()))


@pytest.mark.parametrize("fmt", sorted(set(FORMATS) - set(FULL_FORMATS)))
def test_redacted_report_exports_no_hidden_details(fmt: str) -> None:
    redacted = for_role(MIXED, Role.candidate)
    body, _ = render_format(redacted, fmt)
    assert SECRET not in body
    assert "time limit" not in body


@pytest.mark.parametrize("fmt", ["json", "junit", "gradescope-full"])
def test_full_exports_carry_hidden_details(fmt: str) -> None:
    assert SECRET in render_format(MIXED, fmt)[0]  # the interviewer's view has it


@pytest.mark.parametrize("policy", ["summary", "per_test"])
def test_student_gradescope_redacts_a_full_report_by_itself(policy: str) -> None:
    report = MIXED.model_copy(update={"hidden_feedback": policy})
    body, _ = render_format(report, "gradescope")  # the interviewer's report, exported for students
    assert SECRET not in body and "time limit" not in body
    assert json.loads(body) == gradescope(for_role(report, Role.candidate))
    for test in json.loads(body)["tests"]:
        if test["visibility"] == "after_published":
            assert test["output"] in ("", "hidden: 1 of 3 passed, score 1/3")


def test_no_hidden_data_under_after_published_in_any_export() -> None:
    for full in (False, True):
        for test in gradescope(MIXED, full=full)["tests"]:
            if test["visibility"] == "after_published":
                assert SECRET not in test["output"] and "time limit" not in test["output"]


def test_gradescope_full_refuses_a_redacted_report() -> None:
    with pytest.raises(ValueError, match="redacted"):
        render_format(for_role(MIXED, Role.candidate), "gradescope-full")


def test_redacted_gradescope_hidden_tests_are_bare() -> None:
    per_test = MIXED.model_copy(update={"hidden_feedback": "per_test"})
    out = gradescope(for_role(per_test, Role.candidate))
    hidden = [t for t in out["tests"] if t["visibility"] == "after_published"]
    assert [t["output"] for t in hidden] == ["", "", ""]
    assert "execution_time" not in out  # redaction zeroes timing: it would tell hidden inputs


def test_candidate_gradescope_in_summary_mode_has_one_aggregate_for_hidden_tests() -> None:
    out = gradescope(for_role(MIXED, Role.candidate))  # "summary" is the default policy
    names = [t["name"] for t in out["tests"]]
    assert names == ["visible_ok", "visible_wrong", HIDDEN_AGGREGATE]
    aggregate = out["tests"][-1]
    assert (aggregate["score"], aggregate["max_score"], aggregate["status"], aggregate["visibility"]) == (
        1.0, 3.0, "failed", "after_published")
    assert aggregate["output"] == "hidden: 1 of 3 passed, score 1/3"
    assert out["score"] == 2.0 and "execution_time" not in out
    assert not any(name.startswith("hidden_") for name in json.dumps(out).split('"'))


def test_candidate_junit_in_summary_mode_counts_hidden_tests_as_one() -> None:
    suite = parse(junit(for_role(MIXED, Role.candidate))).find("testsuite")
    assert suite is not None
    names = [c.get("name") for c in suite.findall("testcase")]
    assert names == ["visible_ok", "visible_wrong", HIDDEN_AGGREGATE]
    assert (suite.get("tests"), suite.get("failures"), suite.get("errors")) == ("3", "2", "0")
    assert all(c.get("time") in ("0.000", "1.000") for c in suite.findall("testcase"))  # whole seconds


# --- JUnit -----------------------------------------------------------------------


def parse(xml: str) -> ET.Element:
    return ET.fromstring(xml.encode("utf-8"))


JUNIT_COUNTS = [
    # (id, report, tests, failures, errors)
    ("all pass", make_report([case("a"), case("b")]), 2, 0, 0),
    ("mixed", MIXED, 5, 1, 2),
    ("every verdict", make_report([case(v.value, v) for v in Verdict]), len(Verdict), 1, len(Verdict) - 2),
    ("no tests, accepted", make_report([]), 0, 0, 0),
    ("no tests, internal error", make_report([], Verdict.internal_error, message="the question cannot be loaded"),
     1, 0, 1),
]


@pytest.mark.parametrize("report,tests,failures,errors", [c[1:] for c in JUNIT_COUNTS],
                         ids=[c[0] for c in JUNIT_COUNTS])
def test_junit_counts(report: GradeReport, tests: int, failures: int, errors: int) -> None:
    root = parse(junit(report))
    suite = root.find("testsuite")
    assert root.tag == "testsuites" and suite is not None
    for element in (root, suite):
        assert (element.get("tests"), element.get("failures"), element.get("errors")) == (
            str(tests), str(failures), str(errors))
    assert suite.get("name") == "softmax v3"
    assert len(suite.findall("testcase")) == tests


def test_junit_cases() -> None:
    suite = parse(junit(MIXED)).find("testsuite")
    assert suite is not None and suite.get("time") == "1.250"
    cases = {c.get("name"): c for c in suite.findall("testcase")}
    assert all(c.get("classname") == "softmax" for c in cases.values())
    assert cases["visible_ok"].get("time") == "0.500" and len(cases["visible_ok"]) == 0

    failure = cases["visible_wrong"].find("failure")
    assert failure is not None and failure.get("type") == "wrong_answer"
    assert failure.get("message") == "1 of 3 values differ"
    assert "at [1]" in (failure.text or "") and "max_abs_error: 0.5" in (failure.text or "")
    assert cases["visible_wrong"].findtext("system-out") == "debug print\n"

    error = cases["hidden_crash"].find("error")
    assert error is not None and error.get("type") == "runtime_error"
    assert cases["hidden_crash"].findtext("system-err") == f"warning {SECRET}"
    slow = cases["hidden_slow"].find("error")
    assert slow is not None and slow.get("type") == "time_limit_exceeded"


def test_junit_import_output_on_the_suite() -> None:
    suite = parse(junit(make_report([case("a")], stdout="hello", stderr="oops"))).find("testsuite")
    assert suite is not None
    assert (suite.findtext("system-out"), suite.findtext("system-err")) == ("hello", "oops")


HOSTILE = [
    ("C0 controls", "a\x00b\x01c\x08d\x0be\x0cf\x1bg\x1f"),
    ("lone surrogates", "x\ud800y\udfffz"),
    ("CDATA end", "]]> <![CDATA[ ]]>"),
    ("quotes and markup", "\"'<tag attr=\"1\">&amp;</tag>&"),
    ("C1, DEL, non-characters", "\x7f\x85\x9f\ufffe\uffff"),
    ("newlines and tabs", "line1\nline2\r\n\tend"),
    ("astral", "emoji \U0001f600 ok"),
]


@pytest.mark.parametrize("text", [h[1] for h in HOSTILE], ids=[h[0] for h in HOSTILE])
def test_junit_valid_with_hostile_text(text: str) -> None:
    report = make_report(
        [
            case(text, Verdict.wrong_answer, message=text, stdout=text, stderr=text),
            case("err" + text, Verdict.runtime_error, message=text + "\n" + text),
        ],
        message=text, stdout=text, stderr=text,
    )
    xml = junit(report)
    xml.encode("utf-8")  # no surrogates left to refuse
    root = parse(xml)
    case_ = root.find("testsuite/testcase")
    assert case_ is not None
    assert case_.get("name") == xml_text(text)
    failure = case_.find("failure")
    assert failure is not None and xml_text(text).splitlines()[0] in (failure.text or "")


@pytest.mark.parametrize("text,expected", [
    ("ok\ttab\nnl\rcr", "ok\ttab\nnl\rcr"),
    ("\x00\x1f\ud800", "\ufffd\ufffd\ufffd"),
    ("]]>\"'&<", "]]>\"'&<"),
    ("\U0001f600\ue000\ufffd", "\U0001f600\ue000\ufffd"),
])
def test_xml_text(text: str, expected: str) -> None:
    assert xml_text(text) == expected


# --- CSV -------------------------------------------------------------------------

T0 = datetime(2025, 1, 2, 3, 4, 5, tzinfo=UTC)
T1 = datetime(2025, 1, 2, 3, 4, 9, tzinfo=UTC)


def view(id_: str, candidate: str | None, report: GradeReport | None = None, **kw: Any) -> SubmissionView:
    fields: dict[str, Any] = {"id": id_, "question_id": "softmax", "status": "queued", "attempts": 0,
                              "created_at": T0, "candidate": candidate}
    if report is not None:
        fields.update(status="completed", attempts=1, completed_at=T1, verdict=report.verdict.value,
                      score=report.score, max_score=report.max_score, report=report)
    return SubmissionView(**{**fields, **kw})


def rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


def test_batch_csv_rows() -> None:
    text = batch_csv([view("s1", "Ada", MIXED), view("s2", None), view("s3", "Bob, \"Jr\"\nII", make_report([]))])
    header = text.splitlines()[0]
    assert header == ("id,question_id,candidate,status,verdict,score,max_score,created_at,completed_at,"
                      "tests_passed,tests_total")
    done, queued, empty = rows(text)
    assert done == {
        "id": "s1", "question_id": "softmax", "candidate": "Ada", "status": "completed",
        "verdict": "time_limit_exceeded", "score": "2.0", "max_score": "5.0",
        "created_at": "2025-01-02T03:04:05+00:00", "completed_at": "2025-01-02T03:04:09+00:00",
        "tests_passed": "2", "tests_total": "5",
    }
    assert queued["candidate"] == "" and queued["status"] == "queued" and queued["completed_at"] == ""
    assert (queued["verdict"], queued["score"], queued["tests_passed"], queued["tests_total"]) == ("", "", "", "")
    assert empty["candidate"] == "Bob, \"Jr\"\nII"  # quoted, not split
    assert (empty["tests_passed"], empty["tests_total"]) == ("0", "0")


def test_batch_csv_empty() -> None:
    assert rows(batch_csv([])) == []
    assert batch_csv([]).startswith("id,")


INJECTION = [
    ("=HYPERLINK(\"http://evil\",\"x\")", "'=HYPERLINK(\"http://evil\",\"x\")"),
    ("+1+cmd|' /C calc'!A0", "'+1+cmd|' /C calc'!A0"),
    ("-2+3", "'-2+3"),
    ("@SUM(A1)", "'@SUM(A1)"),
    ("\t=1", "'\t=1"),
    ("\r=1", "'\r=1"),
    ("Ada =1", "Ada =1"),
    ("a\ud800", "a\ufffd"),
]


@pytest.mark.parametrize("candidate,cell", INJECTION, ids=[repr(c) for c, _ in INJECTION])
def test_batch_csv_formula_injection(candidate: str, cell: str) -> None:
    text = batch_csv([view("s1", candidate)])
    text.encode("utf-8")
    assert rows(text)[0]["candidate"] == cell


@pytest.mark.parametrize("value,cell", [(None, ""), (0, "0"), (-1.5, "'-1.5"), ("", ""), ("x", "x")])
def test_csv_cell(value: object, cell: str) -> None:
    assert csv_cell(value) == cell


# --- render_format ---------------------------------------------------------------


def test_render_json() -> None:
    body, media = render_format(MIXED, "json")
    assert media == "application/json"
    assert GradeReport.model_validate_json(body) == MIXED


def test_render_json_with_lone_surrogate() -> None:
    body, media = render_format(make_report([case("a", message="bad \ud800 text")]), "json")
    body.encode("utf-8")
    assert json.loads(body)["tests"][0]["message"] == "bad \ud800 text"


def test_render_gradescope_and_junit() -> None:
    body, media = render_format(MIXED, "gradescope")
    assert media == "application/json" and json.loads(body) == gradescope(MIXED)
    body, media = render_format(MIXED, "gradescope-full")
    assert media == "application/json" and json.loads(body) == gradescope(MIXED, full=True)
    body, media = render_format(MIXED, "junit")
    assert media == "application/xml" and body == junit(MIXED)


def test_render_unknown_format() -> None:
    with pytest.raises(ValueError, match="unknown format"):
        render_format(MIXED, "csv")
