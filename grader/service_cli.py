"""Service commands of ``grader``: ``serve`` (embedded mode), ``worker``, ``keys``, ``submit``."""

from __future__ import annotations

import json
import os
import signal
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from grader.sandbox_cli import sandbox
from grader.settings import Settings
from submissions_schema import KeyRole

if TYPE_CHECKING:
    from sqlalchemy.orm import Session, sessionmaker


def _sessions(settings: Settings) -> sessionmaker[Session]:
    # Imported here: `grader check` must not pay for SQLAlchemy and Alembic at start-up.
    from grader.storage.db import make_engine, sessions, upgrade

    engine = make_engine(settings.effective_database_url)
    upgrade(engine)
    return sessions(engine)


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--threads", default=8, show_default=True, type=int,
              help="Request threads of the WSGI server, besides those that hold ?wait= requests and event streams.")
@click.pass_obj
def serve(settings: Settings, host: str, port: int, threads: int) -> None:
    """Run the API and its workers on this machine (SQLite and a local queue unless configured otherwise).

    The workers are children that die with this process; SIGTERM or SIGINT stops all of them
    (exit 0). A second ``serve`` on the same data dir refuses to start (exit 2).
    """
    from grader.worker.children import DataDirInUse, Supervisor, hold_data_dir, worker_argv

    try:
        hold_data_dir(settings.data_dir)
    except DataDirInUse as exc:
        click.echo(f"error: {exc}; stop it first, or give this one another GRADER_DATA_DIR", err=True)
        sys.exit(2)
    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    from grader.api import create_app

    app = create_app(settings)
    key = _embedded_admin_key(settings)
    server = wsgi_server(app, settings, host, port, threads)
    workers = Supervisor([worker_argv(list(settings.queues))])
    try:
        workers.start()
        url = f"http://{host}:{server.effective_port}"
        click.echo(f"grader is serving on {url}  (API docs: {url}/docs)")
        click.echo(f"admin key: {key}")
        click.echo(f"try: curl -H 'Authorization: Bearer {key}' {url}/v1/questions")
        server.run()  # returns on SIGTERM or SIGINT (waitress catches the SystemExit raised by _stop)
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        workers.stop()
        server.close()


def _stop(*_: Any) -> None:
    raise SystemExit(0)


def wsgi_server(app: Any, settings: Settings, host: str, port: int, threads: int) -> Any:
    """waitress with a thread for every waiter and event stream the API may hold beside ``threads`` for the rest.

    A ``?wait=`` request holds its thread while it waits, and an event stream (server-sent
    events) while it is open; the API holds at most ``max_waiters`` waits and ``max_streams``
    streams (more return at once): so they never starve ``/healthz`` or a POST.
    """
    from waitress import create_server

    from grader.api import server_options

    total = threads + settings.max_waiters + settings.max_streams
    return create_server(app, host=host, port=port, threads=total, connection_limit=total + 100,
                         channel_timeout=max(120, int(settings.max_wait_s) + 30), **server_options(settings))


def _embedded_admin_key(settings: Settings) -> str:
    """The embedded mode's admin key: made on first start, kept readable only by this user."""
    path = settings.data_dir / "admin-key"
    if path.is_file():
        return path.read_text().strip()
    from grader.storage.keys import create_key

    with _sessions(settings)() as session:
        key = create_key(session, KeyRole.admin, "embedded admin")
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(key + "\n")
    return key


@click.command()
@click.option("--queues", default=None, help="Comma-separated queues (default: all configured).")
@click.option("--concurrency", type=int, default=None, help="Jobs handled at once (default: the settings).")
@click.option("--parent-pid", type=int, default=None, hidden=True, help="Die with this parent (grader serve).")
@click.pass_obj
def worker(settings: Settings, queues: str | None, concurrency: int | None, parent_pid: int | None) -> None:
    """Run a Celery worker that grades submissions (and, in a child process, delivers webhooks)."""
    from grader.worker.main import run_worker

    chosen = [q.strip() for q in (queues.split(",") if queues else settings.queues) if q.strip()]
    run_worker(settings, chosen, concurrency, parent_pid)


@click.group()
def keys() -> None:
    """Manage API keys."""


