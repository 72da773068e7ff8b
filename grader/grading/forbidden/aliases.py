"""What a question's forbidden names denote on the trusted side, and everything aliasing them.

``forbidden_set(names)`` imports each name's library (``library.Library``) and records:

- forbidden **modules** (``scipy.signal``): everything defined under them is forbidden;
  names the trusted side cannot import count as modules too, matched by name only;
- forbidden **objects** (``numpy.convolve``), compared by identity, with what implements
  them: the function a decorator wraps (``__wrapped__``, NumPy's ``_implementation``),
  functions held in its closure (torch's ``boolean_dispatch``), and the private function
  it hands its work to (``return multiarray.correlate(...)`` in ``numpy.convolve``);
- **twins** by name in the same package: the in-place, functional and module forms of an
  op share its name up to case and underscores (``torch.tanh``, ``tanh_``,
  ``torch.nn.Tanh``, ``Tensor.tanh_``; ``torch.conv1d`` and ``torch.nn.Conv1d``). The
  package's loaded modules are walked once per forbidden list to collect them, and a path
  whose last part is a twin's name counts even where the walk did not look;
- **methods**: twins found on the tensor classes (``torch.Tensor``, ``numpy.ndarray``),
  refused as attributes of any value the check cannot resolve (``x.tanh_()``).

Sets are cached per process and forbidden list: the imports and the walk happen once.
"""

from __future__ import annotations

import ast
import builtins
import functools
import inspect
import sys
import textwrap
import warnings
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

from grader.grading.forbidden.library import UNKNOWN, Library, library, module_names

# Classes whose methods mirror a package's functions (torch.tanh and Tensor.tanh).
METHOD_CLASSES = {"torch": ("torch.Tensor",), "numpy": ("numpy.ndarray",)}
MAX_MODULES = 5_000
MAX_ITEMS = 50_000
MAX_SOURCE = 20_000
IMPLEMENTATION_DEPTH = 2


def matches(dotted: str, prefix: str) -> bool:
    """``dotted`` is ``prefix`` or lies under it."""
    return dotted == prefix or dotted.startswith(prefix + ".")


def first_prefix(dotted: str, prefixes: frozenset[str]) -> str | None:
    """The shortest of ``prefixes`` that ``dotted`` is or lies under (one set lookup per part)."""
    parts = dotted.split(".")
    for i in range(1, len(parts) + 1):
        prefix = ".".join(parts[:i])
        if prefix in prefixes:
            return prefix
    return None


def stem(name: str) -> str:
    """An op's name up to case and underscores: ``tanh_``, ``Tanh`` and ``tanh`` are twins."""
    return name.replace("_", "").lower()


@dataclass
class ForbiddenSet:
    """One question's forbidden names, as prefixes, objects, twins and methods."""

    names: tuple[str, ...]
    library: Library
    modules: list[str] = field(default_factory=list)
    objects: dict[int, tuple[Any, str]] = field(default_factory=dict)
    stems: dict[str, dict[str, str]] = field(default_factory=dict)
    methods: dict[str, str] = field(default_factory=dict)

    @property
    def guarded(self) -> frozenset[str]:
        """Packages that own a forbidden name: their private internals are off limits."""
        return frozenset(n.split(".")[0] for n in self.names if "." in n)

    def by_path(self, path: str) -> str | None:
        """The forbidden name a dotted path reaches by its spelling alone."""
        name = first_prefix(path, frozenset(self.names))
        if name is not None:
            return name
        parts = path.split(".")
        twin = self.stems.get(parts[0], {}).get(stem(parts[-1])) if len(parts) > 1 else None
        return _form(path, twin) if twin else None

    def by_object(self, obj: Any) -> str | None:
        """The forbidden name an object is, implements, or is defined under."""
        if obj is UNKNOWN:
            return None
        for candidate in (obj, obj.__func__ if inspect.ismethod(obj) else None):
            found = self.objects.get(id(candidate)) if candidate is not None else None
            if found is not None and found[0] is candidate:
                return found[1]
        for module in module_names(obj):
            for name in self.modules:
                if matches(module, name):
                    return name
        return None

    def add(self, obj: Any, name: str) -> None:
        self.objects.setdefault(id(obj), (obj, name))

    def add_twins(self, owner: type, owner_path: str, name: str) -> None:
        """Methods of ``owner`` that are twins of ``name`` (``tanh``, ``tanh_``)."""
        wanted = stem(name.rsplit(".", 1)[-1])
        for attr in dir(owner):
            if stem(attr) == wanted:
                path = f"{owner_path}.{attr}"
                if path in self.names:
                    self.methods[attr] = path
                else:
                    self.methods.setdefault(attr, _form(path, name))
                found = self.library.attribute(owner, attr)
                if found is not UNKNOWN:
                    self.add(found, name)


def _form(path: str, name: str) -> str:
    """How a twin is named in a message: ``torch.nn.Tanh (a form of torch.tanh)``."""
    return name if path == name else f"{path} (a form of {name})"


