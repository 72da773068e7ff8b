"""Whether a candidate's source can be read at all: syntax, nesting and size.

Source that exhausts the parser (an expression nested thousands deep, a huge literal)
is the candidate's problem, reported like a syntax error; the trusted side never
overflows its own stack on it. Everything that walks a tree later relies on the
bounds checked here.
"""

from __future__ import annotations

import ast

# Deeper than any written code; CPython's compiler itself gives up near 1,000.
MAX_NESTING = 300
# A 256 KiB source of one-character list items parses into about 130,000 nodes.
MAX_NODES = 300_000


def parse(source: str) -> ast.Module | str:
    """The tree of ``source``, or a plain message saying why it cannot be read."""
    try:
        tree = ast.parse(source, filename="solution.py")
    except SyntaxError as exc:
        if exc.lineno is None:
            return str(exc.msg)
        where = f"line {exc.lineno}" + (f", column {exc.offset}" if exc.offset else "")
        return f"{where}: {exc.msg}"
    except ValueError as exc:  # null bytes; an integer literal longer than Python converts
        return str(exc)
    except (RecursionError, MemoryError):  # the parser's own stack guards
        return too_deep()
    return shape_problem(tree) or tree


def syntax_problem(source: str) -> str | None:
    """``None`` when ``source`` parses within the bounds; otherwise a message (with a line if any)."""
    found = parse(source)
    return found if isinstance(found, str) else None


def shape_problem(tree: ast.AST) -> str | None:
    """Too deep or too large to walk, found without recursion."""
    stack: list[tuple[ast.AST, int]] = [(tree, 0)]
    count = 0
    while stack:
        node, depth = stack.pop()
        count += 1
        if depth > MAX_NESTING:
            return too_deep()
        if count > MAX_NODES:
            return f"the code is too large to read (more than {MAX_NODES} syntax nodes)"
        stack.extend((child, depth + 1) for child in ast.iter_child_nodes(node))
    return None


def too_deep() -> str:
    return f"the code is nested too deeply to read (more than {MAX_NESTING} levels)"
