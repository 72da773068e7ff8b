"""The queue seam: the API sends by task name without importing the worker, on the worker's own broker options."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from grader.queueing import DELIVER_TASK, GRADE_TASK, WEBHOOK_QUEUE, CeleryQueue, broker_options, queue_for
from grader.settings import REPO_ROOT, Settings


def test_importing_the_api_does_not_import_the_worker() -> None:
    probe = "import sys, grader.api; print(sorted(m for m in sys.modules if m.startswith('grader.worker')))"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=REPO_ROOT,
                          timeout=120, check=True)
    assert done.stdout.strip() == "[]", done.stdout


def test_task_names_and_options_are_the_workers(tmp_path: Path) -> None:
    from grader.worker import app as worker_app
    from grader.worker import notify

    settings = Settings(data_dir=tmp_path, tasks_dir=REPO_ROOT / "tasks", cache_dir=tmp_path / "cache")
    celery = worker_app.make_celery(settings)
    assert {GRADE_TASK, DELIVER_TASK} <= set(celery.tasks)
    assert WEBHOOK_QUEUE == notify.WEBHOOK_QUEUE and DELIVER_TASK == notify.DELIVER_TASK
    assert worker_app.broker_options is broker_options and worker_app.queue_for is queue_for
    assert (queue_for("gpu"), queue_for("cpu"), queue_for(None)) == ("gpu", "cpu", "cpu")


def test_the_embedded_queue_carries_the_id_by_task_name(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, tasks_dir=REPO_ROOT / "tasks", cache_dir=tmp_path / "cache")
    queue = CeleryQueue(settings)
    queue.ping()
    queue.enqueue("sub-1", "cpu")
    queue.deliver("delivery-1", "token-1")
    messages = [json.loads(p.read_text()) for p in sorted((tmp_path / "queue" / "messages").iterdir())]
    sent = {(m["headers"]["task"], tuple(json.loads(_body(m))[0])) for m in messages}
    assert sent == {(GRADE_TASK, ("sub-1",)), (DELIVER_TASK, ("delivery-1", "token-1"))}


def _body(message: dict[str, object]) -> str:
    import base64

    return base64.b64decode(str(message["body"])).decode()
