"""Working days (工作日) for publicity, filing and plan deadlines.

Every deadline of the review counts *working days* of the official Chinese calendar,
make-up Saturdays and Sundays (调休上班) included and statutory holidays (法定节假日)
excluded. The bundled data come from the ``chinese_calendar`` package, which knows
a fixed range of years (2004–2026 at the time of writing). Any other year must be
entered by the user from the State Council notice; it is never guessed, because a
wrong guess would move a legal deadline. Asking about an unknown year raises
:class:`UnknownYear`, which the services turn into the rule ``calendar.unknown_year``.

User-entered years replace the bundled data for that whole year, so a correction to
the bundled data is possible too.

Calendar file, ``"format": "conclave-calendar/1"`` (``conclave recount --calendar``)::

    {
      "format": "conclave-calendar/1",
      "years": {
        "2027": {"holidays": ["2027-01-01", ...], "workdays": ["2027-02-06", ...]}
      }
    }

- ``years`` maps a four-digit year to that year's data; both lists are required
  (write ``[]`` when empty) and every date must fall in that year.
- ``holidays``: days off (休息日) that would otherwise be working days. Weekend days
  inside a holiday period may be listed too (official notices list whole periods);
  they change nothing.
- ``workdays``: make-up working days (调休上班); each must be a Saturday or a Sunday,
  since listing a Monday to Friday is always a slip of the pen.
- A date may not be in both lists nor twice in one.

Errors are :class:`~app.errors.Violation` objects with the ``format.*`` rule ids.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import chinese_calendar

from app.errors import RuleViolation, Violation
from app.formats import Reader, iso_date, load_json
from app.text import Bilingual, bi, in_chinese

CALENDAR_FORMAT = "conclave-calendar/1"

_WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
WEEKDAYS_ZH = ("星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日")


class UnknownYear(Exception):
    """Working days of ``year`` are known neither from the bundled data nor from the user."""

    def __init__(self, year: int) -> None:
        self.year = year
        #: The message in both languages; ``str(exc)`` is its English.
        self.message = bi(
            f"the working days of {year} are not known (bundled calendar: {_bundled_span()}); "
            f"enter {year}'s holidays and make-up working days (调休) first",
            f"工作日历中没有{year}年的数据（系统自带{_bundled_span()}年）；请先按国务院办公厅通知"
            f"录入{year}年的节假日和调休上班日",
        )
        super().__init__(self.message)


@dataclass(frozen=True)
class UserYear:
    """One year entered by the user from the official notice.

    ``holidays`` are the weekdays off (法定节假日 and 调休休息); ``workdays`` are the
    weekend days worked to make up for them (调休上班).
    """

    holidays: frozenset[dt.date]
    workdays: frozenset[dt.date]


def user_year_problems(year: int, data: UserYear) -> list[Bilingual]:
    """Say what is wrong with a user-entered year, naming the field; empty when it is usable."""
    problems: list[Bilingual] = []
    for kind, kind_zh, days in (("holidays", "放假日期", data.holidays), ("workdays", "调休上班日", data.workdays)):
        for day in sorted(days):
            if day.year != year:
                problems.append(bi(f"{kind}: {day.isoformat()} is not in {year}",
                                   f"{kind_zh}（{kind}）：{day.isoformat()}不在{year}年内"))
    for day in sorted(data.workdays):
        if day.weekday() < 5 and day.year == year:
            problems.append(bi(
                f"workdays: {day.isoformat()} is a {_WEEKDAY_NAMES[day.weekday()]}; "
                "only a Saturday or Sunday can be a make-up working day (调休上班)",
                f"调休上班日（workdays）：{day.isoformat()}是{WEEKDAYS_ZH[day.weekday()]}，"
                "只有星期六或星期日才能作为调休上班日"))
    for day in sorted(data.holidays & data.workdays):
        problems.append(bi(f"{day.isoformat()} is listed both as a holiday and as a working day",
                           f"{day.isoformat()}同时列为放假日期和调休上班日"))
    return problems


class WorkCalendar:
    """Answers "is this a working day?" and counts working days, never guessing a year."""

    def __init__(self, user_years: Mapping[int, UserYear] | None = None) -> None:
        self._user: dict[int, UserYear] = dict(user_years or {})
        bad = [
            Violation("format.value", bi(f"calendar year {year}: {problem}", f"{year}年日历：{problem.zh}"))
            for year, data in sorted(self._user.items())
            for problem in user_year_problems(year, data)
        ]
        if bad:
            raise RuleViolation(bad)

    def user_years(self) -> dict[int, UserYear]:
        """The years entered by the user (a copy): they replace the bundled data of their year."""
        return dict(self._user)

    def known_years(self) -> frozenset[int]:
        """Every year this calendar can answer for: bundled ones and user-entered ones."""
        return _bundled_years() | frozenset(self._user)

    def is_workday(self, day: dt.date) -> bool:
        """True on a working day; raises :class:`UnknownYear` for a year nobody knows."""
        user = self._user.get(day.year)
        if user is not None:
            if day in user.workdays:
                return True
            return day.weekday() < 5 and day not in user.holidays
        if day.year not in _bundled_years():
            raise UnknownYear(day.year)
        return _bundled_workday(day)

    def add_workdays(self, day: dt.date, n: int) -> dt.date:
        """The ``n``-th working day strictly after ``day`` (``n == 0`` gives ``day`` itself).

        "Within 3 working days of the vote" is ``add_workdays(vote, 3)``: the day of
        the vote never counts, whether or not it is a working day.
        """
        if n < 0:
            raise ValueError(f"n must be >= 0, got {n}")
        current = day
        while n > 0:
            current = _next_day(current)
            if self.is_workday(current):
                n -= 1
        return current

    def nth_workday_from(self, day: dt.date, n: int) -> dt.date:
        """The ``n``-th working day counting ``day`` as day 1 when it is a working day.

        When ``day`` is not a working day the count starts on the next working day;
        this is how a period "of 5 working days starting on day X" runs.
        """
        if n < 1:
            raise ValueError(f"n must be >= 1, got {n}")
        if self.is_workday(day):
            return self.add_workdays(day, n - 1)
        return self.add_workdays(day, n)


def _next_day(day: dt.date) -> dt.date:
    try:
        return day + dt.timedelta(days=1)
    except OverflowError:  # past 9999-12-31: a year nobody can know
        raise UnknownYear(day.year + 1) from None


@cache
def _bundled_years() -> frozenset[int]:
    """Years the bundled ``chinese_calendar`` data cover, found by asking it (no private API)."""
    years: set[int] = set()
    for year in range(1900, 2201):
        try:
            chinese_calendar.is_workday(dt.date(year, 1, 1))
        except NotImplementedError:
            continue
        years.add(year)
    return frozenset(years)


@cache
def _bundled_workday(day: dt.date) -> bool:
    """``chinese_calendar.is_workday``, asked once per day: it finds its first and last year
    (``min``/``max`` over every holiday it knows) on each call, ~80 µs, and counting a
    publicity period or a deadline asks about every day of it. The data are constant; at most
    the bundled years' eight thousand days are kept."""
    return bool(chinese_calendar.is_workday(day))


