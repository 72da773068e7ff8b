"""Grade one candidate file against one question: the whole trusted pipeline.

``grade(job, question, sandbox, settings)`` parses and statically checks the
source, fetches expected outputs (cache or reference process), runs the candidate
in the sandbox with visible then hidden inputs, checks every case on this side, and
returns the full report. Infrastructure failures become ``internal_error``, never
a candidate's verdict.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from grader.grading.expected import CaseRecord, ExpectedSet
from grader.grading.forbidden import find_forbidden, syntax_problem
from grader.grading.reference import expected_for, variant_for
from grader.grading.verdicts import judge, load_failed, missing_case
from grader.questions.loader import Question
from grader.settings import Settings
from sandbox.base import Phase, Sandbox, SandboxCall, SandboxJob, SandboxProfile, SandboxRun
from sandbox.early import EarlySandbox
from submissions_schema import (
    GradeReport,
    GradingJob,
    SandboxInfo,
    TestResult,
    Timing,
    Verdict,
    Visibility,
    worst,
)

log = logging.getLogger(__name__)


def grade(job: GradingJob, question: Question, sandbox: Sandbox, settings: Settings) -> GradeReport:
    """The full (interviewer's) report for ``job``; redact it before showing a candidate.

    Never raises: a failure of the grader itself becomes an ``internal_error`` report.
    The report records what the candidate's view will show of hidden tests: the job's
    ``hidden_feedback`` (an interview's), else the question's, else the deployment's.
    A practice job (``job.practice``) runs and reports the visible cases only.
    """
    t0 = time.monotonic()
    try:
        report = _grade(job, question, sandbox, settings, t0)
    except Exception as exc:  # noqa: BLE001 - a bug of ours must not look like the candidate's fault
        log.exception("grading %s failed", question.id)
        report = _internal(question, sandbox.name, f"the grader failed ({type(exc).__name__}): {exc}", t0)
    policy = job.hidden_feedback or question.spec.hidden_feedback or settings.hidden_feedback
    message = report.message + (" (practice run: visible tests only)" if job.practice else "")
    return report.model_copy(update={"hidden_feedback": policy, "message": message})


def _grade(job: GradingJob, question: Question, sandbox: Sandbox, settings: Settings, t0: float) -> GradeReport:
    if job.code is None:
        raise ValueError("a coding question is graded from code")
    variant = variant_for(job.submission_id, settings.hidden_variants)  # random hidden inputs per submission
    expected = expected_for(question, settings.cache_dir, settings.reference_timeout_s, variant)
    if job.practice:
        expected = visible_only(expected)
    reference_s = time.monotonic() - t0
    with EarlySandbox(sandbox, profile_of(question), 2 * settings.sandbox_startup_timeout_s + 10) as early:
        problem = syntax_problem(job.code)
        if problem:
            return _not_run(question, expected, sandbox.name, Verdict.syntax_error, f"syntax error: {problem}", t0)
        # Torch is looked up on this side only for torch questions, or for code that names it.
        held = ("numpy", "torch") if question.spec.uses_torch else ("numpy",)
        uses = find_forbidden(job.code, question.spec.forbidden, held)
        if uses:
            text = "; ".join(use.describe() for use in uses)
            return _not_run(question, expected, sandbox.name, Verdict.forbidden_api, text, t0)
        run = early.take().run(sandbox_job(job, question, expected))
    t_check = time.monotonic()
    tests = _tests(question, expected, run, settings.report_output_kib * 1024)
    timing = Timing(
        reference_s=reference_s,
        sandbox_start_s=run.result.start_s,
        run_s=run.result.run_s,
        check_s=time.monotonic() - t_check,
        total_s=time.monotonic() - t0,
    )
    return _report(question, tests, run, timing, settings.report_output_kib * 1024)


def visible_only(expected: ExpectedSet) -> ExpectedSet:
    """The visible cases alone (a practice run): no hidden input reaches the sandbox, no hidden test is reported."""
    cases = [c for c in expected.cases if c.visible]
    return ExpectedSet(expected.bundle.model_copy(update={"cases": cases}), expected.arrays)


def profile_of(question: Question) -> SandboxProfile:
    """What the question's sandbox must have loaded."""
    return SandboxProfile(uses_torch=question.spec.uses_torch, device=question.spec.device)


def sandbox_job(job: GradingJob, question: Question, expected: ExpectedSet) -> SandboxJob:
    """The runner's job: inputs only, visible and hidden apart, case ids opaque."""
    spec = question.spec
    assert job.code is not None

    def phase(visible: bool) -> Phase:
        records = [(i, c) for i, c in enumerate(expected.cases) if c.visible == visible]
        calls = [SandboxCall(f"c{i}", c.call, c.args, c.kwargs) for i, c in records]
        return Phase(calls, expected.arrays_for([c.args for _, c in records] + [c.kwargs for _, c in records]))

    return SandboxJob(
        candidate=job.code,
        probe=question.probe_source,
        forbidden=list(spec.forbidden),
        limits=spec.limits,
        profile=profile_of(question),
        visible=phase(True),
        hidden=phase(False),
    )


def _tests(question: Question, expected: ExpectedSet, run: SandboxRun, cap: int) -> list[TestResult]:
    outcomes = {o.id: o for o in run.result.cases}
    load = run.result.load
    tests: list[TestResult] = []
    first_missing = True
    for i, case in enumerate(expected.cases):
        outcome = outcomes.get(f"c{i}")
        if load is not None and load.status != "ok":
            verdict, message = load_failed(load)
            result = None
        elif outcome is None:
            verdict, message = missing_case(run.result, first_missing)
            first_missing, result = False, None
        else:
            checker = question.checker_for(case.name, case.checker)
            verdict, message, result = judge(
                case, outcome, run.values.get(outcome.id), expected, checker, question.spec.keep_device
            )
        tests.append(_test(case, verdict, message, result, outcome, cap))
    return tests


def _test(case: CaseRecord, verdict: Verdict, message: str, result: Any, outcome: Any, cap: int) -> TestResult:
    return TestResult(
        name=case.name,
        visibility=Visibility.visible if case.visible else Visibility.hidden,
        verdict=verdict,
        score=float(case.points) if verdict is Verdict.accepted else 0.0,
        max_score=float(case.points),
        message=message,
        mismatch=result.mismatch if result is not None else None,
        stdout=outcome.stdout[:cap] if outcome else "",
        stderr=outcome.stderr[:cap] if outcome else "",
        duration_s=outcome.duration_s if outcome else None,
    )


def _report(question: Question, tests: list[TestResult], run: SandboxRun, timing: Timing, cap: int) -> GradeReport:
    verdict = worst([t.verdict for t in tests])
    passed = sum(t.verdict is Verdict.accepted for t in tests)
    info = run.result.runner
    load = run.result.load
    message = f"{passed} of {len(tests)} tests passed"
    if question.spec.device == "gpu" and info is not None and info.device == "cpu":
        message += "; ran on the CPU: no GPU on this worker"
    return GradeReport(
        question_id=question.id,
        question_version=question.spec.version,
        verdict=verdict,
        score=sum(t.score for t in tests),
        max_score=sum(t.max_score for t in tests),
        message=message,
        tests=tests,
        stdout=load.stdout[:cap] if load else "",
        stderr=load.stderr[:cap] if load else "",
        timing=timing,
        sandbox=SandboxInfo(
            backend=run.result.backend,
            python=info.python if info else None,
            numpy=info.numpy if info else None,
            torch=info.torch if info else None,
            device=info.device if info else None,
        ),
    )


def _not_run(
    question: Question, expected: ExpectedSet, backend: str, verdict: Verdict, message: str, t0: float
) -> GradeReport:
    """A report for a submission refused before it ran (syntax, forbidden names)."""
    tests = [
        TestResult(
            name=c.name, visibility=Visibility.visible if c.visible else Visibility.hidden,
            verdict=verdict, score=0.0, max_score=float(c.points), message="not run",
        )
        for c in expected.cases
    ]
    return GradeReport(
        question_id=question.id, question_version=question.spec.version, verdict=verdict, score=0.0,
        max_score=sum(t.max_score for t in tests), message=message, tests=tests,
        timing=Timing(total_s=time.monotonic() - t0), sandbox=SandboxInfo(backend=backend),
    )


def _internal(question: Question, backend: str, message: str, t0: float) -> GradeReport:
    return GradeReport(
        question_id=question.id, question_version=question.spec.version, verdict=Verdict.internal_error,
        score=0.0, max_score=0.0, message=message, tests=[],
        timing=Timing(total_s=time.monotonic() - t0), sandbox=SandboxInfo(backend=backend),
    )
