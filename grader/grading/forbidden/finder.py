"""Walk a candidate's tree: what each name and attribute chain denotes, and which are refused.

Binding is flow-insensitive and conservative: a name bound in several places (an
import here, a parameter there) may denote any of those values, and a use is refused
when any of them is forbidden. Values come from ``import``, ``from ... import``, simple
assignments (``f = np.convolve``, ``a, b = np, torch``) and ``getattr(x, "literal")``;
every other binding denotes something the check cannot know (``LOCAL``).

Where a module is used other than through its attributes (passed to a function, put
in a list, returned), the check could not follow it any more, so that is refused too.
All walks are iterative or bounded: ``syntax.shape_problem`` has already bounded the
tree's depth and size.
"""

from __future__ import annotations

import ast
import builtins
from dataclasses import dataclass
from types import ModuleType
from typing import Any

from grader.grading.forbidden.aliases import ForbiddenSet
from grader.grading.forbidden.library import UNKNOWN
from grader.grading.forbidden.reflection import ALWAYS_BUILTIN, ATTRIBUTES, GLOBALS, Reflection

MAX_VALUES = 32  # meanings of one name
MAX_ROUNDS = 8  # passes over the assignments until nothing new is learnt
MAX_LOOKUP_DEPTH = 50  # getattr(getattr(...)) nesting
MAX_STAR_NAMES = 5_000
MAX_LOOKUPS = 1_000  # distinct library attributes looked up (a miss can cost a file system search)
VIA_CHARS = 80


@dataclass(frozen=True)
class Value:
    """What a name may denote: the dotted path it was reached by and the trusted side's object."""

    path: str | None
    obj: Any
    module: bool = False

    @property
    def key(self) -> tuple[str | None, int]:
        return self.path, id(self.obj)


LOCAL = Value(None, UNKNOWN)


@dataclass(frozen=True)
class ForbiddenUse:
    """One refused use: the forbidden name (or reflection), its line, and the code that used it."""

    name: str
    line: int
    via: str
    reflection: bool = False

    def describe(self) -> str:
        if self.reflection:
            return (f"line {self.line}: {self.via} uses {self.name}: reflection that hides what the code calls "
                    "is not allowed in this question")
        return f"line {self.line}: {self.via} uses {self.name}, which this question forbids"


