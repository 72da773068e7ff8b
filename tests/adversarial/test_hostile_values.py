"""Hostile return values and tampering with the comparison machinery inside the sandbox.

The comparison happens on the host, on decoded data: nothing the candidate defines
(``__eq__``, ``__array_function__``, patched NumPy functions, pickles) may run
there or change a verdict. Each submission returns wrong numbers dressed up to
look right, so the expected verdict is ``wrong_answer`` (or at least not accepted).
"""

from __future__ import annotations

import pytest
from adversarial_support import CORRECT, check_verdict, oracle, src, summary

from grader.settings import REPO_ROOT
from submissions_schema import Verdict

WA = Verdict.wrong_answer

# Wrong values of the right shape and dtype: the last element is off by one.
WRONG = CORRECT + src("""
    def _wrong(a, v):
        out = _correct(a, v)
        out[-1] += 1.0
        return out
    """)

MONKEYPATCHING = [
    ("numpy_comparisons_always_true", WRONG + src("""
        import numpy as np

        def _true(*args, **kwargs):
            return True

        np.allclose = np.array_equal = np.array_equiv = _true
        np.isclose = lambda a, b, *args, **kwargs: np.ones(np.broadcast(a, b).shape, dtype=bool)
        np.testing.assert_allclose = np.testing.assert_array_equal = np.testing.assert_almost_equal = _true
        np.testing.assert_array_almost_equal = np.testing.assert_equal = _true
        np.abs = np.absolute = lambda x, *args, **kwargs: np.zeros_like(x)
        np.isfinite = lambda x, *args, **kwargs: np.ones_like(x, dtype=bool)

        def conv1d(a, v):
            return _wrong(a, v)
        """), WA),
    ("ndarray_subclass_eq_always_true", WRONG + src("""
        import numpy as np

        class Agreeable(np.ndarray):
            def __eq__(self, other):
                return np.ones(np.shape(self), dtype=bool)
            __ne__ = lambda self, other: np.zeros(np.shape(self), dtype=bool)
            def __array_function__(self, func, types, args, kwargs):
                return True
            def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
                return np.zeros(np.shape(self))
            def astype(self, *args, **kwargs):
                return self
            def copy(self, *args, **kwargs):
                return self

        def conv1d(a, v):
            return _wrong(a, v).view(Agreeable)
        """), WA),
    ("builtin_ndarray_eq_patch_attempt", WRONG + src("""
        import numpy as np

        for name in ("__eq__", "__ne__", "__sub__", "__abs__"):
            try:
                setattr(np.ndarray, name, lambda *a, **k: True)
            except TypeError:
                pass

        def conv1d(a, v):
            return _wrong(a, v)
        """), WA),
    # The runner's own encoder and its status for exceptions, patched in place.
    # (import __main__ rather than sys.modules, which the static check refuses in this question)
    ("runner_internals_patched", WRONG + src("""
        import __main__ as runner

        def forged_classify(exc):
            return {"status": "ok", "message": ""}

        runner.classify = forged_classify

        def conv1d(a, v):
            raise ValueError("nothing returned")
        """), WA),
    # The forbidder patched away, then the forbidden name used: the stub must not compute.
    ("forbidder_patched_away", src("""
        import sys

        runner = sys.modules["__main__"]
        runner.Forbidder.hit = lambda self, name: None

        def conv1d(a, v):
            return getattr(__import__("num" + "py"), "con" + "volve")(a, v)
        """), None),
]


