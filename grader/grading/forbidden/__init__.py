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

import ast
import re
from collections.abc import Collection, Sequence

from grader.grading.forbidden.aliases import forbidden_set
from grader.grading.forbidden.finder import Finder, ForbiddenUse
from grader.grading.forbidden.reflection import reflection
from grader.grading.forbidden.syntax import parse, syntax_problem

__all__ = ["ForbiddenUse", "find_forbidden", "syntax_problem"]

MAX_USES = 20


def find_forbidden(source: str, forbidden: Sequence[str], held: Collection[str] | None = None) -> list[ForbiddenUse]:
    """Every refused use in ``source``, in line order, one per name and line, at most ``MAX_USES``.

    ``source`` must be readable (``syntax_problem`` is ``None``); otherwise it raises ``ValueError``.
    ``held``: the libraries whose objects the code holds without naming them (those of its inputs:
    ``{"numpy"}``, with ``"torch"`` for a torch question). The forbidden names of any other library
    are then looked up only when the code names that library: importing it here costs time (torch
    alone a second or more), and code that never names it cannot reach its objects (reflection
    that would is refused). ``None``: every forbidden name is looked up.
    """
    if not forbidden:
        return []
    tree = parse(source)
    if isinstance(tree, str):
        raise ValueError(f"unreadable source: {tree}")
    names = tuple(forbidden) if held is None else in_play(tree, forbidden, held)
    uses = Finder(tree, source, forbidden_set(names), reflection()).run()
    seen: set[tuple[str, int]] = set()
    unique = []
    for use in sorted(uses, key=lambda u: (u.line, u.reflection)):
        if (use.name, use.line) not in seen:
            seen.add((use.name, use.line))
            unique.append(use)
    return unique[:MAX_USES]


WORD = re.compile(r"[^\W\d]\w*")


def in_play(tree: ast.Module, forbidden: Sequence[str], held: Collection[str]) -> tuple[str, ...]:
    """The forbidden names whose library is ``held`` or named anywhere in ``tree``.

    Names are read from the tree (as the interpreter normalised them) and from string constants
    (``__import__("torch")``), so a library named in any spelling the code can import counts.
    """
    named = set(held)
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            named.add(node.id)
        elif isinstance(node, ast.Attribute):
            named.add(node.attr)
        elif isinstance(node, ast.alias):
            named.update(node.name.split("."))
            if node.asname:
                named.add(node.asname)
        elif isinstance(node, ast.ImportFrom) and node.module:
            named.update(node.module.split("."))
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            named.update(WORD.findall(node.value))
    return tuple(name for name in forbidden if name.split(".")[0] in named)
