"""The interviews back end (``grader.interviews.service``), when this deployment has it.

The web app reads interviews through that service (contract: the interviews service of
issue 13). Until it is installed beside the web app, interview pages answer 404 and a
candidate sits no interview; everything else works.
"""

from __future__ import annotations

from types import ModuleType

from flask import abort


def interviews() -> ModuleType | None:
    try:
        from grader.interviews import service
    except ImportError:
        return None
    return service


def require_interviews() -> ModuleType:
    found = interviews()
    if found is None:
        abort(404, "interviews are not available on this server")
    return found
