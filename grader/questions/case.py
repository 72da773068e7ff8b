"""One test case of a question, as its ``cases.py`` yields it (trusted side only)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Case:
    """A call to make on the candidate's code and on the reference.

    ``call`` names an entry point (or, for a question with ``probe.py``, a probe
    function); ``None`` means the question's first entry point. ``raises`` names an
    exception class that the reference raises on these inputs, so the candidate
    must raise it too. ``checker`` overrides the question's checker arguments for
    this case only (for instance a looser ``rtol``).
    """

    name: str
    args: tuple[Any, ...] = ()
    kwargs: dict[str, Any] = field(default_factory=dict)
    call: str | None = None
    visible: bool = False
    points: int = 1
    raises: str | None = None
    checker: dict[str, Any] | None = None
