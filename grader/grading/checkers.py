"""Checkers: compare a candidate's value with the expected one, on the trusted side.

Every checker has one signature, ``check(expected, actual, **args) -> CheckResult``,
and is picked by name in ``question.yml``; ``resolve_checker`` finds it and binds its
arguments when the question loads. Values are decoded data only (NumPy
arrays, Python scalars, tuples, lists, dicts): nothing the candidate wrote runs here.
A tensor arrives as a :class:`TensorValue` (an array that remembers it was a tensor):
where the expected value is a tensor, ``allclose`` and ``exact`` want a tensor back.
"""

from __future__ import annotations

import importlib.util
import inspect
import math
import typing
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from grader.grading.plotdata import plot_slice
from sandbox.tensor_value import TensorValue
from submissions_schema import Mismatch

NUMERIC_KINDS = "iuf"


@dataclass(frozen=True)
class CheckResult:
    ok: bool
    message: str = ""
    mismatch: Mismatch | None = None


PASS = CheckResult(True)
Checker = Callable[..., CheckResult]


def allclose(expected: Any, actual: Any, *, rtol: float = 1e-6, atol: float = 1e-9) -> CheckResult:
    """Same structure, same shapes, compatible dtype kinds, NaN/inf where expected,
    a tensor where a tensor is expected, and ``|actual - expected| <= atol + rtol * |expected|``
    element-wise."""
    return _walk(expected, actual, "", lambda e, a, p: _close(e, a, p, rtol, atol))


def exact(expected: Any, actual: Any) -> CheckResult:
    """Same structure and exactly equal leaves: ints stay ints, strings stay strings,
    tensors stay tensors."""
    return _walk(expected, actual, "", _equal)


def _walk(expected: Any, actual: Any, path: str, leaf: Callable[[Any, Any, str], CheckResult]) -> CheckResult:
    """Compare containers recursively; leaves go to ``leaf``."""
    if isinstance(expected, (tuple, list)):
        if not isinstance(actual, (tuple, list)):
            return _fail(path, f"expected a sequence of {len(expected)} values, got {describe(actual)}")
        if len(actual) != len(expected):
            return _fail(path, f"expected {len(expected)} values, got {len(actual)}")
        for i, (e, a) in enumerate(zip(expected, actual, strict=False)):
            result = _walk(e, a, f"{path}[{i}]", leaf)
            if not result.ok:
                return result
        return PASS
    if isinstance(expected, dict):
        if not isinstance(actual, dict):
            return _fail(path, f"expected a dict with keys {sorted(expected)}, got {describe(actual)}")
        missing, extra = sorted(set(expected) - set(actual)), sorted(set(actual) - set(expected))
        if missing or extra:
            return _fail(path, f"keys differ: missing {missing}, unexpected {extra}")
        for key in expected:
            result = _walk(expected[key], actual[key], f"{path}.{key}" if path else key, leaf)
            if not result.ok:
                return result
        return PASS
    if isinstance(expected, TensorValue) and not isinstance(actual, TensorValue):
        # A question whose reference returns a tensor asks for one (a 0-d tensor, not .item()).
        return _fail(path, f"expected {describe(expected)}, got {describe(actual)}: return a torch tensor")
    return leaf(expected, actual, path)


def _fail(path: str, message: str, mismatch: Mismatch | None = None) -> CheckResult:
    where = f"at {path}: " if path else ""
    return CheckResult(False, where + message, mismatch)


def describe(value: Any) -> str:
    if isinstance(value, TensorValue):
        return f"a tensor of shape {tuple(value.shape)} and dtype {value.dtype}"
    if isinstance(value, np.ndarray):
        return f"an array of shape {tuple(value.shape)} and dtype {value.dtype}"
    if isinstance(value, (tuple, list, dict)):
        return f"a {type(value).__name__} of {len(value)} items"
    name = type(value).__name__
    return f"{'an' if name[0] in 'aeiou' else 'a'} {name}"


def _is_number(value: Any) -> bool:
    return isinstance(value, (bool, int, float, np.ndarray))