class Finder:
    """Finds every refused use in one tree; ``run()`` once."""

    def __init__(self, tree: ast.Module, source: str, forbidden: ForbiddenSet, refused: Reflection) -> None:
        self.forbidden = forbidden
        self.refused = refused
        self.lib = forbidden.library
        self.lines = source.splitlines()
        self.nodes: list[ast.AST] = []
        self.parents: dict[int, ast.AST] = {}
        for node in ast.walk(tree):
            self.nodes.append(node)
            for child in ast.iter_child_nodes(node):
                self.parents[id(child)] = node
        self.env: dict[str, dict[tuple[str | None, int], Value]] = {}
        self.memo: dict[int, list[Value]] = {}
        self.verdicts: dict[tuple[str | None, int], tuple[str | None, str | None]] = {}
        self.looked_up: dict[tuple[tuple[str | None, int], str], Value] = {}
        self.overflowed = False
        self.at: ast.AST = tree  # the node being bound or checked, for messages
        self.uses: list[ForbiddenUse] = []

    def run(self) -> list[ForbiddenUse]:
        self.bind()
        for node in self.nodes:
            self.at = node
            self.check(node)
        return self.uses

    # --- binding ------------------------------------------------------------------

    def bind(self) -> None:
        assignments: list[tuple[str, ast.expr, ast.AST]] = []
        for node in self.nodes:
            self.at = node
            if isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.asname:  # import a.b as x: x is a.b
                        self.add(alias.asname, self.import_value(alias.name), node)
                    else:  # import a.b: a is a
                        top = alias.name.split(".")[0]
                        self.add(top, self.import_value(top), node)
            elif isinstance(node, ast.ImportFrom):
                self.bind_from(node)
            elif isinstance(node, (ast.Assign, ast.AnnAssign, ast.NamedExpr)):
                assignments += _pairs(node)
            else:
                for name in _bound_names(node, self.parents):
                    self.add(name, LOCAL, node)
        for _ in range(MAX_ROUNDS):
            self.memo.clear()
            learnt = False
            for name, value, node in assignments:
                self.at = node
                for found in self.resolve(value) or [LOCAL]:
                    learnt |= self.add(name, found, node)
            if not learnt:
                break
        self.memo.clear()

    def bind_from(self, node: ast.ImportFrom) -> None:
        if node.level or not node.module:
            for alias in node.names:
                self.add(alias.asname or alias.name, LOCAL, node)
            return
        base = self.import_value(node.module)
        for alias in node.names:
            if alias.name == "*":
                for name, value in self.star(base):
                    self.add(name, value, node)
            else:
                self.add(alias.asname or alias.name, self.attribute(base, alias.name), node)

    def add(self, name: str, value: Value, node: ast.AST) -> bool:
        """Record that ``name`` may denote ``value``; whether that is new."""
        values = self.env.setdefault(name, {})
        if value.key in values:
            return False
        if len(values) >= MAX_VALUES:
            self.reflect(f"more than {MAX_VALUES} different values for one name", node, name)
            return False
        values[value.key] = value
        return True

    def import_value(self, dotted: str) -> Value:
        module = self.lib.module(dotted)
        return Value(dotted, module if module is not None else UNKNOWN, True)

    def star(self, base: Value) -> list[tuple[str, Value]]:
        if not isinstance(base.obj, ModuleType):
            return []
        exported = getattr(base.obj, "__all__", None)
        names = exported if isinstance(exported, (list, tuple)) else [k for k in vars(base.obj) if k[:1] != "_"]
        return [(n, self.attribute(base, n)) for n in names[:MAX_STAR_NAMES] if isinstance(n, str)]

    # --- resolving ----------------------------------------------------------------

    def resolve(self, node: ast.AST, depth: int = 0) -> list[Value]:
        """Every value an expression may denote (empty: nothing the check can know)."""
        chain: list[ast.Attribute] = []  # a.b.c: walked down once, memoised on the way back up
        base = node
        while isinstance(base, ast.Attribute) and id(base) not in self.memo:
            chain.append(base)
            base = base.value
        if id(base) in self.memo:
            values = self.memo[id(base)]
        elif isinstance(base, ast.Name):
            values = self.name_values(base.id)
        elif isinstance(base, ast.Call) and depth < MAX_LOOKUP_DEPTH:
            values = self.lookup_values(base, depth + 1)
        else:
            if isinstance(base, ast.Call):
                self.reflect("attribute lookups nested too deeply to check", base, "getattr(...)")
            values = []
        self.memo[id(base)] = values
        for link in reversed(chain):
            values = _unique(self.attribute(v, link.attr) for v in values)
            self.memo[id(link)] = values
        return values

    def name_values(self, name: str) -> list[Value]:
        values = list(self.env.get(name, {}).values())
        if (name not in self.env or name in ALWAYS_BUILTIN) and hasattr(builtins, name):
            values.append(Value(f"builtins.{name}", getattr(builtins, name)))
        return values

    def lookup_values(self, call: ast.Call, depth: int) -> list[Value]:
        """``getattr(x, "name")`` denotes ``x.name``."""
        attr = self.literal_lookup(call, depth)
        if attr is None:
            return []
        return _unique(self.attribute(v, attr) for v in self.resolve(call.args[0], depth))

    def literal_lookup(self, call: ast.Call, depth: int = 0) -> str | None:
        """The attribute name of ``getattr(x, "name")`` / ``hasattr(x, "name")``; otherwise ``None``."""
        kinds = {self.refused.lookup(v.path, v.obj) for v in self.resolve(call.func, depth)}
        if not kinds & {"builtins.getattr", "builtins.hasattr"} or len(call.args) < 2:
            return None
        return _literal(call.args[1])

    def attribute(self, value: Value, attr: str) -> Value:
        if value.path is None:
            return LOCAL
        known = self.looked_up.get((value.key, attr))
        if known is not None:
            return known
        obj = UNKNOWN
        if value.obj is not UNKNOWN and len(self.looked_up) < MAX_LOOKUPS:
            obj = self.lib.attribute(value.obj, attr)
        elif value.obj is not UNKNOWN and not self.overflowed:  # said once, where it first happens
            self.overflowed = True
            self.reflect(f"more than {MAX_LOOKUPS} library names to look up", self.at, "the code")
        found = self.looked_up[(value.key, attr)] = Value(f"{value.path}.{attr}", obj, isinstance(obj, ModuleType))
        return found

    # --- checking -----------------------------------------------------------------

    def check(self, node: ast.AST) -> None:
        if isinstance(node, ast.Import):
            for alias in node.names:
                self.check_import(alias.name, node, f"import {alias.name}")
        elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
            self.check_from(node, node.module)
        elif isinstance(node, ast.Name):
            if node.id in GLOBALS:
                self.reflect(node.id, node, node.id)
            if isinstance(node.ctx, ast.Load):
                self.check_expression(node, self.resolve(node))
        elif isinstance(node, ast.Attribute):
            self.check_attribute(node)
        elif isinstance(node, ast.Call):
            self.check_call(node)

    def check_import(self, dotted: str, node: ast.AST, via: str) -> None:
        self.check_value(self.import_value(dotted), node, via)
        self.check_private(dotted.split(".")[0], dotted.split(".")[1:], node, via)

    def check_from(self, node: ast.ImportFrom, module: str) -> None:
        for alias in node.names:
            via = f"from {module} import {alias.name}"
            if alias.name == "*":
                self.check_import(module, node, via)
                for _, value in self.star(self.import_value(module)):  # reflection is refused where used
                    self.check_value(value, node, via, reflection=False)
            else:
                self.check_import(f"{module}.{alias.name}", node, via)
                self.check_value(self.attribute(self.import_value(module), alias.name), node, via)

    def check_expression(self, node: ast.expr, values: list[Value]) -> None:
        """A name or attribute chain in use: what it denotes, and where a module or lookup goes."""
        via = None  # the source text, computed only for a refused use
        for value in values:
            self.check_value(value, node, via)
        parent = self.parents.get(id(node))
        if any(v.module for v in values) and not self.module_position(node, parent):
            module = next(v.path for v in values if v.module)
            self.reflect(f"the module {module} as a value", node, via)
        lookups = [self.refused.lookup(v.path, v.obj) for v in values]
        if any(lookups) and not (isinstance(parent, ast.Call) and parent.func is node):
            self.reflect(f"{next(k for k in lookups if k)} as a value", node, via)

    def check_attribute(self, node: ast.Attribute) -> None:
        self.check_attribute_name(node.attr, self.resolve(node.value), node, None)
        self.check_expression(node, self.resolve(node))

    def check_attribute_name(self, attr: str, base: list[Value], node: ast.AST, via: str | None) -> None:
        """Rules on an attribute's name: reflection, methods of unknown values, private internals."""
        if attr in ATTRIBUTES:
            self.reflect(attr, node, via)
        method = self.forbidden.methods.get(attr)
        if method is not None and (not base or any(v.path is None for v in base)):
            self.forbid(method, node, via)
        for value in base:
            if value.path is not None:
                self.check_private(value.path.split(".")[0], [*value.path.split(".")[1:], attr], node, via)

    def check_private(self, root: str, parts: list[str], node: ast.AST, via: str | None) -> None:
        if root not in self.forbidden.guarded:
            return
        for i, part in enumerate(parts):
            if part.startswith("_") and not part.startswith("__"):
                self.forbid(f"{'.'.join([root, *parts[:i + 1]])} (private internals of {root})", node, via)
                return

    def check_call(self, node: ast.Call) -> None:
        via = None
        for loader in {self.refused.unpickles(v.path, node) for v in self.resolve(node.func)} - {None}:
            self.reflect(f"{loader} with unpickling", node, via)
        kinds = {k for k in (self.refused.lookup(v.path, v.obj) for v in self.resolve(node.func)) if k}
        for kind in sorted(kinds):
            on_object = kind.startswith("builtins.")  # getattr(x, name); attrgetter(name)(x) has no x yet
            base = self.resolve(node.args[0]) if on_object and node.args else []
            strings = node.args[1:2] if on_object else node.args
            texts = [_literal(s) for s in strings]
            if not strings or None in texts:
                # A computed name on a library class (setattr(np.ndarray, name, f)) stays readable:
                # the class is known and the runner guards its forbidden methods.
                if not base or any(v.module or v.path is None for v in base):
                    self.reflect(f"{kind} with a computed attribute name", node, via)
                continue
            for text in texts:
                for attr in str(text).split("."):
                    self.check_attribute_name(attr, base, node, via)
                    for value in base:
                        self.check_value(self.attribute(value, attr), node, via)
                    base = [self.attribute(v, attr) for v in base]

    def module_position(self, node: ast.AST, parent: ast.AST | None) -> bool:
        """Where a module may appear: ``np.x``, ``m = np``, ``getattr(np, "x")``."""
        if isinstance(parent, ast.Attribute):
            return parent.value is node
        if isinstance(parent, ast.Assign):
            return parent.value is node and all(isinstance(t, ast.Name) for t in parent.targets)
        if isinstance(parent, ast.AnnAssign):
            return parent.value is node and isinstance(parent.target, ast.Name)
        if isinstance(parent, ast.Call):
            return bool(parent.args) and parent.args[0] is node and self.literal_lookup(parent) is not None
        if isinstance(parent, (ast.Tuple, ast.List)):  # a, b = np, torch: bound element-wise
            assign = self.parents.get(id(parent))
            return isinstance(assign, ast.Assign) and assign.value is parent \
                and all(_paired(t, parent) for t in assign.targets)
        return False

    def check_value(self, value: Value, node: ast.AST, via: str | None, reflection: bool = True) -> None:
        verdict = self.verdicts.get(value.key)
        if verdict is None:
            forbidden = (value.path and self.forbidden.by_path(value.path)) or self.forbidden.by_object(value.obj)
            refused = (value.path and self.refused.by_path(value.path)) or self.refused.by_object(value.obj)
            verdict = self.verdicts[value.key] = (forbidden or None, refused or None)
        if verdict[0]:
            self.forbid(verdict[0], node, via)
        if verdict[1] and reflection:
            self.reflect(verdict[1], node, via)

    def forbid(self, name: str, node: ast.AST, via: str | None) -> None:
        self.uses.append(ForbiddenUse(name, getattr(node, "lineno", 0), via or self.segment(node)))

    def reflect(self, what: str, node: ast.AST, via: str | None) -> None:
        self.uses.append(ForbiddenUse(what, getattr(node, "lineno", 0), via or self.segment(node), reflection=True))

    def segment(self, node: ast.AST) -> str:
        """The source of ``node`` (its first line), shortened."""
        line, col = getattr(node, "lineno", 0), getattr(node, "col_offset", 0)
        end_line, end_col = getattr(node, "end_lineno", line), getattr(node, "end_col_offset", None)
        if not 0 < line <= len(self.lines):
            return type(node).__name__
        raw = self.lines[line - 1].encode("utf-8")
        stop = end_col if end_line == line and end_col is not None else len(raw)
        text = raw[col:stop].decode("utf-8", "replace").strip()
        return text if len(text) <= VIA_CHARS else text[: VIA_CHARS - 3] + "..."


