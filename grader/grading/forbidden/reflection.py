"""Reflection that defeats a static reading of the code, refused in questions with forbidden names.

Reading a candidate's source can only say what it calls if the code names what it
calls. These constructs let code reach a function without naming it (by a computed
string, through the interpreter's objects, frames or import machinery, from bytes,
in another process), so a question that forbids anything refuses them all. Each is
matched by dotted path (however the candidate spelled the import) and, where the
trusted side can import it, by identity (``os.sys.modules`` is ``sys.modules``).
"""

from __future__ import annotations

import ast
import functools
from dataclasses import dataclass, field
from typing import Any

from grader.grading.forbidden.aliases import first_prefix, matches
from grader.grading.forbidden.library import STDLIB_ROOTS, UNKNOWN, library, module_names

# Modules any use of which is refused: the import system, the interpreter's object graph,
# native code, source compiled at run time.
MODULES = (
    "importlib", "imp", "pkgutil", "zipimport", "runpy", "site", "gc", "ctypes", "_ctypes", "cffi", "code",
    "codeop", "numpy.ctypeslib", "torch.ops", "torch.package", "torch.hub", "torch.library",
    "torch.utils.cpp_extension",
)
# Names any use of which is refused: frames, the import system's state, tracing hooks, code
# run from strings or decoded from bytes (an unpickler calls any function named in its data).
NAMES = (
    "sys.modules", "sys.meta_path", "sys.path_hooks", "sys.path_importer_cache", "sys.path", "sys._getframe",
    "sys._current_frames", "sys._current_exceptions", "sys.settrace", "sys.setprofile",
    "threading.settrace", "threading.setprofile",
    "inspect.currentframe", "inspect.stack", "inspect.trace", "inspect.getouterframes", "inspect.getinnerframes",
    "inspect.getframeinfo", "inspect.getmembers", "inspect.getmembers_static", "inspect.getattr_static",
    "inspect.getclosurevars", "inspect.unwrap", "traceback.walk_stack", "traceback.walk_tb",
    "builtins.exec", "builtins.eval", "builtins.compile", "builtins.__import__", "builtins.globals",
    "builtins.locals", "builtins.vars", "builtins.breakpoint",
    "types.FunctionType", "types.LambdaType", "types.CodeType",
    "pickle.load", "pickle.loads", "pickle.Unpickler", "_pickle.load", "_pickle.loads", "_pickle.Unpickler",
    "marshal.load", "marshal.loads", "shelve.open", "torch.jit.load",
)
# Loaders that unpickle only when asked: (the parameter that asks, its safe value, positional
# arguments that leave it alone). np.load(f) is fine; np.load(f, allow_pickle=True) is not.
LOADERS = {
    "numpy.load": ("allow_pickle", False, 2),
    "numpy.lib.format.read_array": ("allow_pickle", False, 1),
    "torch.load": ("weights_only", True, 2),
}
REFUSED = frozenset(MODULES + NAMES)
# Attributes refused on any value: namespaces, frames, code objects, bindings, dynamic lookup.
ATTRIBUTES = frozenset({
    "__dict__", "__builtins__", "__subclasses__", "__globals__", "__code__", "__closure__", "__self__",
    "__wrapped__", "__getattribute__", "__getattr__", "__setattr__", "__delattr__", "__import__", "__loader__",
    "__spec__", "f_back", "f_globals", "f_locals", "f_builtins", "f_code", "tb_frame", "gi_frame", "cr_frame",
    "ag_frame", "gi_code", "cr_code",
})
# Bare names refused (module globals that are not builtins' attributes).
GLOBALS = frozenset({"__builtins__", "__loader__", "__spec__"})
# Builtins always taken in their builtin meaning, even where the candidate binds the name too.
ALWAYS_BUILTIN = frozenset({
    "exec", "eval", "compile", "__import__", "globals", "locals", "vars", "breakpoint",
    "getattr", "setattr", "delattr", "hasattr",
})
# Functions that look an attribute up by a string: the string must be written out.
DYNAMIC_LOOKUP = (
    "builtins.getattr", "builtins.setattr", "builtins.delattr", "builtins.hasattr",
    "operator.attrgetter", "operator.methodcaller",
)


@dataclass
class Reflection:
    """The refused names as paths, and as objects where the trusted side has them."""

    objects: dict[int, tuple[Any, str]] = field(default_factory=dict)
    lookups: dict[int, tuple[Any, str]] = field(default_factory=dict)

    def by_path(self, path: str) -> str | None:
        return first_prefix(path, REFUSED)

    def by_object(self, obj: Any) -> str | None:
        if obj is UNKNOWN:
            return None
        found = self.objects.get(id(obj))
        if found is not None and found[0] is obj:
            return found[1]
        for module in module_names(obj):
            for name in MODULES:
                if matches(module, name):
                    return name
        return None

    def unpickles(self, path: str | None, call: ast.Call) -> str | None:
        """The loader's name when ``call`` may make it unpickle; otherwise ``None``."""
        if path not in LOADERS:
            return None
        parameter, safe, positional = LOADERS[path]
        for keyword in call.keywords:
            if keyword.arg is None or keyword.arg == "pickle_module":
                return path
            written_safe = isinstance(keyword.value, ast.Constant) and keyword.value.value is safe
            if keyword.arg == parameter and not written_safe:
                return path
        return path if len(call.args) > positional else None

    def lookup(self, path: str | None, obj: Any) -> str | None:
        """Which dynamic-lookup function (``getattr``, ``attrgetter``...) a value is, if any."""
        if path is not None and path in DYNAMIC_LOOKUP:
            return path
        found = self.lookups.get(id(obj)) if obj is not UNKNOWN else None
        return found[1] if found is not None and found[0] is obj else None


@functools.lru_cache(maxsize=1)
def reflection() -> Reflection:
    """The refused names of the standard library, resolved once per process."""
    lib = library()
    refused = Reflection()
    for name in NAMES + DYNAMIC_LOOKUP:
        if name.split(".")[0] not in STDLIB_ROOTS:
            continue
        obj = lib.resolve(name)
        if obj is not UNKNOWN:
            table = refused.lookups if name in DYNAMIC_LOOKUP else refused.objects
            table.setdefault(id(obj), (obj, name))
    return refused