@functools.lru_cache(maxsize=128)
def forbidden_set(names: tuple[str, ...]) -> ForbiddenSet:
    """The forbidden set of ``names`` (cached per process)."""
    lib = library(frozenset(n.split(".")[0] for n in names))
    fs = ForbiddenSet(names, lib)
    with lib.lock, warnings.catch_warnings():
        warnings.simplefilter("ignore")  # deprecated library names warn when looked at
        for name in names:
            _add_name(fs, name)
        for root in list(fs.stems):
            _walk(fs, root)
    return fs


def _add_name(fs: ForbiddenSet, name: str) -> None:
    lib = fs.library
    obj = lib.resolve(name)
    root, _, rest = name.partition(".")
    if obj is UNKNOWN or isinstance(obj, ModuleType):
        fs.modules.append(name)
        if obj is UNKNOWN and rest:
            fs.stems.setdefault(root, {}).setdefault(stem(name.rsplit(".", 1)[-1]), name)
        return
    fs.add(obj, name)
    fs.stems.setdefault(root, {}).setdefault(stem(name.rsplit(".", 1)[-1]), name)
    for inner in implementations(obj, lib, lib.module(root)):
        fs.add(inner, name)
    owner_path = name.rsplit(".", 1)[0]
    for path in (owner_path, *METHOD_CLASSES.get(root, ())):
        cls = lib.resolve(path)
        if isinstance(cls, type):
            fs.add_twins(cls, path, name)


def _walk(fs: ForbiddenSet, root: str) -> None:
    """Collect twins and wrappers of forbidden objects from ``root``'s loaded modules."""
    twins = fs.stems[root]
    modules = [m for n, m in list(sys.modules.items()) if n.split(".")[0] == root and isinstance(m, ModuleType)]
    for module in modules[:MAX_MODULES]:
        try:
            items = list(vars(module).items())[:MAX_ITEMS]
        except TypeError:
            continue
        for key, value in items:
            name = twins.get(stem(key)) if isinstance(key, str) else None
            if name is not None and callable(value) and not isinstance(value, ModuleType):
                fs.add(value, name)
            elif inspect.isfunction(value):
                inner = vars(value).get("__wrapped__")
                found = fs.objects.get(id(inner)) if inner is not None else None
                if found is not None:
                    fs.add(value, found[1])


def implementations(obj: Any, lib: Library, root: ModuleType | None) -> list[Any]:
    """What ``obj`` is implemented by: wrapped functions, closure functions, private callees."""
    found: dict[int, Any] = {}
    frontier = [obj]
    for _ in range(IMPLEMENTATION_DEPTH):
        following: list[Any] = []
        for fn in frontier:
            for inner in _wrapped(fn) + _returned(fn, lib, root):
                if inner is not obj and id(inner) not in found:
                    found[id(inner)] = inner
                    following.append(inner)
        frontier = following
    return list(found.values())


def _wrapped(fn: Any) -> list[Any]:
    if isinstance(fn, type) or not callable(fn):
        return []
    inner: list[Any] = []
    for attr in ("__wrapped__", "_implementation"):
        try:
            value = getattr(fn, attr, None)
        except Exception:  # noqa: BLE001 - a library object with a broken attribute
            value = None
        if callable(value):
            inner.append(value)
    if inspect.isfunction(fn):
        for cell in fn.__closure__ or ():
            try:
                contents = cell.cell_contents
            except ValueError:  # an empty cell
                continue
            if inspect.isfunction(contents) or inspect.isbuiltin(contents):
                inner.append(contents)
    return inner


def _returned(fn: Any, lib: Library, root: ModuleType | None) -> list[Any]:
    """Private callables whose result ``fn`` returns: ``return multiarray.correlate(...)``.

    Only private ones (a ``_name``, or defined in a ``_private`` module or class): public
    functions, classes and builtins are allowed in their own right, whatever a forbidden
    function does with them (``np.array``, ``torch.overrides.handle_torch_function``).
    """
    if not inspect.isfunction(fn):
        return []
    try:
        source = inspect.getsource(fn)
        tree = ast.parse(textwrap.dedent(source)) if len(source) <= MAX_SOURCE else None
    except (OSError, TypeError, SyntaxError, ValueError):
        return []
    callees = []
    for node in ast.walk(tree) if tree is not None else ():
        if isinstance(node, ast.Return) and isinstance(node.value, ast.Call):
            callee = _lookup(node.value.func, fn.__globals__, lib)
            if callable(callee) and not isinstance(callee, type) and _private(callee, root):
                callees.append(callee)
    return callees


def _lookup(node: ast.expr, namespace: dict[str, Any], lib: Library) -> Any:
    """A name or attribute chain of a library function's source, in its globals."""
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name) or node.id not in namespace:
        return UNKNOWN
    found = namespace[node.id]
    for part in reversed(parts):
        found = lib.attribute(found, part)
    return found


def _private(obj: Any, root: ModuleType | None) -> bool:
    name = getattr(obj, "__name__", None)
    if not isinstance(name, str) or getattr(builtins, name, None) is obj:
        return False
    if root is not None and inspect.getattr_static(root, name, None) is obj:
        return False  # the package's own public function
    qualname = getattr(obj, "__qualname__", name)
    parts = [*".".join(module_names(obj)).split("."), *str(qualname).split(".")]
    return any(p.startswith("_") and not p.startswith("__") for p in parts)
