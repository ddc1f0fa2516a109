"""The ballot threshold (2/3 含) and the count (missing = abstain)."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.errors import RuleViolation
from app.rules.ballot import Counts, check_ballots, tally, threshold


@pytest.mark.parametrize(("n", "need"), [(25, 17), (17, 12), (13, 9), (9, 6), (7, 5)])
def test_spec_examples(n: int, need: int) -> None:
    assert threshold(n) == need


@pytest.mark.parametrize("n", range(1, 42))
def test_threshold_is_the_smallest_count_reaching_two_thirds(n: int) -> None:
    need = threshold(n)
    assert Fraction(need, n) >= Fraction(2, 3)              # need reaches 2/3 …
    assert Fraction(need - 1, n) < Fraction(2, 3)           # … and one fewer does not
    assert need * 3 >= 2 * n > (need - 1) * 3


def test_small_and_exact_thirds() -> None:
    assert [threshold(n) for n in (1, 2, 3, 4, 5, 6)] == [1, 2, 2, 3, 4, 4]
    assert threshold(12) == 8 and threshold(41) == 28


@pytest.mark.parametrize("bad", [0, -1, True, 2.0, "9"])
def test_threshold_refuses_nonsense(bad: object) -> None:
    with pytest.raises(ValueError):
        threshold(bad)  # type: ignore[arg-type]


def test_tally_counts_missing_as_abstain() -> None:
    ballots = [{"A": "yes", "B": "no"}, {"A": "yes"}, {"A": "no", "B": "abstain"}, {}]
    got = tally(ballots, ["A", "B", "C"])
    assert list(got) == ["A", "B", "C"]
    assert got["A"] == Counts(2, 1, 1)
    assert got["B"] == Counts(0, 1, 3)
    assert got["C"] == Counts(0, 0, 4)
    assert tally([], ["A"]) == {"A": Counts(0, 0, 0)}


def test_tally_refuses_unknown_candidates_and_choices() -> None:
    with pytest.raises(RuleViolation) as info:
        tally([{"A": "yes", "Z": "yes"}, {"A": "maybe"}], ["A"])
    assert [v.rule for v in info.value.violations] == ["ballot.unknown_candidate", "ballot.choice"]


def test_check_ballots_messages() -> None:
    got = check_ballots([{"A": "yes"}, {"A": None}, {"Q": "no"}], ["A"], voters=2, where="ballots")
    assert [v.rule for v in got] == ["ballot.count", "ballot.choice", "ballot.unknown_candidate"]
    assert "3 ballots but only 2 voters" in got[0].message
    assert got[1].message.startswith("ballots[1].A:") and "null" in got[1].message
    assert got[2].message.startswith("ballots[2]: Q is not a candidate")
    assert check_ballots([{"A": "yes"}] * 2, ["A"], voters=2) == []
    huge = check_ballots([{"A": 10**500, "B\nC": "yes"}], ["A"])
    assert "a huge number" in huge[0].message and "'B\\nC'" in huge[1].message


@given(st.lists(st.dictionaries(st.sampled_from("ABCD"), st.sampled_from(["yes", "no", "abstain"])),
                max_size=30))
def test_tally_adds_up(ballots: list[dict[str, str]]) -> None:
    got = tally(ballots, "ABCD")
    for cid, counts in got.items():
        assert counts.total == len(ballots)
        assert counts.yes == sum(1 for b in ballots if b.get(cid) == "yes")
        assert counts.no == sum(1 for b in ballots if b.get(cid) == "no")