LIARS = [
    ("object_eq_always_true", src("""
        class Anything:
            def __eq__(self, other):
                return True
            __hash__ = object.__hash__
            def __array__(self, *args, **kwargs):
                raise TypeError("no")

        def conv1d(a, v):
            return Anything()
        """), WA),
    ("list_of_eq_always_true", src("""
        class Anything(float):
            def __eq__(self, other):
                return True
            __hash__ = float.__hash__

        def conv1d(a, v):
            return [Anything(0.0) for _ in range(len(a) + len(v) - 1)]
        """), WA),
    ("object_array_of_right_numbers", CORRECT + src("""
        import numpy as np

        def conv1d(a, v):
            return np.array(list(_correct(a, v)), dtype=object)
        """), WA),
    ("pickle_of_right_answer", CORRECT + src("""
        import pickle

        def conv1d(a, v):
            return pickle.dumps(_correct(a, v))
        """), WA),
    ("dict_pretending_to_be_array", CORRECT + src("""
        def conv1d(a, v):
            out = _correct(a, v)
            return {"$array": "a0", "__ndarray__": out.tolist(), "dtype": "float64", "shape": list(out.shape)}
        """), WA),
    ("tagged_tuple_pretending_to_be_array", CORRECT + src("""
        def conv1d(a, v):
            return {"$tuple": [{"$array": "a0"}]}
        """), WA),
    ("generator", CORRECT + src("""
        def conv1d(a, v):
            return (x for x in _correct(a, v))
        """), WA),
    ("lying_class_attribute", src("""
        import numpy as np

        class Fake:
            __class__ = np.ndarray
            shape = (1,)
            dtype = np.dtype(float)
            def __len__(self):
                return 1
            def __getitem__(self, i):
                raise IndexError(i)

        def conv1d(a, v):
            return Fake()
        """), None),
    ("recursive_list", src("""
        def conv1d(a, v):
            loop = []
            loop.append(loop)
            return loop
        """), WA),
    ("memoryview_of_right_bytes", CORRECT + src("""
        def conv1d(a, v):
            return memoryview(_correct(a, v).tobytes())
        """), WA),
    ("structured_dtype", CORRECT + src("""
        import numpy as np

        def conv1d(a, v):
            out = _correct(a, v)
            rec = np.zeros(out.shape, dtype=[("x", "f8")])
            rec["x"] = out
            return rec
        """), WA),
    ("huge_array", src("""
        import numpy as np

        def conv1d(a, v):
            return np.zeros(40_000_000)
        """), None),
    ("nan_and_inf", src("""
        import numpy as np

        def conv1d(a, v):
            out = np.full(len(a) + len(v) - 1, np.nan)
            out[::2] = np.inf
            return out
        """), WA),
    ("python_ints_beyond_int64", src("""
        def conv1d(a, v):
            return [10**400 + i for i in range(len(a) + len(v) - 1)]
        """), WA),
    ("complex_array", CORRECT + src("""
        def conv1d(a, v):
            return _correct(a, v) + 0j
        """), WA),
    ("strings_of_right_numbers", CORRECT + src("""
        def conv1d(a, v):
            return [repr(float(x)) for x in _correct(a, v)]
        """), WA),
]


@pytest.mark.parametrize(("source", "expected"), [pytest.param(s, e, id=i) for i, s, e in MONKEYPATCHING + LIARS])
def test_hostile_value(hostile, source: str, expected: Verdict | None) -> None:  # type: ignore[no-untyped-def]
    check_verdict(hostile(source), expected)


def test_malicious_pickle_never_runs_on_the_host(hostile, canary) -> None:  # type: ignore[no-untyped-def]
    """A pickle whose loading would plant a file on the host: the host must never unpickle."""
    marker = canary.folder / "unpickled_on_host"
    source = src(f"""
        import pickle

        class Payload:
            def __reduce__(self):
                return (open, ({str(marker)!r}, "w"))

        def conv1d(a, v):
            return pickle.dumps(Payload())
        """)
    check_verdict(hostile(source, absent=(marker,)), WA)


def test_oracle_detects_a_working_attack(hostile) -> None:  # type: ignore[no-untyped-def]
    """Control: an attack that works (reading the runner, which is visible by design) is accepted.

    This is what makes the oracle rows of this battery meaningful: were any of their
    attacks to work, they would be accepted, and fail.
    """
    runner_text = (REPO_ROOT / "sandbox" / "runner.py").read_text(encoding="utf-8")
    line = next(line for line in runner_text.splitlines() if "GRADER1" in line)
    source = oracle("""
        def _attack():
            with open("/opt/grader/runner.py") as fh:
                print(fh.read())
            return True
        """)
    report = hostile(source)
    check_verdict(report, Verdict.accepted)
    assert line.strip() in report.tests[0].stdout, summary(report)

