"""The ``grader`` command line.

Exit codes of ``grader check``: 0 accepted, 1 graded and not accepted, 2 bad input
(unknown question, unreadable, binary or non-UTF-8 file, a broken notebook, bad
options), 3 internal error.

Each command imports what it needs when it runs, and the service commands are loaded
only when one of them is named: ``grader check`` on a NumPy question must not pay for
SQLAlchemy, Celery, Flask, SymPy or torch (``tests/integration/test_cli_imports.py``).
"""

from __future__ import annotations

import importlib
import os
import sys
import textwrap
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import click

from grader.exports import FORMATS, FULL_FORMATS
from grader.sandboxes import BACKENDS
from grader.settings import Settings
from submissions_schema import Role

if TYPE_CHECKING:
    from grader.questions.loader import AnyQuestion
    from submissions_schema import GradingJob

EXIT_ACCEPTED, EXIT_NOT_ACCEPTED, EXIT_BAD_INPUT, EXIT_INTERNAL = 0, 1, 2, 3


def _cores() -> int:
    """The cores this process may run on (a container's CPU set, not the host's count)."""
    return len(os.sched_getaffinity(0)) or 1


def fail(message: str, code: int) -> NoReturn:
    click.echo(f"error: {message}", err=True)
    sys.exit(code)


class Commands(click.Group):
    """The top-level group: the service commands (their modules import the web and queue stacks)
    are imported when named, or when help lists them."""

    SERVICE = {"serve": "grader.service_cli", "worker": "grader.service_cli", "keys": "grader.service_cli",
               "submit": "grader.service_cli", "sandbox": "grader.sandbox_cli"}

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self.SERVICE})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in self.SERVICE:
            command: click.Command = getattr(importlib.import_module(self.SERVICE[cmd_name]), cmd_name)
            return command
        return super().get_command(ctx, cmd_name)


@click.group(cls=Commands)
@click.pass_context
def main(ctx: click.Context) -> None:
    """Grade deep-learning coding answers in a sandbox."""
    ctx.obj = Settings.load()


@main.command()
@click.option("--topic", help="Only questions of this topic.")
@click.pass_obj
def questions(settings: Settings, topic: str | None) -> None:
    """List the questions of the bank."""
    from grader.kinds import kind_of
    from grader.questions.loader import scan_bank
    from grader.reports import safe_text, table

    bank, problems = scan_bank(settings.tasks_dir)
    for problem in problems:
        click.echo(f"warning: skipped an invalid question: {problem}", err=True)
    rows = [("id", "topic", "difficulty", "kind", "title")]
    for q in bank.values():
        if topic is None or q.spec.topic == topic:
            kind = kind_of(q)
            rows.append((q.id, q.spec.topic, q.spec.difficulty, kind.device(q) or kind.name.replace("_", " "),
                         q.spec.title))
    click.echo(safe_text("\n".join(table(rows))))


@main.command()
@click.argument("question_id")
@click.option("--json", "as_json", is_flag=True, help="Print the public view as JSON.")
@click.pass_obj
def show(settings: Settings, question_id: str, as_json: bool) -> None:
    """Show a question: prompt, limits, visible cases, starter code."""
    from grader.grading.reference import ReferenceError
    from grader.kinds import kind_of

    question = _question(settings, question_id)
    try:
        view = kind_of(question).public_view(question, settings)
    except ReferenceError as exc:
        fail(str(exc), EXIT_INTERNAL)
    if as_json:
        click.echo(view.model_dump_json(indent=2))
        return
    click.echo(f"# {view.title}  ({view.id} v{view.version}, {view.topic}, {view.difficulty})\n")
    click.echo(f"Source: {view.source}\n\n{view.prompt.rstrip()}\n")
    for part in view.parts:
        click.echo(f"[{part.id}] {part.type}, {part.points} pt")
        click.echo(textwrap.indent(part.prompt.strip(), "    "))
        for label, values in (("options", part.options), ("units", part.units)):
            if values:
                click.echo(f"    {label}: {', '.join(values)}")
        for symbol, meaning in part.symbols.items():
            click.echo(f"    {symbol}: {meaning}")
        click.echo("")
    if view.kind == "free_text":
        click.echo("Answer with a text or Markdown file, or a JSON object {\"answer\": \"...\"}")
    elif view.parts:
        click.echo('Answer with a JSON object, e.g. {"' + view.parts[0].id + '": ...}')
    if view.limits is None:
        return
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
@click.option("--format", "fmt", type=click.Choice(("text",) + FORMATS), default="text", show_default=True,
              help="json: the report; gradescope: results.json for students (hidden tests redacted); "
                   "gradescope-full: the interviewer's results.json; junit: JUnit XML for CI systems.")
