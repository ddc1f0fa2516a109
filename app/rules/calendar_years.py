"""Where each year's working days come from, and a year described for the people who check it.

A meeting database may hold years entered by the user from the State Council notice
(国务院办公厅关于部分节假日安排的通知), and one run may be given more years in a
``conclave-calendar/1`` file (``--calendar FILE``). :class:`LayeredCalendar` answers
from, in order of precedence:

1. the years given for this run (a file named on the command line, never stored);
2. the years stored in the meeting database (entered, audited, archived with it);
3. the bundled ``chinese_calendar`` data.

A year entered replaces the whole of that year below it, as :mod:`app.rules.calendar`
allows for user years. Nothing here reads a file or a database: the services hand the
stored years in, and hand them in again whenever they change.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import chinese_calendar

from app.errors import Violation
from app.rules.calendar import (
    CALENDAR_FORMAT,
    PublicityDates,
    UnknownYear,
    UserYear,
    WorkCalendar,
    bundled_years,
    filing_due,
    publicity_dates,
)
from app.text import Bilingual, bi

Source = Literal["run", "stored", "bundled"]

#: Festival names of the bundled data, in both languages.
FESTIVALS: dict[str, Bilingual] = {
    "New Year's Day": bi("New Year's Day", "元旦"),
    "Spring Festival": bi("Spring Festival", "春节"),
    "Tomb-sweeping Day": bi("Qingming Festival", "清明节"),
    "Labour Day": bi("Labour Day", "劳动节"),
    "Dragon Boat Festival": bi("Dragon Boat Festival", "端午节"),
    "Mid-autumn Festival": bi("Mid-Autumn Festival", "中秋节"),
    "National Day": bi("National Day", "国庆节"),
}


class LayeredCalendar(WorkCalendar):
    """The bundled calendar, under the years stored in a meeting database, under the years
    given for one run. :meth:`set_stored` replaces the stored layer after a change."""

    def __init__(self, run: Mapping[int, UserYear] | None = None,
                 stored: Mapping[int, UserYear] | None = None) -> None:
        self._run: dict[int, UserYear] = dict(run or {})
        self._stored: dict[int, UserYear] = dict(stored or {})
        super().__init__({**self._stored, **self._run})

    def set_stored(self, stored: Mapping[int, UserYear]) -> None:
        """The years the database holds now (checked like any user year)."""
        merged = WorkCalendar({**stored, **self._run})      # refuses an unusable year, changes nothing then
        self._stored = dict(stored)
        self._user = merged.user_years()

    def source(self, year: int) -> Source | None:
        """Which layer answers for ``year``; None when nobody knows it."""
        if year in self._run:
            return "run"
        if year in self._stored:
            return "stored"
        if year in bundled_years():
            return "bundled"
        return None

    def run_years(self) -> dict[int, UserYear]:
        return dict(self._run)

    def stored_years(self) -> dict[int, UserYear]:
        return dict(self._stored)


def bundled_span() -> tuple[int, int] | None:
    """The first and last year of the bundled data."""
    years = bundled_years()
    return (min(years), max(years)) if years else None


@dataclass(frozen=True)
class YearDays:
    """One year as the calendar answers for it: its days off and make-up working days.

    ``holidays`` are the days off as listed — a user's periods may include the weekend days
    inside them, and the bundled data's named festival days include them too. ``names``
    gives the festival of a bundled day off.
    """

    year: int
    source: Source | None
    holidays: tuple[dt.date, ...] = ()
    workdays: tuple[dt.date, ...] = ()
    names: Mapping[dt.date, Bilingual] = field(default_factory=dict)

    @property
    def known(self) -> bool:
        return self.source is not None

    @property
    def weekdays_off(self) -> int:
        """Monday-to-Friday days off: what a holiday changes."""
        return sum(1 for d in self.holidays if d.weekday() < 5)

    @property
    def working_days(self) -> int:
        """Working days in the year: Mondays to Fridays, less the days off, plus the make-up days."""
        start, end = dt.date(self.year, 1, 1), dt.date(self.year, 12, 31)
        weekdays = sum(1 for i in range((end - start).days + 1) if (start + dt.timedelta(i)).weekday() < 5)
        return weekdays - self.weekdays_off + len(self.workdays)


def year_days(cal: LayeredCalendar, year: int) -> YearDays:
    """What ``cal`` knows of ``year`` (an unknown year: no days, source None)."""
    source = cal.source(year)
    if source == "run":
        data = cal.run_years()[year]
    elif source == "stored":
        data = cal.stored_years()[year]
    elif source == "bundled":
        return _bundled(year)
    else:
        return YearDays(year, None)
    return YearDays(year, source, tuple(sorted(data.holidays)), tuple(sorted(data.workdays)))


def _bundled(year: int) -> YearDays:
    holidays: list[dt.date] = []
    workdays: list[dt.date] = []
    names: dict[dt.date, Bilingual] = {}
    day = dt.date(year, 1, 1)
    while day.year == year:
        working = chinese_calendar.is_workday(day)
        _on_holiday, name = chinese_calendar.get_holiday_detail(day)
        if not working and (name or day.weekday() < 5):
            holidays.append(day)
            if name:
                names[day] = FESTIVALS.get(name, bi(name, name))
        elif working and day.weekday() >= 5:
            workdays.append(day)
        day += dt.timedelta(days=1)
    return YearDays(year, "bundled", tuple(holidays), tuple(workdays), names)


def day_ranges(days: Iterable[dt.date]) -> list[tuple[dt.date, dt.date]]:
    """Consecutive days joined into periods (first, last), as an official notice lists them."""
    out: list[tuple[dt.date, dt.date]] = []
    for day in sorted(set(days)):
        if out and day - out[-1][1] == dt.timedelta(days=1):
            out[-1] = (out[-1][0], day)
        else:
            out.append((day, day))
    return out


def days_between(first: dt.date, last: dt.date) -> list[dt.date]:
    """Every day of the period ``first``–``last`` (both included)."""
    if last < first:
        first, last = last, first
    return [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]


_UNKNOWN = re.compile(r"working days of (\d{4}) are not known")


def unknown_year_in(message: str) -> int | None:
    """The year a ``calendar.unknown_year`` message names (its English says
    "the working days of YYYY are not known"), else None."""
    match = _UNKNOWN.search(str(message))
    return int(match.group(1)) if match else None


def calendar_document(years: Mapping[int, UserYear]) -> dict[str, Any]:
    """User years as a ``conclave-calendar/1`` document (for ``conclave recount --calendar``)."""
    return {"format": CALENDAR_FORMAT, "years": {
        str(year): {"holidays": [d.isoformat() for d in sorted(data.holidays)],
                    "workdays": [d.isoformat() for d in sorted(data.workdays)]}
        for year, data in sorted(years.items())}}


@dataclass(frozen=True)
class Deadlines:
    """The publicity period (公示) and filing deadline (备案) of a vote, as far as the calendar
    knows them: a date whose year nobody entered is None, and ``missing_year`` names that year."""

    publicity: PublicityDates | None
    filing_due: dt.date | None
    missing_year: int | None = None


def deadlines(cal: WorkCalendar, vote: dt.date, start: dt.date | None = None) -> Deadlines:
    """Publicity and filing dates for a vote; what an unknown year prevents is left out, never guessed."""
    try:
        dates = publicity_dates(cal, vote, start)
    except UnknownYear as exc:
        return Deadlines(None, None, exc.year)
    try:
        return Deadlines(dates, filing_due(cal, dates.end))
    except UnknownYear as exc:
        return Deadlines(dates, None, exc.year)


def unknown_year_violation(year: int, db_path: Path | str | None, what: Bilingual | None = None) -> Violation:
    """``calendar.unknown_year``: which year is missing, and where to enter it. ``what`` says
    which date needs it (e.g. the filing deadline); the English always contains
    "the working days of YYYY are not known" (:func:`~app.rules.calendar_years.unknown_year_in`)."""
    db = f" --db {db_path}" if db_path else " --db PATH"
    span = bundled_span()
    bundled = f"{span[0]}–{span[1]}" if span else "none"
    head_en = f"{what}: " if what else ""
    head_zh = f"{what.zh}：" if what else ""
    return Violation("calendar.unknown_year", bi(
        f"{head_en}the working days of {year} are not known (bundled calendar: {bundled}); enter {year}'s "
        f"holidays and make-up working days from the State Council notice in the calendar (the Working-day "
        f"calendar window, or: conclave calendar import FILE{db}) — they are never guessed",
        f"{head_zh}请在日历中录入{year}年节假日和调休上班日（以国务院办公厅通知为准；内置日历涵盖{bundled}年）："
        f"在“工作日历”窗口中录入，或运行 conclave calendar import 日历文件{db}。系统不会推测{year}年的工作日"))


def missing_calendar(found: Deadlines, db_path: Path | str | None) -> Violation | None:
    """The refusal for what ``found`` lacks (``calendar.unknown_year``), or None when complete."""
    if found.missing_year is None:
        return None
    what = (bi("the filing deadline (备案)", "备案截止日期") if found.publicity is not None
            else bi("the publicity period (公示)", "公示期"))
    return unknown_year_violation(found.missing_year, db_path, what)
