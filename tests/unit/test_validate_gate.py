"""The validation gate: verdicts and mutants must all hold; labelled free-text answers are gated as a share."""

from __future__ import annotations

from grader.validate import LABELLED_FLOOR, Row, agreement, passed, render


def labelled(n_in: int, n_out: int) -> list[Row]:
    inside = [Row("ft_q", f"in{i}.json", "score 0.50..1.00", "score 0.50..1.00", 0.1, kind="labelled")
              for i in range(n_in)]
    outside = [Row("ft_q", f"out{i}.json", "score 0.50..1.00", "score 0.00", 0.1, kind="labelled")
               for i in range(n_out)]
    return inside + outside


def test_labelled_answers_outside_their_range_fail_only_below_the_floor() -> None:
    above = labelled(9, 1)
    assert agreement(above) == 0.9 >= LABELLED_FLOOR and passed(above)
    below = labelled(6, 4)
    assert not passed(below)
    assert "6 of 10 labelled answers" in render(below)


def test_one_wrong_verdict_fails_whatever_the_agreement() -> None:
    rows = labelled(10, 0) + [Row("conv1d_full", "accepted_loops.py", "accepted", "wrong_answer", 0.2)]
    assert not passed(rows)
    assert render(rows).endswith("10 passed, 1 failed") is False  # labelled rows are not counted as passes
    assert render(rows).endswith("0 passed, 1 failed")


def test_no_labelled_answers_is_full_agreement() -> None:
    assert agreement([]) == 1.0 and passed([Row("q", "a.py", "accepted", "accepted", 0.1)])
