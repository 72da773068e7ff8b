"""A grade report arranged for the page: rows per test, repeated errors once, plots, hidden tests per view.

The report given here is already the reader's view (``grader.views.submission_view``): a
candidate's has no hidden test's data to show, so nothing here can show it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from grader.reports import summary_line, unlisted_hidden
from grader.web.plots import Plot, plot
from submissions_schema import GradeReport, TestResult, Visibility


@dataclass
class Row:
    test: TestResult
    plot: Plot | None
    same_as: str | None = None  # the earlier test whose message this one repeats
    repeats: int = 0  # how many later tests repeat this one's message
    hidden: bool = False


@dataclass
class ReportPage:
    report: GradeReport
    rows: list[Row] = field(default_factory=list)
    hidden_line: str | None = None


def arrange(report: GradeReport) -> ReportPage:
    """Rows in the report's order; a message repeated word for word is shown once, with its count."""
    rows: list[Row] = []
    first: dict[tuple[str, str], Row] = {}
    for test in report.tests:
        data = test.mismatch.plot if test.mismatch is not None else None
        row = Row(test=test, plot=plot(data) if data is not None else None,
                  hidden=test.visibility is Visibility.hidden)
        key = (test.verdict.value, test.message)
        if test.message and test.verdict.value != "accepted" and key in first:
            row.same_as = first[key].test.name
            first[key].repeats += 1
        else:
            first.setdefault(key, row)
        rows.append(row)
    hidden = unlisted_hidden(report)
    return ReportPage(report=report, rows=rows, hidden_line=summary_line(hidden) if hidden is not None else None)
