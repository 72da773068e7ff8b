"""The ``grader`` command line.

Exit codes of ``grader check``: 0 accepted, 1 graded and not accepted, 2 bad input
(unknown question, unreadable or non-UTF-8 file, bad options), 3 internal error.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from grader.grading.pipeline import grade
from grader.grading.reference import ReferenceError, expected_for
from grader.questions.loader import QuestionError, UnknownQuestion, find_question, load_bank
from grader.questions.public import public_view
from grader.reports import for_role, render
from grader.sandboxes import BACKENDS, make_sandbox
from grader.settings import Settings
from submissions_schema import GradingJob, Role, Verdict

EXIT_ACCEPTED, EXIT_NOT_ACCEPTED, EXIT_BAD_INPUT, EXIT_INTERNAL = 0, 1, 2, 3


def fail(message: str, code: int) -> None:
    click.echo(f"error: {message}", err=True)
    sys.exit(code)


@click.group()
@click.pass_context
def main(ctx: click.Context) -> None:
    """Grade deep-learning coding answers in a sandbox."""
    ctx.obj = Settings.load()


@main.command()
@click.option("--topic", help="Only questions of this topic.")
@click.pass_obj
def questions(settings: Settings, topic: str | None) -> None:
    """List the questions of the bank."""
    try:
        bank = load_bank(settings.tasks_dir)
    except QuestionError as exc:
        fail(str(exc), EXIT_INTERNAL)
    rows = [q.spec for q in bank.values() if topic is None or q.spec.topic == topic]
    width = max((len(s.id) for s in rows), default=2)
    for s in rows:
        click.echo(f"{s.id.ljust(width)}  {s.topic:<14} {s.difficulty:<6} {s.device:<4} {s.title}")


@main.command()
@click.argument("question_id")
@click.option("--json", "as_json", is_flag=True, help="Print the public view as JSON.")
@click.pass_obj
def show(settings: Settings, question_id: str, as_json: bool) -> None:
    """Show a question: prompt, limits, visible cases, starter code."""
    question = _question(settings, question_id)
    try:
        view = public_view(question, expected_for(question, settings.cache_dir, settings.reference_timeout_s))
    except ReferenceError as exc:
        fail(str(exc), EXIT_INTERNAL)
    if as_json:
        click.echo(view.model_dump_json(indent=2))
        return
    click.echo(f"# {view.title}  ({view.id} v{view.version}, {view.topic}, {view.difficulty})\n")
    click.echo(f"Source: {view.source}\n\n{view.prompt.rstrip()}\n")
    click.echo(f"Define: {', '.join(view.entry_points)}")
    if view.forbidden:
        click.echo(f"Forbidden: {', '.join(view.forbidden)}")
    lim = view.limits
    click.echo(f"Limits: {lim.time_s:g} s for all tests, {lim.memory_mib} MiB, {lim.output_kib} KiB printed per test")
    click.echo(f"Tests: {len(view.visible_cases)} visible, {view.hidden_case_count} hidden\n")
    for case in view.visible_cases:
        click.echo(f"  {case.name}: {case.call}({case.inputs})")
    click.echo(f"\nStarter:\n\n{view.starter}")


@main.command()
@click.argument("question_id")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON (the grade_report schema).")
@click.option("--as", "role", type=click.Choice([r.value for r in Role]), default="interviewer", show_default=True)
@click.option("--backend", type=click.Choice(BACKENDS), default=None, help="Sandbox backend (default: settings).")
@click.pass_obj
def check(settings: Settings, question_id: str, file: Path, as_json: bool, role: str, backend: str | None) -> None:
    """Grade FILE against question QUESTION_ID."""
    question = _question(settings, question_id)
    try:
        code = file.read_bytes().decode("utf-8")
    except OSError as exc:
        fail(f"cannot read {file}: {exc.strerror or exc}", EXIT_BAD_INPUT)
    except UnicodeDecodeError as exc:
        fail(f"{file} is not UTF-8 text (byte {exc.start})", EXIT_BAD_INPUT)
    try:
        job = GradingJob(question_id=question_id, code=code)
    except ValueError as exc:
        fail(f"{file}: {exc}", EXIT_BAD_INPUT)
    report = for_role(grade(job, question, make_sandbox(settings, backend), settings), Role(role))
    click.echo(report.model_dump_json(indent=2) if as_json else render(report))
    if report.verdict is Verdict.internal_error:
        sys.exit(EXIT_INTERNAL)
    sys.exit(EXIT_ACCEPTED if report.verdict is Verdict.accepted else EXIT_NOT_ACCEPTED)


def _question(settings: Settings, question_id: str):  # type: ignore[no-untyped-def]
    try:
        return find_question(settings.tasks_dir, question_id)
    except UnknownQuestion:
        fail(f"unknown question '{question_id}' (see `grader questions`)", EXIT_BAD_INPUT)
    except QuestionError as exc:
        fail(str(exc), EXIT_INTERNAL)


if __name__ == "__main__":
    main()
