"""Checkers, table-driven: what passes, what fails, and what the failure says."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from grader.grading.checkers import CheckResult, allclose, exact, property_check
from sandbox.tensor_value import TensorValue

nan, inf = float("nan"), float("inf")

ALLCLOSE = [
    # (id, expected, actual, ok, words the message must contain)
    ("equal arrays", np.arange(3.0), np.arange(3.0), True, ""),
    ("within rtol", np.array([1.0]), np.array([1.0 + 1e-7]), True, ""),
    ("outside rtol", np.array([1.0]), np.array([1.0 + 1e-5]), False, "1 of 1 values differ"),
    ("atol near zero", np.array([0.0]), np.array([1e-10]), True, ""),
    ("shape", np.zeros(3), np.zeros(4), False, "expected shape (3,), got (4,)"),
    ("scalar vs 1-element", 2.0, np.array([2.0]), False, "expected shape ()"),
    ("int answer as float", np.array([1, 2]), np.array([1.0, 2.0]), True, ""),
    ("bool vs float", np.array([True]), np.array([1.0]), False, "dtype"),
    ("nan where nan", np.array([nan, 1.0]), np.array([nan, 1.0]), True, ""),
    ("nan where finite", np.array([1.0]), np.array([nan]), False, "expected 1"),
    ("finite where nan", np.array([nan]), np.array([0.0]), False, "differ"),
    ("inf sign", np.array([inf]), np.array([-inf]), False, "differ"),
    ("inf where inf", np.array([inf]), np.array([inf]), True, ""),
    ("tuple", (1.0, np.zeros(2)), (1.0, np.zeros(2)), True, ""),
    ("list for tuple", (1.0, 2.0), [1.0, 2.0], True, ""),
    ("tuple length", (1.0, 2.0), (1.0,), False, "expected 2 values, got 1"),
    ("dict", {"a": np.ones(2)}, {"a": np.ones(2)}, True, ""),
    ("dict missing key", {"a": 1.0, "b": 2.0}, {"a": 1.0}, False, "missing ['b']"),
    ("dict path", {"dW": np.ones(2)}, {"dW": np.array([1.0, 3.0])}, False, "at dW:"),
    ("array for dict", {"a": 1.0}, np.ones(1), False, "expected a dict"),
    ("string leaf", "valid", "valid", True, ""),
    ("none for array", np.ones(2), None, False, "got a NoneType"),
    ("bool result", True, False, False, "expected True, got False"),
]


@pytest.mark.parametrize("case", ALLCLOSE, ids=[c[0] for c in ALLCLOSE])
def test_allclose(case: tuple[str, Any, Any, bool, str]) -> None:
    _, expected, actual, ok, words = case
    result = allclose(expected, actual, rtol=1e-6, atol=1e-9)
    assert result.ok is ok, result.message
    assert words in result.message


def test_mismatch_figures() -> None:
    expected = np.array([[1.0, 2.0], [4.0, 0.0]])
    actual = np.array([[1.0, 2.5], [4.0, 1.0]])
    m = allclose(expected, actual, rtol=1e-6, atol=1e-9).mismatch
    assert m is not None
    assert (m.mismatched, m.total, m.first_index) == (2, 4, [0, 1])
    assert (m.expected_at_first, m.actual_at_first) == (2.0, 2.5)
    assert m.max_abs_error == pytest.approx(1.0)
    assert m.max_rel_error == pytest.approx(0.25)  # the zero expected value has no relative error
    assert (m.expected_shape, m.expected_dtype) == ([2, 2], "float64")


EXACT = [
    ("int", 3, 3, True, ""),
    ("int vs float", 3, 3.0, False, "expected an int"),
    ("bool vs int", True, 1, False, "expected a bool"),
    ("int arrays", np.array([1, 2]), np.array([1, 2]), True, ""),
    ("int array differs", np.array([1, 2]), np.array([1, 3]), False, "1 of 2 values differ"),
    ("float array for int array", np.array([1, 2]), np.array([1.0, 2.0]), False, "expected an array"),
    ("tuple of ints", (2, 3), (2, 3), True, ""),
    ("string", "Manhattan", "manhattan", False, "expected 'Manhattan'"),
]


@pytest.mark.parametrize("case", EXACT, ids=[c[0] for c in EXACT])
def test_exact(case: tuple[str, Any, Any, bool, str]) -> None:
    _, expected, actual, ok, words = case
    result = exact(expected, actual)
    assert result.ok is ok, result.message
    assert words in result.message


def test_property_passes_inputs_and_reports_message() -> None:
    seen = {}

    def positive(actual: Any, *, inputs: tuple[Any, ...], expected: Any, margin: float) -> str | None:
        seen.update(inputs=inputs, margin=margin)
        return None if actual > margin else f"{actual} is not above {margin}"

    assert property_check(None, 1.0, function=positive, inputs=(5,), margin=0.5).ok
    assert seen == {"inputs": (5,), "margin": 0.5}
    result = property_check(None, 0.1, function=positive, inputs=(), margin=0.5)
    assert not result.ok and result.message == "0.1 is not above 0.5"


@pytest.mark.parametrize(
    "actual,ok",
    [
        ([1.0, 2.0], True),
        ([[1.0], [2.0]], False),
        ([[1.0], [2.0, 3.0]], False),
        (["a", "b"], False),
        ([1.0, None], False),
    ],
)
def test_lists_of_numbers_count_as_arrays(actual: Any, ok: bool) -> None:
    assert allclose(np.array([1.0, 2.0]), actual).ok is ok


def _tensor(values: Any, device: str = "cpu") -> TensorValue:
    return TensorValue(np.asarray(values, dtype=float), device)


TENSORS = [
    # (id, expected, actual, ok, words the message must contain): where the reference returns
    # a tensor, a tensor must come back; the reverse is not asked.
    ("tensor for tensor", _tensor(2.5), _tensor(2.5), True, ""),
    ("tensor on another device", _tensor([1.0]), _tensor([1.0], "cuda:0"), True, ""),
    ("float for a 0-d tensor", _tensor(2.5), 2.5, False,
     "expected a tensor of shape () and dtype float64, got a float"),
    ("array for a tensor", _tensor([1.0, 2.0]), np.array([1.0, 2.0]), False, "return a torch tensor"),
    ("list for a tensor", _tensor([1.0, 2.0]), [1.0, 2.0], False, "got a list of 2 items"),
    ("none for a tensor", _tensor([1.0]), None, False, "got a NoneType"),
    ("float in a dict", {"y": _tensor(1.0)}, {"y": 1.0}, False, "at y: expected a tensor"),
    ("tensor for an array", np.array([1.0, 2.0]), _tensor([1.0, 2.0]), True, ""),
    ("tensor values differ", _tensor([1.0, 2.0]), _tensor([1.0, 3.0]), False, "1 of 2 values differ"),
]


@pytest.mark.parametrize("case", TENSORS, ids=[c[0] for c in TENSORS])
@pytest.mark.parametrize("checker", [allclose, exact], ids=["allclose", "exact"])
def test_a_tensor_is_expected_back_where_the_reference_returns_one(
    checker: Any, case: tuple[str, Any, Any, bool, str]
) -> None:
    _, expected, actual, ok, words = case
    result = checker(expected, actual)
    assert result.ok is ok, result.message
    assert words in result.message


def test_a_property_may_answer_with_a_check_result() -> None:
    """A property function that delegates to a built-in checker keeps its mismatch figures."""

    def delegating(actual: Any, *, inputs: tuple[Any, ...], expected: Any) -> CheckResult:
        return allclose(expected, actual)

    result = property_check(np.array([1.0, 2.0]), np.array([1.0, 5.0]), function=delegating, inputs=())
    assert not result.ok and "1 of 2 values differ" in result.message
    assert result.mismatch is not None and result.mismatch.first_index == [1]
    assert property_check(np.ones(2), np.ones(2), function=delegating, inputs=()).ok