@click.option("--as", "role", type=click.Choice([r.value for r in Role]), default="interviewer", show_default=True)
@click.option("--backend", type=click.Choice(BACKENDS), default=None, help="Sandbox backend (default: settings).")
@click.pass_obj
def check(settings: Settings, question_id: str, file: Path, as_json: bool, fmt: str, role: str,
          backend: str | None) -> None:
    """Grade FILE against question QUESTION_ID.

    FILE is Python source or a Jupyter notebook (its code cells) for a coding question,
    a JSON object of answers by part for a short-answer question, or text or Markdown
    for a free-text question.
    """
    from grader.exports import render_format
    from grader.grading.dispatch import grade_job
    from grader.reports import for_role, render
    from grader.sandboxes import make_sandbox
    from submissions_schema import Verdict

    if fmt in FULL_FORMATS and role == Role.candidate.value:
        fail(f"--format {fmt} is the interviewer's export; a candidate's is --format gradescope", EXIT_BAD_INPUT)
    question = _question(settings, question_id)
    job = _job(question, file)
    report = for_role(grade_job(job, question, make_sandbox(settings, backend), settings), Role(role))
    fmt = "json" if as_json else fmt
    click.echo(render(report) if fmt == "text" else render_format(report, fmt)[0])
    if report.verdict is Verdict.internal_error:
        sys.exit(EXIT_INTERNAL)
    sys.exit(EXIT_ACCEPTED if report.verdict is Verdict.accepted else EXIT_NOT_ACCEPTED)


def _job(question: AnyQuestion, file: Path) -> GradingJob:
    """The job for FILE (source, notebook, answers or a free-text answer), or exit 2 with what is wrong with it."""
    from grader.answer_files import AnswerFileError, read_text
    from grader.grading.dispatch import JobMismatch, validate_job
    from grader.kinds import kind_of

    try:
        text = read_text(file)
    except AnswerFileError as exc:
        fail(str(exc), EXIT_BAD_INPUT)
    try:
        job = kind_of(question).job_from_file(question, file, text)
        validate_job(job, question)
    except (ValueError, JobMismatch) as exc:
        fail(f"{file}: {exc}", EXIT_BAD_INPUT)
    return job


@main.group()
def tasks() -> None:
    """Work on the question bank."""


@tasks.command("validate")
@click.argument("question_ids", nargs=-1)
@click.option("--jobs", type=click.IntRange(min=1), default=_cores(), show_default=True,
              help="Solutions and mutants graded at once (references built as many at once).")
@click.option("--backend", type=click.Choice(BACKENDS), default=None)
@click.pass_obj
def tasks_validate(settings: Settings, question_ids: tuple[str, ...], jobs: int, backend: str | None) -> None:
    """Load every question (or QUESTION_IDS), grade each solution against its expected verdict
    and each mutant, which a hidden case must catch."""
    from grader.sandboxes import make_sandbox
    from grader.validate import passed, render, validate

    everything = sorted(p.parent for p in settings.tasks_dir.glob("*/question.yml"))
    folders = [settings.tasks_dir / q for q in question_ids] if question_ids else everything
    missing = [f.name for f in folders if not (f / "question.yml").is_file()]
    if missing:
        fail(f"unknown question(s): {', '.join(missing)}", EXIT_BAD_INPUT)
    rows = list(validate(folders, make_sandbox(settings, backend), settings, jobs))
    click.echo(render(rows))
    sys.exit(EXIT_ACCEPTED if passed(rows) else EXIT_NOT_ACCEPTED)


@tasks.command("warm")
@click.argument("question_ids", nargs=-1)
@click.option("--variants", type=click.IntRange(min=1), default=None,
              help="How many variants (default: GRADER_HIDDEN_VARIANTS).")
@click.option("--jobs", type=click.IntRange(min=1), default=_cores(), show_default=True,
              help="Reference processes at once.")
@click.pass_obj
def tasks_warm(settings: Settings, question_ids: tuple[str, ...], variants: int | None, jobs: int) -> None:
    """Compute the expected outputs of every variant of hidden inputs for each coding question (or QUESTION_IDS).

    Every question is tried; a reference that fails is reported, and the exit code is then 3.
    """
    from grader.questions.loader import Question
    from grader.worker.warming import warm_questions

    count = variants or settings.hidden_variants
    ids = question_ids or tuple(sorted(p.parent.name for p in settings.tasks_dir.glob("*/question.yml")))
    coding = [q for q in (_question(settings, q) for q in ids) if isinstance(q, Question)]
    failed = False
    for warmed in warm_questions(coding, settings, count, jobs):
        if warmed.error is not None:
            failed = True
            click.echo(f"error: {warmed.error}", err=True)
        click.echo(f"{warmed.question_id}: {warmed.variants} variants ({warmed.computed} computed now)"
                   + (", failed" if warmed.error is not None else ""))
    if failed:
        sys.exit(EXIT_INTERNAL)


def _question(settings: Settings, question_id: str) -> AnyQuestion:
    from grader.questions.loader import QuestionError, UnknownQuestion, find_question

    try:
        return find_question(settings.tasks_dir, question_id)
    except UnknownQuestion:
        fail(f"unknown question '{question_id}' (see `grader questions`)", EXIT_BAD_INPUT)
    except QuestionError as exc:
        fail(str(exc), EXIT_INTERNAL)

if __name__ == "__main__":
    main()
