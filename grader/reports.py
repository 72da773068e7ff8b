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
import textwrap
from collections.abc import Sequence

from submissions_schema import GradeReport, HiddenSummary, Role, TestResult, Timing, Verdict, Visibility

# Everything but newline and tab: candidate text must not drive the reader's terminal.
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")

# Invisible characters that reorder or hide text ("Trojan Source"): bidirectional
# embeddings, overrides and isolates, zero-width characters and marks, line and
# paragraph separators, the byte-order mark, interlinear annotations. Shown as escapes.
INVISIBLE = re.compile("[\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb]")

TERMINAL_COLUMNS = 100
"""Width the human-readable tables fit in."""

# The last column of a table is cut first, but not below this.
LAST_COLUMN_MIN = 16

# How many tests with one identical error are named before "and N more".
GROUP_NAMES_SHOWN = 3


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
    """A readable report: a table of tests (at most ``TERMINAL_COLUMNS`` wide) with verdicts and
    error figures, then each distinct failure's full message once, naming every test it ended."""
    rows = [("test", "", "verdict", "score", "abs err", "rel err", "details")]
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
    head = (
        f"{report.question_id} v{report.question_version}: {report.verdict.value.upper()}  "
        f"score {report.score:g}/{report.max_score:g}  ({report.message})"
    )
    out = [head, "", *table(rows)] if report.tests else [head]
    summary = report.hidden_summary or hidden_summary(report.tests)
    if summary is not None:
        out += ["", summary_line(summary)]
    out += _details(report, fitted_widths(rows)[-1])
    if report.stdout or report.stderr:
        out += ["", "printed while importing:", (report.stdout + report.stderr).rstrip()]
    out += _sandbox_line(report)
    return safe_text("\n".join(out))


def safe_text(text: str) -> str:
    """``text`` with terminal controls and invisible reordering characters shown as escapes."""
    text = CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)
    return INVISIBLE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def table(rows: Sequence[Sequence[str]], width: int = TERMINAL_COLUMNS) -> list[str]:
    """``rows`` (the first is the header) as aligned lines under a rule, at most ``width`` wide.

    When the columns do not fit, the widest are cut (ending in "…") until they do.
    """
    count = len(rows[0])
    widths = fitted_widths(rows, width)
    lines = ["  ".join(_cut(cell, w).ljust(w) for cell, w in zip(r, widths, strict=True)).rstrip() for r in rows]
    lines.insert(1, "-" * min(sum(widths) + 2 * (count - 1), width))
    return lines


def fitted_widths(rows: Sequence[Sequence[str]], width: int = TERMINAL_COLUMNS) -> list[int]:
    """The columns' widths in :func:`table`: as wide as their cells; when they do not fit, the last
    column (free text) is cut first, down to ``LAST_COLUMN_MIN``, then the widest, until all fit."""
    count = len(rows[0])
    widths = [max(len(r[i]) for r in rows) for i in range(count)]
    room = width - 2 * (count - 1)
    widths[-1] = max(min(widths[-1], room - sum(widths[:-1])), min(widths[-1], LAST_COLUMN_MIN))
    while sum(widths) > room and max(widths) > 4:
        widths[widths.index(max(widths))] -= 1
    return widths


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _sandbox_line(report: GradeReport) -> list[str]:
    """Where the code ran; nothing for a report no sandbox took part in (a short answer)."""
    s = report.sandbox
    if s.backend == "none":
        return []
    known = [f"{name} {value}" for name, value in
             (("python", s.python), ("numpy", s.numpy), ("torch", s.torch), ("device", s.device)) if value]
    return ["", f"sandbox: {', '.join([s.backend, *known])}; {report.timing.total_s:.2f} s"]


def _details(report: GradeReport, shown: int) -> list[str]:
    """Full messages (those the table's ``shown`` characters do not hold) and printed output of
    the tests; tests that ended with the very same text share one block (a crash in every
    test is shown once)."""
    groups: dict[tuple[str, ...], list[TestResult]] = {}
    for t in report.tests:
        message = t.message.strip()
        extra = []
        if "\n" in message:
            extra.append(message)
        elif len(message) > shown:
            extra.append(textwrap.fill(message, TERMINAL_COLUMNS, subsequent_indent="  ", break_long_words=True))
        if t.stdout:
            extra.append("stdout:\n" + t.stdout.rstrip())
        if t.stderr:
            extra.append("stderr:\n" + t.stderr.rstrip())
        if extra:
            groups.setdefault((t.verdict.value, *extra), []).append(t)
    out: list[str] = []
    for (verdict, *extra), tests in groups.items():
        out += ["", _group_title(tests, verdict), *extra]
    return out


def _group_title(tests: list[TestResult], verdict: str) -> str:
    if len(tests) == 1:
        return f"-- {tests[0].name} ({verdict})"
    names = ", ".join(t.name for t in tests[:GROUP_NAMES_SHOWN])
    more = f" and {len(tests) - GROUP_NAMES_SHOWN} more" if len(tests) > GROUP_NAMES_SHOWN else ""
    return f"-- {len(tests)} tests ({verdict}): {names}{more} (the same output, shown once)"


def _fig(value: float | None) -> str:
    return "" if value is None else f"{value:.3g}"


def _first_line(text: str) -> str:
    lines = text.strip().splitlines()
    return (lines[-1] if text.startswith("Traceback") else lines[0])[:160] if lines else ""
