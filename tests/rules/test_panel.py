"""Panel size (odd, minimum per committee kind, reduced panel) and discipline groups."""

from __future__ import annotations

import pytest

from app.rules.panel import (
    check_groups,
    check_minimum,
    check_odd,
    check_panel,
    minimum_panel,
)

# (level, organized_by, normal minimum, reduced minimum as written in X§8)
KINDS = [
    ("senior", "series", 25, 17),
    ("intermediate", "series", 13, 9),
    ("senior", "specialty", 11, 17),
    ("intermediate", "specialty", 7, 9),
    ("junior", "series", 5, 5),
    ("junior", "specialty", 5, 5),
]


@pytest.mark.parametrize(("level", "org", "normal", "reduced"), KINDS)
@pytest.mark.parametrize("candidates", [1, 9, 10, 11, 200])
@pytest.mark.parametrize("approved", [False, True])
def test_minimum_panel_table(
    level: str, org: str, normal: int, reduced: int, candidates: int, approved: bool
) -> None:
    expected = min(normal, reduced) if approved and candidates < 10 else normal
    assert minimum_panel(level, org, candidates, approved) == expected  # type: ignore[arg-type]


def test_reduced_panel_figures() -> None:
    assert minimum_panel("senior", "series", 9, True) == 17
    assert minimum_panel("senior", "series", 10, True) == 25     # 10 candidates: not "fewer than 10"
    assert minimum_panel("senior", "series", 9, False) == 25     # not approved
    assert minimum_panel("intermediate", "series", 9, True) == 9
    assert minimum_panel("intermediate", "series", 10, True) == 13
    assert minimum_panel("senior", "specialty", 9, True) == 11   # reduced never raises it
    assert minimum_panel("intermediate", "specialty", 9, True) == 7
    assert minimum_panel("junior", "specialty", 3, True) == 5


@pytest.mark.parametrize(("level", "org", "normal", "reduced"), KINDS)
def test_minimum_at_and_around_the_boundary(level: str, org: str, normal: int, reduced: int) -> None:
    for size, ok in ((normal - 2, False), (normal - 1, False), (normal, True), (normal + 2, True)):
        got = check_minimum(size, level, org, 12, False)  # type: ignore[arg-type]
        assert (got == []) is ok, (size, got)
    low = min(normal, reduced)
    assert check_minimum(low, level, org, 9, True) == []  # type: ignore[arg-type]
    got = check_minimum(low - 1, level, org, 9, True)  # type: ignore[arg-type]
    assert [v.rule for v in got] == ["panel.minimum"]
    assert str(low - 1) in got[0].message and f"at least {low}" in got[0].message


def test_minimum_message_explains_the_reduced_panel() -> None:
    (v,) = check_minimum(15, "senior", "series", 9, True)
    assert "at least 17" in v.message and "reduced panel approved" in v.message
    (v,) = check_minimum(17, "senior", "series", 10, True)
    assert "at least 25" in v.message and "fewer than 10" in v.message
    (v,) = check_minimum(11, "intermediate", "series", 30, False)
    assert v.message.startswith("the panel has 11 experts")
    assert "series-based intermediate" in v.message and "at least 13" in v.message


@pytest.mark.parametrize("size", range(0, 30))
def test_odd(size: int) -> None:
    got = check_odd(size)
    if size % 2:
        assert got == []
    else:
        assert [v.rule for v in got] == ["panel.odd"]
        assert f"has {size} experts" in got[0].message


def test_check_panel_collects_both_rules() -> None:
    assert [v.rule for v in check_panel(12, "intermediate", "series", 20, False)] == [
        "panel.odd", "panel.minimum"]
    assert check_panel(13, "intermediate", "series", 20, False) == []
    assert [v.rule for v in check_panel(14, "intermediate", "series", 20, False)] == ["panel.odd"]
    assert [v.rule for v in check_panel(11, "intermediate", "series", 20, False)] == [
        "panel.minimum"]


def test_groups_need_three_experts() -> None:
    assert check_groups({"G1": 3, "G2": 7}) == []
    got = check_groups({"G2": 2, "G1": 3, "G0": 0})
    assert [v.rule for v in got] == ["group.minimum", "group.minimum"]
    assert "group G0 has 0 experts" in got[0].message and "at least 3" in got[0].message
    assert "group G2 has 2 experts" in got[1].message
    assert "1 expert;" in check_groups({"G": 1})[0].message
    assert check_groups({}) == []