def _close(expected: Any, actual: Any, path: str, rtol: float, atol: float) -> CheckResult:
    if isinstance(expected, np.ndarray) and _numeric_sequence(actual):
        converted = _as_array(actual)
        if converted is None:
            return _fail(path, f"expected {describe(expected)}, got a ragged {type(actual).__name__}")
        actual = converted
    if not _is_number(expected) or not _is_number(actual):
        return _equal(expected, actual, path)
    e, a = _as_array(expected), _as_array(actual)
    if e is None or a is None:
        return _fail(path, f"expected {describe(expected)}, got {describe(actual)}")
    if e.shape != a.shape:
        return _fail(path, f"expected shape {e.shape}, got {a.shape}", _shape_mismatch(path, e, a))
    if (e.dtype.kind == "b") != (a.dtype.kind == "b") or (e.dtype.kind == "c") != (a.dtype.kind == "c"):
        return _fail(path, f"expected dtype {e.dtype}, got {a.dtype}", _shape_mismatch(path, e, a))
    if e.dtype.kind == "b":
        return _compare(path, e, a, e == a)
    wide = np.complex128 if e.dtype.kind == "c" else np.float64
    e64, a64 = e.astype(wide), a.astype(wide)
    with np.errstate(all="ignore"):
        finite = np.isfinite(e64)
        close = np.abs(a64 - e64) <= atol + rtol * np.abs(e64)
        same_special = (np.isnan(e64) & np.isnan(a64)) | (~np.isnan(e64) & (e64 == a64))
        ok = np.where(finite, close & np.isfinite(a64), same_special)
    return _compare(path, e64, a64, ok, e.dtype, a.dtype)


def _equal(expected: Any, actual: Any, path: str) -> CheckResult:
    if isinstance(expected, np.ndarray) or isinstance(actual, np.ndarray):
        e, a = _as_array(expected), _as_array(actual)
        if e is None or a is None or e.shape != a.shape or (e.dtype.kind in "biu") != (a.dtype.kind in "biu"):
            return _fail(path, f"expected {describe(expected)}, got {describe(actual)}")
        with np.errstate(all="ignore"):
            ok = (e == a) | (np.isnan(e) & np.isnan(a)) if e.dtype.kind in "fc" else e == a
        return _compare(path, e, a, np.asarray(ok))
    if type(expected) is not type(actual) and not (_plain_int(expected) and _plain_int(actual)):
        wanted, got = f"{describe(expected)} ({_show(expected)})", f"{describe(actual)} ({_show(actual)})"
        return _fail(path, f"expected {wanted}, got {got}")
    same = expected == actual or (isinstance(expected, float) and math.isnan(expected) and math.isnan(actual))
    return PASS if same else _fail(path, f"expected {_show(expected)}, got {_show(actual)}")


def _as_array(value: Any) -> np.ndarray | None:
    """``value`` as a numeric or bool array, or ``None`` when it is not one (ragged, text)."""
    if not (_is_number(value) or _numeric_sequence(value)):
        return None
    try:
        arr = np.asarray(value)
    except (ValueError, TypeError):
        return None
    return arr if arr.dtype.kind in "biufc" else None


def _numeric_sequence(value: Any) -> bool:
    """A (nested) list or tuple of plain numbers: accepted where an array is expected."""
    if isinstance(value, (list, tuple)):
        return all(_numeric_sequence(v) for v in value)
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _plain_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _compare(
    path: str, e: np.ndarray, a: np.ndarray, ok: np.ndarray, e_dtype: Any = None, a_dtype: Any = None
) -> CheckResult:
    """Summarise an element-wise comparison into a result with the first mismatch."""
    bad = ~ok
    count = int(bad.sum())
    if count == 0:
        return PASS
    first = [int(i) for i in np.argwhere(bad)[0]] if bad.ndim else []
    mismatch = Mismatch(
        path=path,
        expected_shape=list(e.shape),
        actual_shape=list(a.shape),
        expected_dtype=str(e_dtype or e.dtype),
        actual_dtype=str(a_dtype or a.dtype),
        mismatched=count,
        total=int(e.size),
        first_index=first,
        expected_at_first=_scalar(e[tuple(first)]),
        actual_at_first=_scalar(a[tuple(first)]),
        plot=plot_slice(e, a, bad, first),
        **_errors(e, a),
    )
    where = f" at index {tuple(first)}" if first else ""
    figures = f" (max abs error {mismatch.max_abs_error:.3g})" if mismatch.max_abs_error is not None else ""
    text = (
        f"{count} of {e.size} values differ{figures}; first{where}: "
        f"expected {_show(mismatch.expected_at_first)}, got {_show(mismatch.actual_at_first)}"
    )
    return _fail(path, text, mismatch)


