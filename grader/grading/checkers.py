"""Checkers: compare a candidate's value with the expected one, on the trusted side.

Every checker has one signature, ``check(expected, actual, **args) -> CheckResult``,
and is picked by name in ``question.yml``. Values are decoded data only (NumPy
arrays, Python scalars, tuples, lists, dicts): nothing the candidate wrote runs here.
A tensor arrives as a :class:`TensorValue` (an array that remembers it was a tensor):
where the expected value is a tensor, ``allclose`` and ``exact`` want a tensor back.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

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
