"""Plot windows in reports: small, around the first mismatch, and never in a candidate's view of a hidden test."""

from __future__ import annotations

import numpy as np

from grader.grading.checkers import allclose
from grader.grading.plotdata import MAX_1D, MAX_SIDE
from grader.reports import for_role
from submissions_schema import GradeReport, Role, SandboxInfo, Timing, Visibility
from submissions_schema import TestResult as Result


def test_1d_mismatch_keeps_both_series_and_marks() -> None:
    e = np.arange(10.0)
    a = e.copy()
    a[[3, 7]] = [30.0, np.nan]
    plot = allclose(e, a).mismatch.plot  # type: ignore[union-attr]
    assert plot is not None and plot.shape == [10] and plot.where == "[0:10]"
    assert plot.expected[3] == 3.0 and plot.actual[3] == 30.0 and plot.actual[7] is None
    assert plot.mismatched == [3, 7]


def test_long_1d_is_a_window_holding_the_first_mismatch() -> None:
    e = np.zeros(5000)
    a = e.copy()
    a[4000] = 1.0
    plot = allclose(e, a).mismatch.plot  # type: ignore[union-attr]
    assert plot is not None and len(plot.expected) == MAX_1D
    start = int(plot.where[1:].split(":")[0])
    assert plot.actual[4000 - start] == 1.0 and plot.mismatched == [4000 - start]


def test_4d_becomes_the_first_mismatching_2d_slice() -> None:
    e = np.zeros((2, 3, 50, 40))
    a = e.copy()
    a[1, 2, 45, 5] = 2.0
    plot = allclose(e, a).mismatch.plot  # type: ignore[union-attr]
    assert plot is not None and plot.shape == [MAX_SIDE, MAX_SIDE]
    assert plot.where == "[1, 2, 18:50, 0:32]"
    assert plot.mismatched == [(45 - 18) * MAX_SIDE + 5]


def test_scalars_have_no_plot() -> None:
    assert allclose(np.float64(1.0), np.float64(2.0)).mismatch.plot is None  # type: ignore[union-attr]


def test_candidate_view_drops_hidden_plots_keeps_visible_ones() -> None:
    mismatch = allclose(np.arange(4.0), np.arange(4.0) + 1).mismatch
    tests = [Result(name=n, visibility=v, verdict="wrong_answer", score=0, max_score=1, mismatch=mismatch)
             for n, v in (("seen", Visibility.visible), ("secret", Visibility.hidden))]
    report = GradeReport(question_id="q", question_version=1, verdict="wrong_answer", score=0, max_score=2,
                         tests=tests, timing=Timing(), sandbox=SandboxInfo(backend="bwrap"), hidden_feedback="per_test")
    seen = for_role(report, Role.candidate)
    assert seen.tests[0].mismatch is not None and seen.tests[0].mismatch.plot is not None
    assert seen.tests[1].mismatch is None
