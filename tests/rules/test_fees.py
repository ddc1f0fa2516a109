"""Review fees and expert honoraria (X§19, Hunan defaults)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.errors import RuleViolation
from app.rules.fees import (
    HUNAN,
    Band,
    ExpertCategory,
    ExpertDay,
    FeeSettings,
    check_honorarium,
    honoraria_total,
    honorarium_band,
    money,
    review_fees,
)

NATIONAL, FULL, ASSOC, OTHER = (ExpertCategory.NATIONAL, ExpertCategory.FULL_SENIOR,
                                ExpertCategory.ASSOCIATE_SENIOR, ExpertCategory.OTHER)


def day(amount: str, category: ExpertCategory = OTHER, hours: str = "8") -> ExpertDay:
    return ExpertDay("E01", category, Decimal(hours), Decimal(amount))


# -- review fees -----------------------------------------------------------------


def test_hunan_review_fees_per_level() -> None:
    fees = review_fees(["正高", "副高", "中级", "初级"], interviews=2)
    assert dict(fees.candidates) == {"senior": 2, "intermediate": 1, "junior": 1}
    assert fees.review == Decimal(400 * 2 + 215 + 115)
    assert fees.recommendation == Decimal(30 * 2 + 15 + 10)
    assert fees.interview == Decimal(400)
    assert fees.total == Decimal(1130 + 400)
    assert fees.organiser == fees.total - fees.recommendation


def test_no_candidates_cost_nothing() -> None:
    fees = review_fees([])
    assert fees.total == 0 and fees.recommendation == 0


def test_unknown_level_and_impossible_interview_count_are_refused() -> None:
    with pytest.raises(RuleViolation) as info:
        review_fees(["高级"])
    assert info.value.rule == "fees.level"
    with pytest.raises(RuleViolation) as info:
        review_fees(["中级"], interviews=2)
    assert info.value.rule == "fees.count"


def test_settings_change_the_figures_and_are_checked() -> None:
    other = FeeSettings(interview_fee=Decimal("150"))
    assert review_fees(["中级"], interviews=1, settings=other).interview == Decimal(150)
    with pytest.raises(RuleViolation) as info:
        FeeSettings(recommendation_fee={"senior": Decimal(500), "intermediate": Decimal(15),
                                        "junior": Decimal(10)})
    assert info.value.rule == "fees.settings"
    with pytest.raises(RuleViolation):
        FeeSettings(bands={**HUNAN.bands, OTHER: Band(Decimal(900), Decimal(800))})


# -- honoraria bands -------------------------------------------------------------


@pytest.mark.parametrize(
    ("category", "low", "high"),
    [(NATIONAL, 2000, 4000), (FULL, 1200, 2000), (ASSOC, 800, 1200), (OTHER, 500, 800)],
)
def test_band_edges_are_inclusive(category: ExpertCategory, low: int, high: int) -> None:
    assert check_honorarium(day(str(low), category)) == []
    assert check_honorarium(day(str(high), category)) == []
    below = check_honorarium(day(str(Decimal(low) - Decimal("0.01")), category))
    above = check_honorarium(day(str(Decimal(high) + Decimal("0.01")), category))
    assert [v.rule for v in below + above] == ["fees.band", "fees.band"]
    assert f"{low}–{high}" in below[0].message and "E01" in below[0].message


@pytest.mark.parametrize(
    ("hours", "low", "high"),
    [("0.5", 250, 400), ("4", 250, 400),  # at most half a day: 50% of both edges
     ("4.5", 500, 800), ("8", 500, 800),  # a normal day, up to 8 hours
     ("8.5", 500, 1200), ("12", 500, 1200)],  # over 8 hours: the top edge +50%
)
def test_band_by_hours(hours: str, low: int, high: int) -> None:
    assert honorarium_band(OTHER, Decimal(hours)) == Band(Decimal(low), Decimal(high))


def test_half_day_and_long_day_edges() -> None:
    assert check_honorarium(day("400", OTHER, "4")) == []
    assert [v.rule for v in check_honorarium(day("400.01", OTHER, "4"))] == ["fees.band"]
    assert check_honorarium(day("1200", OTHER, "8.01")) == []
    assert [v.rule for v in check_honorarium(day("1200", OTHER, "8"))] == ["fees.band"]
    assert check_honorarium(day("6000", NATIONAL, "9")) == []
    assert [v.rule for v in check_honorarium(day("6000.01", NATIONAL, "9"))] == ["fees.band"]


@pytest.mark.parametrize("hours", ["0", "-1", "24.5", "NaN", "abc"])
def test_hours_outside_a_day_are_refused(hours: str) -> None:
    with pytest.raises(RuleViolation) as info:
        honorarium_band(OTHER, hours)
    assert info.value.rule == "fees.hours"


def test_bad_amounts_are_refused() -> None:
    for amount in ("-1", "600.001", "Infinity", "1e40"):
        assert [v.rule for v in check_honorarium(day(amount))] == ["fees.amount"]
    with pytest.raises(TypeError):
        money(600.0)  # type: ignore[arg-type]
    with pytest.raises(RuleViolation) as info:
        money("six hundred")
    assert info.value.rule == "fees.amount"


def test_unknown_category_is_refused() -> None:
    with pytest.raises(RuleViolation) as info:
        honorarium_band("院士", 8)  # type: ignore[arg-type]
    assert info.value.rule == "fees.category"


def test_total_lists_every_refused_day() -> None:
    days = [day("600"), day("1500", FULL), day("9000", NATIONAL), day("100")]
    with pytest.raises(RuleViolation) as info:
        honoraria_total(days)
    assert [v.rule for v in info.value.violations] == ["fees.band", "fees.band"]
    assert honoraria_total(days[:2]) == Decimal("2100")


@given(st.sampled_from(list(ExpertCategory)),
       st.decimals(min_value=Decimal("0.01"), max_value=24, places=2))
def test_allowed_pay_never_exceeds_150_percent_of_the_top(
    category: ExpertCategory, hours: Decimal
) -> None:
    band = honorarium_band(category, hours)
    base = HUNAN.bands[category]
    assert band.low <= band.high <= base.high * Decimal("1.5")
    assert band.low >= base.low * Decimal("0.5")