def _errors(e: np.ndarray, a: np.ndarray) -> dict[str, float | None]:
    if e.dtype.kind not in "iufc" or a.dtype.kind not in "iufc":
        return {"max_abs_error": None, "max_rel_error": None}
    with np.errstate(all="ignore"):
        e64, a64 = e.astype(np.complex128), a.astype(np.complex128)
        both = np.isfinite(e64) & np.isfinite(a64)
        if not both.any():
            return {"max_abs_error": None, "max_rel_error": None}
        diff = np.abs(a64 - e64)[both]
        scale = np.abs(e64[both])
        rel = diff[scale > 0] / scale[scale > 0]  # relative error is undefined where expected is 0
        return {"max_abs_error": float(diff.max()), "max_rel_error": float(rel.max()) if rel.size else None}


def _shape_mismatch(path: str, e: np.ndarray, a: np.ndarray) -> Mismatch:
    return Mismatch(
        path=path, expected_shape=list(e.shape), actual_shape=list(a.shape),
        expected_dtype=str(e.dtype), actual_dtype=str(a.dtype),
    )


def _scalar(value: Any) -> Any:
    """A JSON-safe scalar for the report (non-finite floats as text)."""
    item = value.item() if hasattr(value, "item") else value
    if isinstance(item, complex):
        return str(item)
    if isinstance(item, float) and not math.isfinite(item):
        return str(item)
    return item


def _show(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.10g}"
    text = np.array2string(value, threshold=20, precision=8) if isinstance(value, np.ndarray) else repr(value)
    return text if len(text) <= 200 else text[:197] + "..."


def property_check(
    expected: Any, actual: Any, *, function: Callable[..., str | CheckResult | None], inputs: tuple[Any, ...],
    **args: Any,
) -> CheckResult:
    """Run a question's trusted property function; ``None`` from it means the property holds.

    The function may also return a :class:`CheckResult` (for instance a built-in
    checker's, with its mismatch figures), which is passed on as it is.
    """
    problem = function(actual, inputs=inputs, expected=expected, **args)
    if isinstance(problem, CheckResult):
        return problem
    return PASS if problem is None else CheckResult(False, str(problem))


CHECKERS: dict[str, Checker] = {"allclose": allclose, "exact": exact, "property": property_check}

# --- resolving and binding a declared checker (when the question loads) ---------------

# What the grader passes itself: the values compared, and for a property function its keywords.
_BUILT_IN_GIVEN, _PROPERTY_GIVEN, _PROPERTY_SUPPLIED = 2, 1, ("inputs", "expected")
_TOLERANCES = ("rtol", "atol")
_VALUE_KINDS: dict[Any, tuple[type, ...]] = {float: (int, float), int: (int,), str: (str,), bool: (bool,)}
_KIND_WORDS = {float: "a number", int: "an integer", str: "a string", bool: "true or false"}


class CheckerError(ValueError):
    """A declared checker cannot be bound: ``field`` is the declaration's key (``checker.rtoll``)."""

    def __init__(self, field: str, problem: str) -> None:
        super().__init__(f"field '{field}': {problem}")
        self.field, self.problem = field, problem


@dataclass(frozen=True)
class BoundChecker:
    """A checker resolved by name, its arguments validated against its signature and bound.

    ``function`` is the built-in checker, or for ``property`` the question's function from
    ``checks.py``; ``check`` calls it with the bound arguments.
    """

    name: str
    function: Callable[..., Any]
    arguments: Mapping[str, Any]

    @property
    def needs_inputs(self) -> bool:
        """Whether ``check`` uses the case's inputs (only property functions do)."""
        return self.name == "property"

    def check(self, expected: Any, actual: Any, inputs: tuple[Any, ...] = ()) -> CheckResult:
        if self.name == "property":
            return property_check(expected, actual, function=self.function, inputs=inputs, **self.arguments)
        result: CheckResult = self.function(expected, actual, **self.arguments)
        return result


