"""Static checks of a candidate's source: syntax, and forbidden names with their lines.

Resolution follows imports and simple assignments (``import numpy as np``,
``from scipy import signal``, ``conv = np.convolve``, ``getattr(np, "convolve")``,
``importlib.import_module("scipy.signal")``). It is a first line: the runner also
removes forbidden names inside the sandbox, so tricks that escape it still fail.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass


@dataclass(frozen=True)
class ForbiddenUse:
    name: str
    line: int
    via: str

    def describe(self) -> str:
        return f"line {self.line}: {self.via} uses {self.name}, which this question forbids"


def syntax_problem(source: str) -> str | None:
    """``None`` when ``source`` parses; otherwise a message with line and column."""
    try:
        ast.parse(source, filename="solution.py")
    except SyntaxError as exc:
        if exc.lineno is None:
            return str(exc.msg)
        where = f"line {exc.lineno}" + (f", column {exc.offset}" if exc.offset else "")
        return f"{where}: {exc.msg}"
    except ValueError as exc:  # null bytes
        return str(exc)
    return None


def matches(dotted: str, forbidden: str) -> bool:
    return dotted == forbidden or dotted.startswith(forbidden + ".")


# Reaching a forbidden function through the interpreter's object graph.
INTROSPECTION = ("gc.get_objects", "gc.get_referrers", "gc.get_referents")


class _Finder(ast.NodeVisitor):
    def __init__(self, forbidden: list[str]) -> None:
        self.forbidden = forbidden
        self.methods = {f.rsplit(".", 1)[1]: f for f in forbidden if _is_method(f)}
        # Packages that own a forbidden name: their private internals (numpy._core,
        # torch._C) hold the same functions under other names, so they are off limits too.
        self.guarded = {f.split(".")[0] for f in forbidden if "." in f}
        self.aliases: dict[str, str] = {}
        self.uses: list[ForbiddenUse] = []

    def hit(self, dotted: str, node: ast.AST, via: str) -> bool:
        line = getattr(node, "lineno", 0)
        for name in self.forbidden:
            if matches(dotted, name):
                self.uses.append(ForbiddenUse(name, line, via))
                return True
        parts = dotted.split(".")
        if parts[0] in self.guarded and any(p.startswith("_") and not p.startswith("__") for p in parts[1:]):
            private = ".".join(parts[: next(i for i, p in enumerate(parts) if p.startswith("_")) + 1])
            self.uses.append(ForbiddenUse(f"{private} (private internals of {parts[0]})", line, via))
            return True
        if self.forbidden and any(matches(dotted, name) for name in INTROSPECTION):
            self.uses.append(ForbiddenUse(f"{dotted} (searching the interpreter's objects)", line, via))
            return True
        return False

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            self.hit(alias.name, node, f"import {alias.name}")
            if alias.asname:
                self.aliases[alias.asname] = alias.name
            else:
                top = alias.name.split(".")[0]
                self.aliases[top] = top

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        if node.level or not node.module:
            return
        for alias in node.names:
            if alias.name == "*":
                inside = [f for f in self.forbidden if f.startswith(node.module + ".")]
                if not self.hit(node.module, node, f"from {node.module} import *") and inside:
                    self.uses.append(ForbiddenUse(inside[0], node.lineno, f"from {node.module} import *"))
                continue
            full = f"{node.module}.{alias.name}"
            if not self.hit(full, node, f"from {node.module} import {alias.name}"):
                self.aliases[alias.asname or alias.name] = full

    def visit_Assign(self, node: ast.Assign) -> None:
        self.generic_visit(node)
        dotted = self.resolve(node.value)
        if dotted:
            for target in node.targets:
                if isinstance(target, ast.Name):
                    self.aliases[target.id] = dotted

    def visit_Attribute(self, node: ast.Attribute) -> None:
        dotted = self.resolve(node)
        if dotted and self.hit(dotted, node, ast.unparse(node)):
            return
        if node.attr in self.methods and not (dotted and dotted.split(".")[0] in self.aliases.values()):
            self.uses.append(ForbiddenUse(self.methods[node.attr], node.lineno, ast.unparse(node)))
            return
        self.generic_visit(node)

    def visit_Name(self, node: ast.Name) -> None:
        dotted = self.aliases.get(node.id)
        if dotted:
            self.hit(dotted, node, node.id)

    def visit_Call(self, node: ast.Call) -> None:
        name = self.resolve(node.func) or (node.func.id if isinstance(node.func, ast.Name) else "")
        text = _constant(node.args[1]) if len(node.args) > 1 else None
        first = _constant(node.args[0]) if node.args else None
        if name == "getattr" and text and self.resolve(node.args[0]):
            self.hit(f"{self.resolve(node.args[0])}.{text}", node, ast.unparse(node))
        elif name in ("importlib.import_module", "__import__") and first:
            self.hit(first, node, ast.unparse(node))
        self.generic_visit(node)

    def resolve(self, node: ast.AST) -> str | None:
        """The dotted name an expression stands for, when it starts at a known alias."""
        if isinstance(node, ast.Name):
            return self.aliases.get(node.id)
        if isinstance(node, ast.Attribute):
            base = self.resolve(node.value)
            return f"{base}.{node.attr}" if base else None
        return None


def _constant(node: ast.AST) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _is_method(name: str) -> bool:
    """``torch.Tensor.tanh``: the part before the last dot names a class."""
    parts = name.split(".")
    return len(parts) >= 3 and parts[-2][:1].isupper()


def find_forbidden(source: str, forbidden: list[str]) -> list[ForbiddenUse]:
    """Every use of a forbidden name in ``source`` (which must parse), in line order."""
    if not forbidden:
        return []
    finder = _Finder(forbidden)
    finder.visit(ast.parse(source))
    seen: set[tuple[str, int]] = set()
    uses = []
    for use in sorted(finder.uses, key=lambda u: u.line):
        if (use.name, use.line) not in seen:
            seen.add((use.name, use.line))
            uses.append(use)
    return uses
