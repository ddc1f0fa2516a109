"""The plan's pass-rate caps: defaults with overrides, exact decimals, and what a plan may file."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.rules.levels import CAP_DIGITS, cap_decimal, plan_cap_problem, plan_caps

DEFAULTS = {"正高": Decimal("0.4"), "副高": Decimal("0.55"), "中级": Decimal("0.8")}


def test_a_plan_without_caps_gets_the_defaults() -> None:
    assert plan_caps({}) == plan_caps(None) == DEFAULTS          # 初级: no cap


def test_overrides_replace_their_level_only_and_may_cap_junior() -> None:
    got = plan_caps({"副高": "0.6", "初级": 0.5})
    assert got == {"正高": Decimal("0.4"), "副高": Decimal("0.6"), "中级": Decimal("0.8"), "初级": Decimal("0.5")}
    assert list(got) == ["正高", "副高", "中级", "初级"]          # level order, whatever the plan's order


@pytest.mark.parametrize(("value", "expected"), [
    ("0.55", Decimal("0.55")), (" 0.8 ", Decimal("0.8")), (0.58, Decimal("0.58")), (1, Decimal(1)),
    (Decimal("0.550"), Decimal("0.55")), (Fraction(11, 20), Decimal("0.55")), (0, Decimal(0)),
])
def test_cap_decimal_reads_the_number_as_written(value: object, expected: Decimal) -> None:
    assert cap_decimal(value) == expected


@pytest.mark.parametrize("value", [
    "abc", "55%", "", True, None, [0.5], 1.5, -0.1, float("nan"), float("inf"), Decimal("NaN"),
    "Infinity", Fraction(1, 3)])
def test_cap_decimal_refuses_what_is_not_a_share(value: object) -> None:
    with pytest.raises(ValueError):
        cap_decimal(value)


def test_plan_cap_problems_are_bilingual_and_name_the_level() -> None:
    assert plan_cap_problem("副高", "0.55") is None
    assert plan_cap_problem("初级", 1) is None
    for level, value in [("正高", "0"), ("副高", "1.5"), ("中级", "abc"), ("中级", float("nan")),
                         ("初级", "0." + "1" * (CAP_DIGITS + 1)), ("特级", "0.5")]:
        problem = plan_cap_problem(level, value)
        assert problem is not None and level in problem and level in problem.zh, (level, value)


@given(st.decimals(min_value=Decimal("1e-15"), max_value=1, places=15, allow_nan=False, allow_infinity=False))
def test_a_cap_a_plan_may_file_survives_the_record_file(share: Decimal) -> None:
    """The record file writes a cap as a JSON number (a double); the recount must read back the same cap."""
    assert plan_cap_problem("中级", str(share)) is None
    assert cap_decimal(float(cap_decimal(str(share)))) == share
