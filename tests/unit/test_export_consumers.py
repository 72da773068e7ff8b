"""The exports checked by their consumers' own rules: Gradescope's documented results.json
format (as a JSON Schema in tests/schemas/), Jenkins' JUnit schema (junit-10.xsd, vendored
from the xUnit plugin) with ``xmlschema``, and ``junitparser`` reading the XML back."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import xmlschema
from junitparser import Error, Failure, JUnitXml

from grader.exports import gradescope, junit
from grader.reports import for_role
from submissions_schema import GradeReport, Mismatch, Role, SandboxInfo, Timing, Verdict, Visibility
from submissions_schema import TestResult as Result

SCHEMAS = Path(__file__).resolve().parents[1] / "schemas"
GRADESCOPE = json.loads((SCHEMAS / "gradescope_results.schema.json").read_text())
JUNIT_XSD = xmlschema.XMLSchema(str(SCHEMAS / "junit-10.xsd"))
HOSTILE = "a\x00b\x1b[31m\ud800 ]]> <x>&amp; \u202e\U0001f600"


def result(name: str, verdict: Verdict = Verdict.accepted, visibility: Visibility = Visibility.visible,
           **kw: Any) -> Result:
    ok = verdict is Verdict.accepted
    return Result(name=name, visibility=visibility, verdict=verdict, score=1.0 if ok else 0.0, max_score=1.0, **kw)


def report(tests: list[Result], verdict: Verdict | None = None, **kw: Any) -> GradeReport:
    fields: dict[str, Any] = {
        "question_id": "conv1d_full", "question_version": 2,
        "verdict": verdict or max((t.verdict for t in tests), key=lambda v: v.rank, default=Verdict.accepted),
        "score": sum(t.score for t in tests), "max_score": sum(t.max_score for t in tests),
        "message": "graded", "tests": tests, "timing": Timing(run_s=0.5, total_s=0.75),
        "sandbox": SandboxInfo(backend="bwrap"),
    }
    return GradeReport(**{**fields, **kw})


REPORTS = {
    "all pass": report([result("a", duration_s=0.1), result("b", visibility=Visibility.hidden)]),
    "every verdict": report([result(v.value, v, Visibility.hidden if i % 2 else Visibility.visible,
                                    message=f"{v.value}\ndetail", stdout="out", stderr="err")
                             for i, v in enumerate(Verdict)]),
    "mismatch": report([result("m", Verdict.wrong_answer, message="1 of 3 differ",
                               mismatch=Mismatch(path="", max_abs_error=0.5, mismatched=1, total=3))]),
    "no tests, internal error": report([], Verdict.internal_error, message="the question cannot be loaded"),
    "no tests, accepted": report([]),
    "hostile text": report([result(HOSTILE, Verdict.runtime_error, message=HOSTILE, stdout=HOSTILE,
                                   stderr=HOSTILE)], message=HOSTILE, stdout=HOSTILE, stderr=HOSTILE),
    "per-test policy": report([result("v"), result("h", Verdict.wrong_answer, Visibility.hidden, message="x")],
                              hidden_feedback="per_test"),
}
VIEWS = {"interviewer": lambda r: for_role(r, Role.interviewer), "candidate": lambda r: for_role(r, Role.candidate)}


@pytest.mark.parametrize("name", REPORTS)
@pytest.mark.parametrize("full", [False, True], ids=["gradescope", "gradescope-full"])
def test_gradescope_matches_the_documented_format(name: str, full: bool) -> None:
    out = json.loads(json.dumps(gradescope(REPORTS[name], full=full)))
    jsonschema.validate(out, GRADESCOPE)


def test_the_schema_refuses_what_gradescope_does_not_document() -> None:
    good = gradescope(REPORTS["all pass"])
    for bad in ({**good, "tests": [{**good["tests"][0], "visibility": "after_publish"}]},
                {**good, "tests": [{**good["tests"][0], "status": "error"}]},
                {"output": "no score anywhere", "tests": [{"name": "x"}]},
                {**good, "stdout": "misspelt key"}):
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(bad, GRADESCOPE)


@pytest.mark.parametrize("name", REPORTS)
@pytest.mark.parametrize("view", VIEWS)
def test_junit_is_valid_for_jenkins(name: str, view: str) -> None:
    xml = junit(VIEWS[view](REPORTS[name]))
    JUNIT_XSD.validate(xml.encode("utf-8"))


@pytest.mark.parametrize("name", REPORTS)
def test_junitparser_reads_one_case_per_test(name: str) -> None:
    source = REPORTS[name]
    parsed = JUnitXml.fromstring(junit(source).encode("utf-8"))
    suites = list(parsed)
    assert len(suites) == 1
    cases = list(suites[0])
    expected = len(source.tests) or (0 if source.verdict is Verdict.accepted else 1)
    assert len(cases) == expected
    for case, test in zip(cases, source.tests, strict=False):
        kinds = {type(r) for r in case.result}
        if test.verdict is Verdict.accepted:
            assert kinds == set()
        elif test.verdict is Verdict.wrong_answer:
            assert kinds == {Failure}
        else:
            assert kinds == {Error}
            assert case.result[0].type == test.verdict.value


def test_the_xsd_refuses_what_jenkins_refuses() -> None:
    """The vendored schema is the strict one: the old ``skipped`` on ``<testsuites>`` fails it."""
    bad = junit(REPORTS["all pass"]).replace("<testsuites ", '<testsuites skipped="0" ', 1)
    assert not JUNIT_XSD.is_valid(bad.encode("utf-8"))
