"""Server-sent events: a submission's status until its report, an interview's board as it changes.

``GET /v1/submissions/{id}/events`` sends a ``status`` event (``queued``, ``running``,
``completed``, ``failed``) at once and at every change, then one ``report`` event (the
submission as the caller may read it) and ends. ``GET /v1/interviews/{id}/events`` sends a
``board`` event (the interview with its board) at once and whenever it changes.

No stream polls the database in a loop: it looks when the worker (or the API) announces
its topic (:mod:`grader.waiting`: Redis pub/sub, or datagrams in the data dir), and
otherwise only every ``wait_poll_s`` in case a wake-up was lost. Streams are bounded like
waits: ``max_streams_per_key`` per key (more get ``429``) and ``max_streams`` per API process
(more get the current state and end: the browser reconnects after the ``retry`` delay);
each ends after ``stream_max_s`` (the browser reconnects) and sends a comment every
``stream_keepalive_s`` when quiet, which finds clients that left. ``grader serve`` gives
waitress a thread for each stream beside its others, so streams never starve requests.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator

from flask import Blueprint, Response, current_app
from sqlalchemy.orm import Session, sessionmaker

from grader.api.auth import ANY_ROLE, caller, requires
from grader.api.interviews import visible
from grader.api.openapi import AUTH, STREAM, documented
from grader.api.problems import ApiError
from grader.api.services import services
from grader.api.submissions import readable
from grader.interviews import service as interviews
from grader.interviews.views import interview_view
from grader.settings import Settings
from grader.storage import submissions as store
from grader.storage.models import utcnow
from grader.views import submission_view
from grader.waiting import DONE, Slots, TooManyWaits, Waiters, app_waiters, interview_topic
from submissions_schema import KeyRole

blueprint = Blueprint("events", __name__)
RETRY_MS = 3000  # the browser's wait before it reconnects to a stream that ended without its last event
FULL_RETRY_MS = 10000  # ... when this process held all the streams it may
Events = list[tuple[str, str]]


def sse(name: str, data: str) -> str:
    """One event; ``data`` split over ``data:`` lines should it hold a newline."""
    return f"event: {name}\n" + "".join(f"data: {line}\n" for line in data.split("\n")) + "\n"


class Stream:
    """A response body of events that gives its pool place back when the server closes it
    (whether or not it was ever read: a generator's ``finally`` runs only once started)."""

    def __init__(self, events: Iterator[str], release: Callable[[], None]) -> None:
        self.events, self._release = events, release

    def __iter__(self) -> Iterator[bytes]:
        for text in self.events:
            yield text.encode()

    def close(self) -> None:
        try:
            self.events.close()  # type: ignore[attr-defined]
        finally:
            release, self._release = self._release, lambda: None
            release()


def follow(topic: str, read: Callable[[], tuple[Events, bool]], waiters: Waiters, settings: Settings,
           seconds: float, retry_ms: int = RETRY_MS) -> Iterator[str]:
    """What ``read`` gives, read again each time ``topic`` is announced (or every ``wait_poll_s``),
    until it says it is finished or ``seconds`` pass; a comment when quiet for ``stream_keepalive_s``."""
    yield f"retry: {retry_ms}\n\n"
    deadline = time.monotonic() + seconds
    with waiters.watching(topic) as woken:
        spoke = time.monotonic()
        while True:
            events, finished = read()  # after registering: a change announced before now is seen here
            for name, data in events:
                yield sse(name, data)
                spoke = time.monotonic()
            now = time.monotonic()
            if finished or now >= deadline:
                return
            if now - spoke >= settings.stream_keepalive_s:
                yield ": keepalive\n\n"
                spoke = now
            quiet_left = settings.stream_keepalive_s - (now - spoke)
            woken.wait(max(0.0, min(settings.wait_poll_s, deadline - now, quiet_left)))
            woken.clear()


class SubmissionFeed:
    """A submission's ``status`` changes, then its ``report`` (as ``role`` may read it): finished."""

    def __init__(self, sessions: sessionmaker[Session], submission_id: str, role: KeyRole) -> None:
        self.sessions, self.submission_id, self.role = sessions, submission_id, role
        self.last: str | None = None

    def __call__(self) -> tuple[Events, bool]:
        with self.sessions() as session:
            row = store.get(session, self.submission_id)
        if row is None:
            return [], True
        events: Events = []
        if row.status != self.last:
            self.last = row.status
            events.append(("status", json.dumps({"id": row.id, "status": row.status})))
        if row.status in DONE:
            events.append(("report", submission_view(row, self.role).model_dump_json()))
            return events, True
        return events, False


class BoardFeed:
    """An interview (with its board) each time it changes; never finished (the stream's time ends it)."""

    def __init__(self, sessions: sessionmaker[Session], interview_id: str, role: KeyRole) -> None:
        self.sessions, self.interview_id, self.role = sessions, interview_id, role
        self.last: str | None = None

    def __call__(self) -> tuple[Events, bool]:
        with self.sessions() as session:
            interview = interviews.get(session, self.interview_id)
            if interview is None:
                return [], True
            view = interview_view(interview, self.role, utcnow(), interviews.board(session, interview))
        # The countdown alone is no change: the page counts down by itself.
        same = view.model_copy(update={"state": view.state.model_copy(update={"seconds_left": None})})
        key = same.model_dump_json()
        if key == self.last:
            return [], False
        self.last = key
        return [("board", view.model_dump_json())], False


def streams() -> Slots:
    """This app's pool of streams (one per app, made with its first stream)."""
    found: Slots | None = current_app.extensions.get("grader.streams")
    if found is None:
        settings = services().settings
        found = current_app.extensions.setdefault("grader.streams",
                                                  Slots(settings.max_streams, settings.max_streams_per_key))
    return found


def stream_response(topic: str, read: Callable[[], tuple[Events, bool]]) -> Response:
    """The stream as a response: 429 past the key's share; the current state at once, then the end,
    when the pool is full."""
    settings, waiters, pool, key_id = services().settings, app_waiters(), streams(), caller().key_id
    try:
        held = pool.take(key_id)
    except TooManyWaits:
        raise ApiError(429, "Too Many Requests", f"this key already holds {settings.max_streams_per_key} event "
                       "streams; close one first", {"Retry-After": "5"}) from None
    seconds, retry = (settings.stream_max_s, RETRY_MS) if held else (0.0, FULL_RETRY_MS)
    body = Stream(follow(topic, read, waiters, settings, seconds, retry),
                  (lambda: pool.give_back(key_id)) if held else (lambda: None))
    headers = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}  # no proxy may hold events back
    return Response(body, mimetype="text/event-stream", headers=headers)


@blueprint.get("/v1/submissions/<submission_id>/events")
@documented("Live status (server-sent events): 'status' at each change, then 'report', then the end",
            content=STREAM, problems=AUTH + (404,))
@requires(*ANY_ROLE)
def submission_events(submission_id: str) -> Response:
    row = readable(submission_id)
    return stream_response(row.id, SubmissionFeed(services().sessions, row.id, caller().role))


@blueprint.get("/v1/interviews/<interview_id>/events")
@documented("The interview's board, live (server-sent events): a 'board' event at each change",
            content=STREAM, problems=AUTH + (404,))
@requires(*ANY_ROLE)
def interview_events(interview_id: str) -> Response:
    with services().sessions() as session:
        found = visible(session, interview_id)
    return stream_response(interview_topic(found.id), BoardFeed(services().sessions, found.id, caller().role))
