"""The interviews service (``grader.interviews.service``) as the pages use it."""

from __future__ import annotations

from types import ModuleType

from grader.interviews import service


def interviews() -> ModuleType:
    return service


def require_interviews() -> ModuleType:
    return service