def bundled_years() -> frozenset[int]:
    """The years the bundled data know."""
    return _bundled_years()


def _bundled_span() -> str:
    years = _bundled_years()
    return f"{min(years)}–{max(years)}" if years else "none"


# -- publicity (公示) and filing (备案) ----------------------------------------------


@dataclass(frozen=True)
class PublicityDates:
    """The publicity period of the results (结果公示), X§10(十) and X§14.

    ``start_by`` is the last allowed start (3rd working day after the vote); ``end``
    is the 5th working day of publicity counting ``start`` as day 1.
    """

    start: dt.date
    start_by: dt.date
    end: dt.date

    @property
    def late(self) -> bool:
        """Publicity started after the deadline (rule ``publicity.late``)."""
        return self.start > self.start_by


def publicity_dates(
    cal: WorkCalendar, vote_date: dt.date, start: dt.date | None = None
) -> PublicityDates:
    """Publicity dates for a vote; ``start`` defaults to the first working day after the vote."""
    start_by = cal.add_workdays(vote_date, 3)
    if start is None:
        start = cal.add_workdays(vote_date, 1)
    return PublicityDates(start=start, start_by=start_by, end=cal.nth_workday_from(start, 5))


def filing_due(cal: WorkCalendar, publicity_end: dt.date) -> dt.date:
    """Last day for filing the results (备案): 15th working day after publicity ends, X§11."""
    return cal.add_workdays(publicity_end, 15)