def _pairs(node: ast.Assign | ast.AnnAssign | ast.NamedExpr) -> list[tuple[str, ast.expr, ast.AST]]:
    """(name, value) for each simple binding of an assignment, ``a, b = x, y`` element-wise."""
    if isinstance(node, ast.Assign):
        targets, value = node.targets, node.value
    elif node.value is None:
        return []
    else:
        targets, value = [node.target], node.value
    pairs: list[tuple[str, ast.expr, ast.AST]] = []
    for target in targets:
        if isinstance(target, ast.Name):
            pairs.append((target.id, value, node))
        elif isinstance(target, (ast.Tuple, ast.List)) and isinstance(value, (ast.Tuple, ast.List)) \
                and len(target.elts) == len(value.elts):
            pairs += [(t.id, v, node) for t, v in zip(target.elts, value.elts, strict=True) if isinstance(t, ast.Name)]
    return pairs


def _paired(target: ast.expr, value: ast.Tuple | ast.List) -> bool:
    """``target`` takes ``value`` apart element by element into plain names."""
    return isinstance(target, (ast.Tuple, ast.List)) and len(target.elts) == len(value.elts) \
        and all(isinstance(t, ast.Name) for t in target.elts)


def _bound_names(node: ast.AST, parents: dict[int, ast.AST]) -> list[str]:
    """Names ``node`` binds to something the check cannot know (parameters, loop targets, defs)."""
    if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
        parent = parents.get(id(node))
        assign = parents.get(id(parent)) if isinstance(parent, (ast.Tuple, ast.List)) else None
        simple = isinstance(parent, (ast.Assign, ast.AnnAssign, ast.NamedExpr)) or (  # bound by _pairs
            isinstance(assign, ast.Assign) and isinstance(assign.value, (ast.Tuple, ast.List))
            and isinstance(parent, ast.expr) and _paired(parent, assign.value)
        )
        return [] if simple else [node.id]
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return [node.name]
    if isinstance(node, ast.arg):
        return [node.arg]
    if isinstance(node, ast.ExceptHandler) and node.name:
        return [node.name]
    if isinstance(node, (ast.MatchAs, ast.MatchStar)) and node.name:
        return [node.name]
    if isinstance(node, ast.MatchMapping) and node.rest:
        return [node.rest]
    return []


def _literal(node: ast.AST) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _unique(values: Any) -> list[Value]:
    seen: dict[tuple[str | None, int], Value] = {}
    for value in values:
        seen.setdefault(value.key, value)
    return list(seen.values())
