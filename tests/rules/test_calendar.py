"""Working days: the bundled official calendar, user-entered years, publicity and filing dates."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.errors import RuleViolation
from app.rules.calendar import (
    PublicityDates,
    UnknownYear,
    UserYear,
    WorkCalendar,
    filing_due,
    load_calendar_file,
    plan_filed_in_time,
    publicity_dates,
)

D = dt.date

# 2027 as a user would enter it (a plausible notice; the values only need to be consistent).
Y2027 = UserYear(
    holidays=frozenset({D(2027, 1, 1), D(2027, 2, 8), D(2027, 2, 9), D(2027, 2, 10),
                        D(2027, 2, 11), D(2027, 2, 12)}),
    workdays=frozenset({D(2027, 2, 6), D(2027, 2, 20)}),
)


@pytest.fixture
def cal() -> WorkCalendar:
    return WorkCalendar()


# -- the bundled data: 2026 National Day (国庆节) with make-up days -------------------

def test_2026_national_day_holidays_and_make_up_weekend_days(cal: WorkCalendar) -> None:
    # 2026-10-01..07 off; Sunday 2026-09-20 and Saturday 2026-10-10 are worked (调休上班).
    assert D(2026, 9, 20).weekday() == 6 and cal.is_workday(D(2026, 9, 20))
    assert D(2026, 10, 10).weekday() == 5 and cal.is_workday(D(2026, 10, 10))
    for day in range(1, 8):
        assert not cal.is_workday(D(2026, 10, day)), day
    assert cal.is_workday(D(2026, 10, 8))          # Thursday, back at work
    assert not cal.is_workday(D(2026, 10, 11))     # an ordinary Sunday
    assert cal.is_workday(D(2026, 10, 12))


def test_add_workdays_skips_the_holiday_and_counts_the_make_up_saturday(cal: WorkCalendar) -> None:
    vote = D(2026, 9, 30)
    assert cal.add_workdays(vote, 1) == D(2026, 10, 8)
    assert cal.add_workdays(vote, 2) == D(2026, 10, 9)
    assert cal.add_workdays(vote, 3) == D(2026, 10, 10)   # the make-up Saturday
    assert cal.add_workdays(vote, 4) == D(2026, 10, 12)
    assert cal.add_workdays(vote, 0) == vote


def test_add_workdays_is_strictly_after_even_from_a_holiday(cal: WorkCalendar) -> None:
    assert cal.add_workdays(D(2026, 10, 3), 1) == D(2026, 10, 8)
    assert cal.add_workdays(D(2026, 11, 20), 1) == D(2026, 11, 23)   # Friday → Monday
    with pytest.raises(ValueError):
        cal.add_workdays(D(2026, 11, 20), -1)


def test_nth_workday_from_counts_a_working_start_day_as_day_one(cal: WorkCalendar) -> None:
    assert cal.nth_workday_from(D(2026, 11, 23), 1) == D(2026, 11, 23)
    assert cal.nth_workday_from(D(2026, 11, 23), 5) == D(2026, 11, 27)
    # a holiday start: day 1 is the next working day
    assert cal.nth_workday_from(D(2026, 10, 1), 1) == D(2026, 10, 8)
    assert cal.nth_workday_from(D(2026, 10, 1), 5) == D(2026, 10, 13)
    with pytest.raises(ValueError):
        cal.nth_workday_from(D(2026, 11, 23), 0)


# -- publicity (公示) and filing (备案) ---------------------------------------------------

def test_publicity_over_national_day(cal: WorkCalendar) -> None:
    dates = publicity_dates(cal, D(2026, 9, 30))
    assert dates == PublicityDates(D(2026, 10, 8), D(2026, 10, 10), D(2026, 10, 13))
    assert not dates.late
    # 15 working days after 2026-10-13: Oct 14-16, 19-23, 26-30, Nov 2-3
    assert filing_due(cal, dates.end) == D(2026, 11, 3)


def test_publicity_starting_on_the_make_up_saturday_is_on_time(cal: WorkCalendar) -> None:
    dates = publicity_dates(cal, D(2026, 9, 30), D(2026, 10, 10))
    assert not dates.late
    assert dates.end == D(2026, 10, 15)           # Sat 10, Mon 12, 13, 14, 15


def test_publicity_one_working_day_too_late(cal: WorkCalendar) -> None:
    dates = publicity_dates(cal, D(2026, 11, 20), D(2026, 11, 26))
    assert dates.start_by == D(2026, 11, 25)
    assert dates.late
    assert not publicity_dates(cal, D(2026, 11, 20), D(2026, 11, 25)).late


def test_publicity_starting_on_a_weekend_runs_from_the_next_working_day(cal: WorkCalendar) -> None:
    dates = publicity_dates(cal, D(2026, 11, 20), D(2026, 11, 22))   # a Sunday
    assert dates.end == D(2026, 11, 27)


def test_plan_filed_five_working_days_ahead(cal: WorkCalendar) -> None:
    filed = D(2026, 11, 2)                           # Monday
    assert plan_filed_in_time(cal, filed, D(2026, 11, 9))
    assert not plan_filed_in_time(cal, filed, D(2026, 11, 6))
    # over National Day: Sep 29, 30, Oct 8, 9 and the make-up Saturday Oct 10
    assert plan_filed_in_time(cal, D(2026, 9, 28), D(2026, 10, 10))
    assert not plan_filed_in_time(cal, D(2026, 9, 28), D(2026, 10, 9))


# -- years nobody knows, user years ---------------------------------------------------

def test_unknown_year_is_an_error_never_a_guess(cal: WorkCalendar) -> None:
    with pytest.raises(UnknownYear) as info:
        cal.is_workday(D(2027, 3, 3))
    assert info.value.year == 2027
    assert "2027" in str(info.value)
    with pytest.raises(UnknownYear):
        cal.is_workday(D(2003, 3, 3))
    # counting into an unknown year fails too
    with pytest.raises(UnknownYear):
        filing_due(cal, D(2026, 12, 20))
    assert 2026 in cal.known_years() and 2004 in cal.known_years()
    assert 2027 not in cal.known_years()


def test_user_entered_2027() -> None:
    cal = WorkCalendar({2027: Y2027})
    assert 2027 in cal.known_years()
    assert not cal.is_workday(D(2027, 1, 1))
    assert cal.is_workday(D(2027, 2, 6))           # a Saturday worked
    assert not cal.is_workday(D(2027, 2, 7))       # an ordinary Sunday
    assert not cal.is_workday(D(2027, 2, 10))
    assert cal.is_workday(D(2027, 2, 15))
    # counting across the year end works once 2027 is known
    assert cal.add_workdays(D(2026, 12, 31), 1) == D(2027, 1, 4)
    assert cal.add_workdays(D(2027, 2, 5), 2) == D(2027, 2, 15)


def test_user_year_overrides_bundled_data() -> None:
    cal = WorkCalendar({2026: UserYear(frozenset(), frozenset())})
    assert cal.is_workday(D(2026, 10, 1))         # no holidays entered for 2026 any more
    assert not cal.is_workday(D(2026, 10, 10))


def test_user_year_inconsistent_data_is_refused() -> None:
    with pytest.raises(RuleViolation) as info:
        WorkCalendar({2027: UserYear(frozenset({D(2028, 1, 3)}), frozenset({D(2027, 2, 8)}))})
    text = " ".join(v.message for v in info.value.violations)
    assert "not in 2027" in text and "Monday" in text


@given(st.dates(D(2004, 1, 1), D(2026, 11, 1)), st.integers(0, 30))
def test_add_workdays_lands_on_a_working_day_and_counts_exactly(day: dt.date, n: int) -> None:
    cal = WorkCalendar()
    end = cal.add_workdays(day, n)
    between = [day + dt.timedelta(i) for i in range(1, (end - day).days + 1)]
    assert sum(cal.is_workday(d) for d in between) == n
    if n:
        assert cal.is_workday(end)


# -- the calendar file ----------------------------------------------------------------

def _write(tmp_path: Path, doc: object) -> Path:
    path = tmp_path / "cal.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def test_load_calendar_file(tmp_path: Path) -> None:
    path = _write(tmp_path, {"format": "conclave-calendar/1", "years": {"2027": {
        "holidays": sorted(d.isoformat() for d in Y2027.holidays),
        "workdays": sorted(d.isoformat() for d in Y2027.workdays)}}})
    cal = load_calendar_file(path)
    assert cal.is_workday(D(2027, 2, 6)) and not cal.is_workday(D(2027, 2, 8))


@pytest.mark.parametrize(("doc", "rule", "fragment"), [
    ({"format": "conclave-calendar/2", "years": {}}, "format.version", "conclave-calendar/1"),
    ({"format": "conclave-calendar/1"}, "format.missing_field", "years"),
    ({"format": "conclave-calendar/1", "years": {}, "x": 1}, "format.unknown_field", "'x'"),
    ({"format": "conclave-calendar/1", "years": {"27": {"holidays": [], "workdays": []}}},
     "format.value", "four digits"),
    ({"format": "conclave-calendar/1", "years": {"2027": {"holidays": ["2027-13-01"],
                                                           "workdays": []}}},
     "format.value", "years.2027.holidays[0]"),
    ({"format": "conclave-calendar/1", "years": {"2027": {"holidays": [], "workdays":
                                                           ["2027-02-08"]}}},
     "format.value", "Monday"),
    ({"format": "conclave-calendar/1", "years": {"2027": {"holidays": ["2027-01-01",
                                                                       "2027-01-01"],
                                                           "workdays": []}}},
     "format.value", "listed twice"),
    ({"format": "conclave-calendar/1", "years": {"2027": {"holidays": ["2026-01-01"],
                                                           "workdays": []}}},
     "format.value", "not in 2027"),
    ({"format": "conclave-calendar/1", "years": {"2027": {"holidays": []}}},
     "format.missing_field", "workdays"),
    ([], "format.value", "must be an object"),
])
def test_bad_calendar_files(tmp_path: Path, doc: object, rule: str, fragment: str) -> None:
    with pytest.raises(RuleViolation) as info:
        load_calendar_file(_write(tmp_path, doc))
    assert info.value.rule == rule
    assert fragment in info.value.violations[0].message
    assert "cal.json" in info.value.violations[0].message


def test_missing_and_broken_calendar_files(tmp_path: Path) -> None:
    with pytest.raises(RuleViolation, match="not found"):
        load_calendar_file(tmp_path / "nope.json")
    broken = tmp_path / "broken.json"
    broken.write_text("{", encoding="utf-8")
    with pytest.raises(RuleViolation, match="not valid JSON"):
        load_calendar_file(broken)
