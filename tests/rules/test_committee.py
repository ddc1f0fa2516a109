"""Admissibility of a meeting (备案有效期, 方案报备) and of an intermediate committee's pool."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.errors import Violation
from app.rules.calendar import WorkCalendar
from app.rules.committee import (
    PoolMember,
    add_years,
    check_filing,
    check_meeting,
    check_plan_filed,
    check_pool,
    filing_last_day,
    senior_intermediate_allowed,
)

D = dt.date


class MondayToFriday:
    """A calendar without holidays: enough to pin the counting rule itself."""

    def add_workdays(self, d: dt.date, n: int) -> dt.date:
        while n > 0:
            d += dt.timedelta(days=1)
            if d.weekday() < 5:
                n -= 1
        return d


WEEKDAYS = MondayToFriday()


def rules(violations: list[Violation]) -> list[str]:
    return [v.rule for v in violations]


# -- the committee's filing (核准备案), 3 years --------------------------------------


def test_add_years_corresponding_day_and_29_february() -> None:
    assert add_years(D(2023, 5, 10), 3) == D(2026, 5, 10)
    assert add_years(D(2024, 2, 29), 3) == D(2027, 2, 28)
    assert add_years(D(2024, 2, 29), 4) == D(2028, 2, 29)


@pytest.mark.parametrize(
    ("meeting", "expected"),
    [
        (D(2023, 5, 10), []),  # the filing day itself
        (D(2026, 5, 9), []),
        (D(2026, 5, 10), []),  # exactly 3 years: the last valid day
        (D(2026, 5, 11), ["committee.filing_lapsed"]),
        (D(2023, 5, 9), ["committee.not_filed"]),
    ],
)
def test_filing_valid_three_years_inclusive_of_the_anniversary(
    meeting: dt.date, expected: list[str]
) -> None:
    assert rules(check_filing(D(2023, 5, 10), meeting)) == expected


def test_filing_of_29_february_ends_on_28_february() -> None:
    assert filing_last_day(D(2024, 2, 29)) == D(2027, 2, 28)
    assert check_filing(D(2024, 2, 29), D(2027, 2, 28)) == []
    [v] = check_filing(D(2024, 2, 29), D(2027, 3, 1))
    assert v.rule == "committee.filing_lapsed"
    assert "2024-02-29" in v.message and "2027-02-28" in v.message and "2027-03-01" in v.message


def test_an_end_date_stated_in_the_approval_wins() -> None:
    assert rules(check_filing(D(2023, 5, 10), D(2025, 12, 31), valid_until=D(2025, 12, 31))) == []
    lapsed = check_filing(D(2023, 5, 10), D(2026, 1, 1), valid_until=D(2025, 12, 31))
    assert rules(lapsed) == ["committee.filing_lapsed"] and "as approved" in lapsed[0].message


@given(st.dates(D(2000, 1, 1), D(2090, 12, 31)))
def test_filing_valid_until_the_last_day_only(filed: dt.date) -> None:
    last = filing_last_day(filed)
    assert (last - filed).days in (1095, 1096)  # 3 years of 365 days, one of them leap or not
    assert check_filing(filed, last) == []
    assert rules(check_filing(filed, last + dt.timedelta(days=1))) == ["committee.filing_lapsed"]


# -- the year's plan (年度评审方案), 5 working days ahead ---------------------------


@pytest.mark.parametrize(
    ("meeting", "late"),
    [
        (D(2026, 11, 13), True),  # Friday: 4 working days after Monday's filing
        (D(2026, 11, 14), True),  # Saturday: still 4
        (D(2026, 11, 16), False),  # Monday: the 5th working day
        (D(2026, 11, 17), False),
    ],
)
def test_plan_filed_five_working_days_ahead(meeting: dt.date, late: bool) -> None:
    found = check_plan_filed(D(2026, 11, 9), meeting, WEEKDAYS)
    assert rules(found) == (["plan.filed_late"] if late else [])


def test_plan_filed_late_message_gives_the_numbers() -> None:
    [v] = check_plan_filed(D(2026, 11, 9), D(2026, 11, 13), WEEKDAYS)
    assert "filed on 2026-11-09, 4 working days before the meeting on 2026-11-13" in v.message
    assert "5 are required" in v.message and "2026-11-16 at the earliest" in v.message
    [after] = check_plan_filed(D(2026, 11, 20), D(2026, 11, 13), WEEKDAYS)
    assert "0 working days" in after.message


def test_plan_deadline_with_the_real_calendar_and_make_up_saturday() -> None:
    """Filed Tue 2026-09-29; National Day off 10-01..07; Sat 10-10 is a make-up working day."""
    cal = WorkCalendar()
    filed = D(2026, 9, 29)
    assert rules(check_plan_filed(filed, D(2026, 10, 10), cal)) == ["plan.filed_late"]  # 4th
    assert rules(check_plan_filed(filed, D(2026, 10, 11), cal)) == ["plan.filed_late"]  # Sunday
    assert check_plan_filed(filed, D(2026, 10, 12), cal) == []  # 5th working day


def test_check_meeting_reports_both_filings() -> None:
    found = check_meeting(filed_on=D(2020, 1, 2), plan_filed_on=D(2026, 11, 12),
                          meeting_date=D(2026, 11, 13), calendar=WEEKDAYS)
    assert rules(found) == ["committee.filing_lapsed", "plan.filed_late"]
    ok = check_meeting(filed_on=D(2024, 1, 2), plan_filed_on=D(2026, 11, 6),
                       meeting_date=D(2026, 11, 13), calendar=WEEKDAYS)
    assert ok == []


# -- the pool of an intermediate committee (X§6) -----------------------------------


def member(i: int, title: str = "正高", years: int = 5, **terms: dt.date) -> PoolMember:
    return PoolMember(id=f"P{i:03d}", name=f"专家{i}", title=title, title_years=years, **terms)


def members(n: int, start: int = 1) -> list[PoolMember]:
    return [member(i) for i in range(start, start + n)]


@pytest.mark.parametrize(("size", "expected"), [(29, ["pool.minimum"]), (30, [])])
def test_pool_minimum_30(size: int, expected: list[str]) -> None:
    found = check_pool(members(size), level="intermediate")
    assert rules(found) == expected
    if found:
        assert "holds 29 experts" in found[0].message and "at least 30" in found[0].message
    assert check_pool(members(size), level="senior") == []


@pytest.mark.parametrize(
    ("title", "years", "ok"),
    [("正高", 0, True), ("副高", 3, True), ("副高", 2, False), ("初级", 10, False)],
)
def test_pool_title(title: str, years: int, ok: bool) -> None:
    found = check_pool([*members(29), member(99, title, years)], level="intermediate")
    assert rules(found) == ([] if ok else ["pool.title"])
    if not ok:
        assert "P099 专家99" in found[0].message


def test_associate_senior_message_gives_the_years() -> None:
    [v] = check_pool([*members(29), member(99, "副高", 2)], level="intermediate")
    assert "副高 for 2 years" in v.message and "at least 3 years" in v.message


def test_senior_intermediate_needs_approval() -> None:
    pool = [*members(29), member(99, "中级", 10)]
    [v] = check_pool(pool, level="intermediate")
    assert v.rule == "pool.senior_intermediate" and "P099 专家99" in v.message
    assert check_pool(pool, level="intermediate", senior_intermediate_approved=True) == []


@pytest.mark.parametrize(
    ("total", "intermediate", "ok"),
    [(30, 7, True), (30, 8, False), (32, 8, True), (31, 8, False), (36, 9, True)],
)
def test_senior_intermediate_at_most_a_quarter(total: int, intermediate: int, ok: bool) -> None:
    pool = members(total - intermediate) + [member(100 + i, "中级") for i in range(intermediate)]
    found = check_pool(pool, level="intermediate", senior_intermediate_approved=True)
    assert rules(found) == ([] if ok else ["pool.senior_intermediate"])
    if not ok:
        assert f"{intermediate} of {total} pool experts" in found[0].message
        assert f"at most {total // 4}" in found[0].message


def test_term_at_most_three_years() -> None:
    start = D(2023, 5, 10)
    ok = member(1, term_start=start, term_end=D(2026, 5, 10))
    long = member(2, term_start=start, term_end=D(2026, 5, 11))
    backwards = member(3, term_start=start, term_end=D(2023, 5, 9))
    open_ended = member(4, term_start=start)
    found = check_pool([ok, long, backwards, open_ended], level="senior")
    assert rules(found) == ["pool.term", "pool.term"]
    assert "P002" in found[0].message and "longer than 3 years" in found[0].message
    assert "P003" in found[1].message


def test_term_must_be_running_on_the_day() -> None:
    m = member(1, term_start=D(2023, 5, 10))  # ends 2026-05-10 at the latest
    assert check_pool([m], level="junior", on=D(2026, 5, 10)) == []
    [v] = check_pool([m], level="junior", on=D(2026, 5, 11))
    assert v.rule == "pool.term" and "re-appointed" in v.message
    assert rules(check_pool([m], level="junior", on=D(2023, 5, 9))) == ["pool.term"]


def test_senior_intermediate_approval_is_recorded_per_expert() -> None:
    pool = [*members(27), member(97, "中级", 10), member(98, "中级", 10), member(99, "中级", 10)]
    approved = [dataclasses.replace(m, approved=m.id != "P099") for m in pool]
    [v] = check_pool(approved, level="intermediate")
    assert v.rule == "pool.senior_intermediate" and "P099 专家99" in v.message and "P098" not in v.message
    assert "人力资源和社会保障部门" in v.message.zh  # type: ignore[attr-defined]
    assert check_pool([dataclasses.replace(m, approved=True) for m in pool], level="intermediate") == []
    assert senior_intermediate_allowed(30) == 7 and senior_intermediate_allowed(53) == 13
