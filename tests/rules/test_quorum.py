"""The quorum of a ballot round: ceil(share × panel), with the plan's share (default 2/3)."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.rules.quorum import check_quorum, quorum_needed, quorum_problem, quorum_share, quorum_text


@pytest.mark.parametrize(("panel", "share", "needed"), [
    (25, "2/3", 17), (13, "2/3", 9), (11, "2/3", 8), (7, "2/3", 5), (5, "2/3", 4), (17, "2/3", 12),
    (13, "3/4", 10), (13, "1", 13), (13, "1/2", 7), (12, "0.75", 9), (0, "2/3", 0),
])
def test_needed(panel: int, share: str, needed: int) -> None:
    assert quorum_needed(panel, share) == needed


@given(panel=st.integers(0, 201), num=st.integers(1, 20), den=st.integers(1, 20))
def test_needed_is_the_smallest_whole_number_at_or_over_the_share(panel: int, num: int, den: int) -> None:
    share = Fraction(num, den)
    if not Fraction(1, 2) <= share <= 1:
        return
    n = quorum_needed(panel, share)
    assert n >= share * panel and (n - 1) < share * panel


@pytest.mark.parametrize("bad", ["1/3", "0", "abc", "3/2", "", "1/0", True, None, 0.4])
def test_a_plan_cannot_set_a_quorum_outside_half_to_all(bad: object) -> None:
    problem = quorum_problem(bad)
    assert problem is not None and "1/2" in problem and "1/2至1" in problem.zh


@pytest.mark.parametrize(("written", "stored"), [("2/3", "2/3"), (" 4/6 ", "2/3"), ("0.75", "3/4"), ("1", "1"),
                                                  ("3／4", "3/4")])
def test_shares_are_stored_in_lowest_terms(written: str, stored: str) -> None:
    assert quorum_problem(written) is None and quorum_text(written) == stored
    assert quorum_share(stored) == quorum_share(written)


def test_below_the_quorum_names_the_numbers_in_both_languages() -> None:
    assert check_quorum(9, 13) == []
    [v] = check_quorum(8, 13)
    assert v.rule == "ballot.quorum" and "8 experts present" in v.message and "at least 9" in v.message
    assert "至少9人" in v.message.zh  # type: ignore[attr-defined]