@keys.command("create")
@click.option("--role", type=click.Choice([r.value for r in KeyRole]), required=True)
@click.option("--name", required=True, help="Whose key it is (a candidate key submits under this name).")
@click.option("--rate-limit", type=int, default=None, help="Requests a minute (default: the setting).")
@click.pass_obj
def keys_create(settings: Settings, role: str, name: str, rate_limit: int | None) -> None:
    """Create a key and print it; it is shown only this once."""
    from grader.storage.keys import create_key

    with _sessions(settings)() as session:
        click.echo(create_key(session, KeyRole(role), name, rate_limit))


@keys.command("list")
@click.pass_obj
def keys_list(settings: Settings) -> None:
    """List keys: id, prefix, role, state, name (never the key)."""
    from grader.reports import safe_text, table
    from grader.storage.keys import list_keys

    rows = [("id", "prefix", "role", "state", "name")]
    with _sessions(settings)() as session:
        for row in list_keys(session):
            state = f"revoked {row.revoked_at:%Y-%m-%d}" if row.revoked_at else "active"
            rows.append((str(row.id), f"{row.prefix}...", row.role, state, row.name))
    click.echo(safe_text("\n".join(table(rows))))


@keys.command("revoke")
@click.argument("key_id", type=int)
@click.pass_obj
def keys_revoke(settings: Settings, key_id: int) -> None:
    """Revoke key KEY_ID: it is refused from then on."""
    from grader.storage.keys import revoke_key

    with _sessions(settings)() as session:
        if not revoke_key(session, key_id):
            click.echo(f"error: no active key {key_id}", err=True)
            sys.exit(2)
    click.echo(f"revoked key {key_id}")


@click.command()
@click.argument("question_id")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--url", default="http://127.0.0.1:8000", show_default=True, envvar="GRADER_URL")
@click.option("--key", required=True, envvar="GRADER_KEY", help="API key (or GRADER_KEY).")
@click.option("--candidate", default=None)
@click.option("--wait", "wait_s", type=float, default=0, help="Seconds to wait for the report.")
@click.option("--json", "as_json", is_flag=True)
def submit(question_id: str, file: Path, url: str, key: str, candidate: str | None, wait_s: float,
           as_json: bool) -> None:
    """Send FILE (source, notebook or answers .json) to a running grader; with --wait, print the
    report and exit as `grader check` does."""
    from grader.answer_files import AnswerFileError, read_answer_file
    from grader.reports import render
    from submissions_schema import GradeReport

    body: dict[str, Any] = {"question_id": question_id, "candidate": candidate}
    try:
        body.update(read_answer_file(file))  # a notebook is sent as its code cells
    except AnswerFileError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(2)
    created = _call(f"{url}/v1/submissions", key, {k: v for k, v in body.items() if v is not None})
    view = created
    deadline = time.monotonic() + wait_s
    while view["status"] in ("queued", "running") and time.monotonic() < deadline:
        hold = min(60.0, max(deadline - time.monotonic(), 0.0))
        view = _call(f"{url}/v1/submissions/{created['id']}?wait={hold:.1f}", key)
    if as_json or view.get("report") is None:
        click.echo(json.dumps(view, indent=2))
    else:
        click.echo(render(GradeReport.model_validate(view["report"])))
    if view.get("report") is None:
        sys.exit(0)
    verdict = view["report"]["verdict"]
    sys.exit(0 if verdict == "accepted" else 3 if verdict == "internal_error" else 1)


def _call(url: str, key: str, body: dict[str, Any] | None = None) -> dict[str, Any]:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method="POST" if body is not None else "GET",
                                     headers={"Authorization": f"Bearer {key}", "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=90) as response:
            result: dict[str, Any] = json.loads(response.read())
            return result
    except urllib.error.HTTPError as exc:
        problem = json.loads(exc.read() or b"{}")
        click.echo(f"error: {exc.code} {problem.get('detail', exc.reason)}", err=True)
        sys.exit(2 if exc.code < 500 else 3)
    except urllib.error.URLError as exc:
        click.echo(f"error: cannot reach {url}: {exc.reason}", err=True)
        sys.exit(3)


COMMANDS = [serve, worker, keys, submit, sandbox]
