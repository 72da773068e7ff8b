"""Reports for two audiences, and the human-readable table.

The interviewer sees everything. The candidate sees visible tests in full (their
durations in whole seconds) and hidden tests as the report's ``hidden_feedback``
says: ``summary`` (the default) shows only their aggregate (``hidden_summary``: how
many passed, their score), ``per_test`` also lists each one's name, verdict and
score. Never an input, output, printed text, exception text, figure or timing from a
hidden case: per-test verdicts of hidden cases are an oracle that code can steer with
the hidden inputs, and times are one too.
"""

from __future__ import annotations

import re

from submissions_schema import GradeReport, HiddenSummary, Role, TestResult, Timing, Verdict, Visibility

# Everything but newline and tab: candidate text must not drive the reader's terminal.
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def for_role(report: GradeReport, role: Role) -> GradeReport:
    """The report as ``role`` may see it, with ``hidden_summary`` set when it has hidden tests.

    A report already redacted stays as it is: it no longer knows what was taken out.
    """
    if report.redacted:
        return report
    summary = hidden_summary(report.tests)
    if role is Role.interviewer:
        return report.model_copy(update={"hidden_summary": summary})
    tests = [_visible(t) if t.visibility is Visibility.visible else _hidden(t) for t in report.tests]
    if report.hidden_feedback == "summary":
        tests = [t for t in tests if t.visibility is Visibility.visible]
    # Run and total times include the hidden cases: a sleep as long as a hidden input would tell it.
    return report.model_copy(update={"tests": tests, "redacted": True, "timing": Timing(), "hidden_summary": summary})


def hidden_summary(tests: list[TestResult]) -> HiddenSummary | None:
    """The hidden tests among ``tests`` taken together; ``None`` when there are none."""
    hidden = [t for t in tests if t.visibility is Visibility.hidden]
    if not hidden:
        return None
    return HiddenSummary(
        passed=sum(t.verdict is Verdict.accepted for t in hidden), total=len(hidden),
        score=sum(t.score for t in hidden), max_score=sum(t.max_score for t in hidden),
    )


def unlisted_hidden(report: GradeReport) -> HiddenSummary | None:
    """The hidden tests' aggregate when the report does not list them one by one (a summary view)."""
    listed = any(t.visibility is Visibility.hidden for t in report.tests)
    return None if listed else report.hidden_summary


def summary_line(summary: HiddenSummary) -> str:
    """``hidden: 17 of 20 passed, score 17/20``."""
    return f"hidden: {summary.passed} of {summary.total} passed, score {summary.score:g}/{summary.max_score:g}"


def _visible(test: TestResult) -> TestResult:
    """A visible test in full, its duration in whole seconds like every time a candidate reads.

    A rubric point (a test with ``evidence``) shows the candidate the sentence of their own answer
    it was credited from, never the rubric's claim: that would hand the key to the next attempt.
    """
    if test.evidence is not None:
        test = test.model_copy(update={"message": "credited" if test.verdict is Verdict.accepted else "not credited"})
    if test.duration_s is None:
        return test
    return test.model_copy(update={"duration_s": float(round(test.duration_s))})


def _hidden(test: TestResult) -> TestResult:
    return TestResult(
        name=test.name, visibility=test.visibility, verdict=test.verdict, score=test.score, max_score=test.max_score
    )


def render(report: GradeReport) -> str:
    """A readable table of tests with verdicts and error figures."""
    rows = [("test", "", "verdict", "score", "max abs err", "max rel err", "details")]
    for t in report.tests:
        m = t.mismatch
        rows.append((
            t.name,
            "hidden" if t.visibility is Visibility.hidden else "visible",
            t.verdict.value,
            f"{t.score:g}/{t.max_score:g}",
            _fig(m.max_abs_error if m else None),
            _fig(m.max_rel_error if m else None),
            _first_line(t.message),
        ))
    widths = [max(len(r[i]) for r in rows) for i in range(6)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r[:6], widths, strict=False)) + "  " + r[6] for r in rows]
    lines.insert(1, "-" * min(len(lines[0]) + 20, 120))
    head = (
        f"{report.question_id} v{report.question_version}: {report.verdict.value.upper()}  "
        f"score {report.score:g}/{report.max_score:g}  ({report.message})"
    )
    out = [head, "", *lines]
    summary = report.hidden_summary or hidden_summary(report.tests)
    if summary is not None:
        out += ["", summary_line(summary)]
    out += _details(report)
    if report.stdout or report.stderr:
        out += ["", "printed while importing:", (report.stdout + report.stderr).rstrip()]
    s = report.sandbox
    out += ["", f"sandbox: {s.backend}, python {s.python}, numpy {s.numpy}, torch {s.torch}, device {s.device}; "
            f"{report.timing.total_s:.2f} s"]
    return CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", "\n".join(out))


def _details(report: GradeReport) -> list[str]:
    """Full messages and printed output of the tests that failed or printed."""
    out: list[str] = []
    for t in report.tests:
        extra = [t.message] if "\n" in t.message else []
        if t.stdout:
            extra.append("stdout:\n" + t.stdout.rstrip())
        if t.stderr:
            extra.append("stderr:\n" + t.stderr.rstrip())
        if extra:
            out += ["", f"-- {t.name} ({t.verdict.value})", *extra]
    return out


def _fig(value: float | None) -> str:
    return "" if value is None else f"{value:.3g}"


def _first_line(text: str) -> str:
    lines = text.strip().splitlines()
    return (lines[-1] if text.startswith("Traceback") else lines[0])[:160] if lines else ""
