"""``grader worker``: a Celery worker for the grading queues, and its webhook pool beside it.

Webhook deliveries never share the grading threads: a worker asked for both kinds of queue
grades in this process and runs a child ``grader worker --queues webhooks`` for deliveries,
so a receiver that takes 15 s to answer delays no grading. Every worker also runs the
sweeper (:mod:`grader.worker.sweep`); a grading worker also computes expected outputs ahead of
submissions in the background (:mod:`grader.worker.warming`).
"""

from __future__ import annotations

import os
import socket

from grader.settings import Settings
from grader.worker.children import Supervisor, die_with_parent, worker_argv
from grader.worker.notify import WEBHOOK_QUEUE


def run_worker(settings: Settings, queues: list[str], concurrency: int | None, parent_pid: int | None) -> None:
    """Work on ``queues`` until stopped; with ``parent_pid``, die with that parent."""
    if parent_pid is not None:
        die_with_parent(parent_pid)
    grading = [q for q in queues if q != WEBHOOK_QUEUE]
    helpers = Supervisor([worker_argv([WEBHOOK_QUEUE], settings.webhook_concurrency)]) \
        if grading and WEBHOOK_QUEUE in queues else None
    if helpers is not None:
        helpers.start()
    default = settings.worker_concurrency if grading else settings.webhook_concurrency
    try:
        _celery_worker(settings, grading or queues, concurrency or default)
    finally:
        if helpers is not None:
            helpers.stop()


def _celery_worker(settings: Settings, queues: list[str], concurrency: int) -> None:
    from grader.storage.db import make_engine, sessions, upgrade
    from grader.worker.app import make_celery
    from grader.worker.sweep import Sweeper

    app = make_celery(settings)
    engine = make_engine(settings.effective_database_url)
    upgrade(engine)
    if WEBHOOK_QUEUE not in queues:
        from grader.worker.reaper import Reaper

        Reaper(settings).start()  # what killed graders left: now, then every sandbox_gc_interval_s
        if settings.warm_on_start:
            from grader.worker.warming import Warmer, recent_questions

            made = sessions(engine)
            Warmer(settings, queues, lambda: recent_questions(made)).start()  # beside grading, never before it
    Sweeper(settings, app, sessions(engine)).start()
    argv = ["worker", "--pool", "threads", "--concurrency", str(concurrency), "--queues", ",".join(queues),
            "--loglevel", "INFO", "--without-gossip", "--without-mingle",
            "--hostname", f"grader-{os.getpid()}@{socket.gethostname()}"]
    app.worker_main(argv)
