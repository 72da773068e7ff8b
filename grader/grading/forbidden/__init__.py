"""Static checks of a candidate's source, decided on the trusted side before anything runs.

``syntax_problem(source)``: whether the source can be read at all (syntax, nesting,
size), as a plain message. ``find_forbidden(source, forbidden)``: every use of a
forbidden name, by what the code's names denote (``aliases``: resolved by importing
the libraries here and compared by identity, with the objects that alias or implement
them), and in questions that forbid anything, every use of reflection that would hide
what the code calls (``reflection``). Questions that forbid nothing refuse nothing.
The runner's guard inside the sandbox is a second line behind this one.
"""

from __future__ import annotations

from collections.abc import Sequence

from grader.grading.forbidden.aliases import forbidden_set
from grader.grading.forbidden.finder import Finder, ForbiddenUse
from grader.grading.forbidden.reflection import reflection
from grader.grading.forbidden.syntax import parse, syntax_problem

__all__ = ["ForbiddenUse", "find_forbidden", "syntax_problem"]

MAX_USES = 20


def find_forbidden(source: str, forbidden: Sequence[str]) -> list[ForbiddenUse]:
    """Every refused use in ``source``, in line order, one per name and line, at most ``MAX_USES``.

    ``source`` must be readable (``syntax_problem`` is ``None``); otherwise it raises ``ValueError``.
    """
    if not forbidden:
        return []
    tree = parse(source)
    if isinstance(tree, str):
        raise ValueError(f"unreadable source: {tree}")
    uses = Finder(tree, source, forbidden_set(tuple(forbidden)), reflection()).run()
    seen: set[tuple[str, int]] = set()
    unique = []
    for use in sorted(uses, key=lambda u: (u.line, u.reflection)):
        if (use.name, use.line) not in seen:
            seen.add((use.name, use.line))
            unique.append(use)
    return unique[:MAX_USES]