def plan_filed_in_time(cal: WorkCalendar, filed: dt.date, meeting: dt.date) -> bool:
    """Whether the annual plan (年度评审方案) was filed at least 5 working days ahead, X§7.

    Reading chosen: the meeting may take place on the 5th working day after the
    filing day or later (``meeting >= add_workdays(filed, 5)``); the filing day
    itself does not count. Filed on Monday 2026-11-02 → meeting from Monday 2026-11-09.
    """
    return meeting >= cal.add_workdays(filed, 5)


# -- the calendar file ------------------------------------------------------------

_YEAR_KEY = re.compile(r"[0-9]{4}")


def read_calendar(doc: Any, r: Reader) -> WorkCalendar | None:
    """Read a parsed ``conclave-calendar/1`` document; violations go to ``r``."""
    if isinstance(doc, dict) and "format" in doc and doc["format"] != CALENDAR_FORMAT:
        r.error("format.version",
                f"format: expected {CALENDAR_FORMAT!r}, got {_short(doc['format'])}")
        return None
    top = r.object(doc, "", required={"format": str, "years": dict})
    if top is None or top.get("years") is None:
        return None
    years: dict[int, UserYear] = {}
    for key, value in top["years"].items():
        path = f"years.{key}"
        if not _YEAR_KEY.fullmatch(key) or int(key) < 1:
            r.bad_value(path, f"a year must be written with four digits, got {_short(key)}")
            continue
        data = r.object(value, path, required={"holidays": _date_list, "workdays": _date_list})
        if data is None or data.get("holidays") is None or data.get("workdays") is None:
            continue
        year = UserYear(frozenset(data["holidays"]), frozenset(data["workdays"]))
        problems = user_year_problems(int(key), year)
        for problem in problems:
            r.error("format.value", bi(f"{path}: {problem}", f"{path}：{problem.zh}"))
        if not problems:
            years[int(key)] = year
    if r.errors:
        return None
    return WorkCalendar(years)


def load_calendar_file(path: str | Path) -> WorkCalendar:
    """Load a calendar file; raises :class:`RuleViolation` listing every problem in it."""
    r = Reader()
    try:
        doc = load_json(Path(path), r)
    except ValueError as exc:  # e.g. a number too long to convert, a NUL in the path
        r.bad_value(str(path), f"cannot be read: {exc}")
        doc = None
    cal = read_calendar(doc, r) if not r.errors else None
    if cal is None or r.errors:
        errors = r.errors or [Violation("format.value", "the file holds no usable calendar")]
        raise RuleViolation([Violation(v.rule, bi(f"calendar {path}: {v.message}",
                                                  f"日历文件 {path} 有误：{in_chinese(v.message)}"))
                             for v in errors])
    return cal


def _date_list(r: Reader, path: str, value: Any) -> list[dt.date] | None:
    items = r.list_of(value, path, iso_date)
    if items is None or any(d is None for d in items):
        return None
    seen: set[dt.date] = set()
    for i, day in enumerate(items):
        if day in seen:
            r.bad_value(f"{path}[{i}]", f"{day.isoformat()} is listed twice")
        seen.add(day)
    return items


def _short(value: Any) -> str:
    huge = isinstance(value, int | float) and abs(value) >= 1e12
    text = "a huge number" if huge else repr(value)
    return text if len(text) <= 60 else text[:57] + "..."