def resolve_checker(declared: Mapping[str, Any], folder: Path) -> BoundChecker:
    """Built-in by name, or ``property`` with a function of the question's ``checks.py``;
    arguments bound and validated now, so a typo fails when the question loads, never a candidate.

    ``declared`` is a checker declaration (``{"name": "allclose", "rtol": 1e-6}``); ``folder``
    is the question's folder. Raises :class:`CheckerError` naming the field and the problem.
    """
    arguments = {k: v for k, v in declared.items() if k != "name"}
    name = declared.get("name")
    if name == "property":
        function = _property_function(arguments.pop("function", None), folder)
        _bind(function, arguments, _PROPERTY_GIVEN, _PROPERTY_SUPPLIED, f"property function '{function.__name__}'")
        return BoundChecker("property", function, arguments)
    if not isinstance(name, str) or name not in CHECKERS:
        raise CheckerError("checker.name", f"unknown checker {name!r} (known: {', '.join(sorted(CHECKERS))})")
    _bind(CHECKERS[name], arguments, _BUILT_IN_GIVEN, (), f"checker '{name}'")
    return BoundChecker(name, CHECKERS[name], arguments)


def _property_function(name: Any, folder: Path) -> Callable[..., Any]:
    """The function ``name`` of ``folder/checks.py`` (trusted question code, imported here)."""
    if not isinstance(name, str) or not name.isidentifier():
        raise CheckerError("checker.function", "a property checker names a function in checks.py")
    path = folder / "checks.py"
    if not path.is_file():
        raise CheckerError("checker.function", f"a property checker needs {path}, which is missing")
    spec = importlib.util.spec_from_file_location(f"_checks_{folder.name}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    try:
        spec.loader.exec_module(module)
    except Exception as exc:  # noqa: BLE001 - a broken checks.py is the question's fault, said at load
        raise CheckerError("checker.function", f"{path} failed to import ({type(exc).__name__}: {exc})") from exc
    function = getattr(module, name, None)
    if not inspect.isfunction(function):
        raise CheckerError("checker.function", f"checks.py defines no function '{name}'")
    return function


def _bind(function: Callable[..., Any], arguments: dict[str, Any], given: int, supplied: tuple[str, ...],
          what: str) -> None:
    """Check ``arguments`` against what ``function`` accepts beyond what the grader passes itself."""
    params = list(inspect.signature(function).parameters.values())
    positional = [p for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)][:given]
    own = {p.name: p for p in params if p not in positional and p.name not in supplied
           and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)}
    open_ended = any(p.kind is p.VAR_KEYWORD for p in params)
    known = ", ".join(sorted(own)) or "none"
    for key in arguments:
        if key not in own and not open_ended:
            raise CheckerError(f"checker.{key}", f"unknown argument of {what} (known: {known})")
    for key, param in own.items():
        if param.default is param.empty and key not in arguments:
            raise CheckerError(f"checker.{key}", f"missing: {what} needs it")
    hints = _hints(function)
    for key, value in arguments.items():
        default = own[key].default if key in own else None
        _check_value(f"checker.{key}", value, hints.get(key), default)


def _hints(function: Callable[..., Any]) -> dict[str, Any]:
    try:
        return typing.get_type_hints(function)
    except Exception:  # noqa: BLE001 - an annotation we cannot resolve only means no type check
        return {}


def _check_value(field: str, value: Any, hint: Any, default: Any) -> None:
    """A value of the type the parameter declares (or its default has); finite, non-negative tolerances."""
    kind = hint if hint in _VALUE_KINDS else type(default) if type(default) in _VALUE_KINDS else None
    if kind is None:
        return
    if not isinstance(value, _VALUE_KINDS[kind]) or (kind is not bool and isinstance(value, bool)):
        note = " (YAML reads 1e-6 as text: write 1.0e-6)" if isinstance(value, str) and kind in (float, int) else ""
        raise CheckerError(field, f"expected {_KIND_WORDS[kind]}, got {type(value).__name__} {value!r}{note}")
    number = value if isinstance(value, (int, float)) and not isinstance(value, bool) else None
    if number is not None and not math.isfinite(number):
        raise CheckerError(field, f"expected a finite number, got {value!r}")
    if number is not None and field.split(".")[-1] in _TOLERANCES and number < 0:
        raise CheckerError(field, f"a tolerance is never negative, got {value!r}")
