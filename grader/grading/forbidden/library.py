"""The trusted side's view of the libraries a candidate imports: modules and their attributes.

The static check resolves what a candidate's names denote by importing the libraries
here, in the grader's own process. Candidate source chooses the names, so only modules
under an allow-list of roots are ever imported (``Library(roots)``), never a module
whose path names tests, ``__main__`` or internal test helpers; anything else resolves
to ``UNKNOWN``. Imports are cached for the life of the process (the first ``torch``
costs a second or more; later submissions pay nothing), and one lock serialises them.
"""

from __future__ import annotations

import functools
import importlib
import importlib.util
import inspect
import sys
import threading
import warnings
from collections.abc import Iterable
from types import ModuleType
from typing import Any


class Unknown:
    """What a name denotes when the trusted side cannot (or will not) look it up."""

    def __repr__(self) -> str:
        return "UNKNOWN"


UNKNOWN: Any = Unknown()

# Always importable here when installed: the libraries questions are about.
LIBRARY_ROOTS = frozenset({"numpy", "scipy", "torch", "sklearn"})
# Standard modules whose objects the rules compare by identity; all harmless to import.
STDLIB_ROOTS = frozenset({
    "math", "operator", "functools", "builtins", "sys", "os", "gc", "inspect", "importlib",
    "types", "traceback", "threading", "ctypes", "marshal", "pickle", "_pickle", "shelve",
})
# Path components of modules never imported here: scripts and test suites run code on import.
NEVER = frozenset({"__main__", "test", "tests", "testing", "_internal", "conftest", "setup", "benchmarks"})
MAX_CACHED = 20_000


class Library:
    """Imports modules under ``roots`` and reads attributes of what they hold."""

    def __init__(self, roots: Iterable[str]) -> None:
        self.roots = frozenset(roots)
        self.modules: dict[str, ModuleType | None] = {}
        self.lock = threading.RLock()

    def allowed(self, name: str) -> bool:
        parts = name.split(".")
        return parts[0] in self.roots and not any(p in NEVER or p.startswith("test_") for p in parts)

    def module(self, name: str) -> ModuleType | None:
        """The module ``name``, imported if allowed and importable; otherwise ``None``."""
        if name in self.modules:
            return self.modules[name]
        found: ModuleType | None = None
        if self.allowed(name):
            with self.lock, warnings.catch_warnings():
                warnings.simplefilter("ignore")
                try:
                    if name in sys.modules or importlib.util.find_spec(name) is not None:
                        found = importlib.import_module(name)
                except (Exception, SystemExit):  # noqa: BLE001 - a broken optional module is just unknown
                    found = None
        if found is not None or len(self.modules) < MAX_CACHED:  # candidates choose names: bound the misses
            self.modules[name] = found
        return found

    def resolve(self, dotted: str) -> Any:
        """The object ``dotted`` names (a module, or attributes below the longest module prefix)."""
        parts = dotted.split(".")
        for cut in range(len(parts), 0, -1):
            found: Any = self.module(".".join(parts[:cut]))
            if found is None:
                continue
            for part in parts[cut:]:
                found = self.attribute(found, part)
                if found is UNKNOWN:
                    return UNKNOWN
            return found
        return UNKNOWN

    def attribute(self, owner: Any, name: str) -> Any:
        """``owner.name`` as the library defines it, or ``UNKNOWN``.

        Modules: their namespace, then a submodule, then the module's own ``__getattr__``
        (NumPy's and torch's lazy names). Classes: the class's namespace along its MRO
        (``staticmethod`` unwrapped). Other objects: their static namespace only, so no
        property or ``__getattr__`` of a library object runs for a name the candidate chose.
        """
        if owner is UNKNOWN:
            return UNKNOWN
        if isinstance(owner, ModuleType):
            return self._module_attribute(owner, name)
        try:
            found = inspect.getattr_static(owner, name)
        except Exception:  # noqa: BLE001 - AttributeError, or a broken object
            return UNKNOWN
        if isinstance(found, (staticmethod, classmethod)):
            return found.__func__
        if not isinstance(owner, type) and inspect.isdatadescriptor(found):
            return UNKNOWN  # a value computed per instance: not known statically
        return found

    def _module_attribute(self, owner: ModuleType, name: str) -> Any:
        try:
            return inspect.getattr_static(owner, name)
        except AttributeError:
            pass
        except Exception:  # noqa: BLE001
            return UNKNOWN
        module_name = getattr(owner, "__name__", None)
        if not isinstance(module_name, str) or not self.allowed(module_name):
            return UNKNOWN
        sub = self.module(f"{module_name}.{name}")
        if sub is not None:
            return sub
        lazy = "__getattr__" in vars(owner) or hasattr(type(owner), "__getattr__")  # torch._VF is a subclass
        if not lazy:
            return UNKNOWN
        with self.lock, warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                return getattr(owner, name)
            except (Exception, SystemExit):  # noqa: BLE001
                return UNKNOWN


@functools.lru_cache(maxsize=64)
def library(extra_roots: frozenset[str] = frozenset()) -> Library:
    """The process's library view for one question's roots (cached: imports happen once)."""
    return Library(LIBRARY_ROOTS | STDLIB_ROOTS | extra_roots)


def module_names(obj: Any) -> list[str]:
    """The modules an object is defined in: ``__module__``, a function's globals, a builtin's module."""
    names: list[str] = []
    if isinstance(obj, ModuleType):
        names.append(str(getattr(obj, "__name__", "")))
        return names
    for holder in (obj, getattr(obj, "__func__", None), getattr(obj, "__objclass__", None)):
        if holder is None:
            continue
        try:
            module = getattr(holder, "__module__", None)
            globals_ = getattr(holder, "__globals__", None) if inspect.isfunction(holder) else None
            owner = getattr(holder, "__self__", None) if inspect.isbuiltin(holder) else None
        except Exception:  # noqa: BLE001 - a library object with a broken attribute
            continue
        if isinstance(module, str):
            names.append(module)
        if isinstance(globals_, dict) and isinstance(globals_.get("__name__"), str):
            names.append(globals_["__name__"])
        if isinstance(owner, ModuleType):
            names.append(str(getattr(owner, "__name__", "")))
    return names
