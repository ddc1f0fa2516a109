"""The working-day calendar of a meeting database: years entered by the user (工作日历录入).

The bundled calendar stops at a fixed year; the State Council publishes next year's
holidays in November, and any meeting voting after about 1 December needs them for its
filing deadline. :class:`CalendarService` stores such a year — typed from the notice or
loaded from a ``conclave-calendar/1`` file — in the meeting database, one audited call per
entry (who, which year, its days off and make-up working days, typed or from which file),
so it is archived with the database. The :class:`~app.rules.calendar_years.LayeredCalendar`
the other services count on is told of every change at once.

:func:`~app.rules.calendar_years.unknown_year_violation` is the one refusal for a year nobody
entered: it names the year and says where to enter it, in the window and on the command line.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable
from pathlib import Path

from sqlalchemy import delete, insert, select

from app.errors import RuleViolation, Violation
from app.rules.calendar import UserYear, bundled_years, load_calendar_file, user_year_problems
from app.rules.calendar_years import LayeredCalendar, unknown_year_violation
from app.storage.schema import calendar_year
from app.storage.store import Store
from app.text import bi
from app.views.calendar import StoredYear, calendar_years, stored_year

__all__ = ["CalendarService", "unknown_year_violation"]   # the refusal lives with the rules it states


class CalendarService:
    """Years of the working-day calendar entered by the user, stored in the meeting database."""

    def __init__(self, store: Store, calendar: LayeredCalendar) -> None:
        self.store = store
        self.calendar = calendar
        self.reload()

    def reload(self) -> None:
        """Hand the stored years to the calendar the services count on."""
        self.calendar.set_stored({y.year: y.user_year() for y in calendar_years(self.store)})

    def store_year(self, actor: str, year: int, holidays: Iterable[dt.date],
                   workdays: Iterable[dt.date]) -> StoredYear:
        """Store one year typed from the notice (replacing what was stored for it): ``holidays``
        are the days off as the notice lists them (weekend days inside a period may be
        included), ``workdays`` the make-up working days — each a Saturday or a Sunday."""
        data = UserYear(frozenset(holidays), frozenset(workdays))
        self._write(actor, {year: data}, source="typed")
        found = stored_year(self.store, year)
        assert found is not None
        return found

    def import_file(self, actor: str, path: Path | str) -> tuple[int, ...]:
        """Store every year of a ``conclave-calendar/1`` file (one change, one audit event);
        returns the years stored. A bad file is refused whole, naming each field."""
        path = Path(path)
        years = load_calendar_file(path).user_years()
        if not years:
            raise RuleViolation.single("calendar.entry", bi(
                f"calendar {path}: the file lists no year", f"日历文件 {path} 中没有任何年份"))
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        self._write(actor, years, source="file", file_name=path.name, file_sha256=digest)
        return tuple(sorted(years))

    def _write(self, actor: str, years: dict[int, UserYear], *, source: str,
               file_name: str | None = None, file_sha256: str | None = None) -> None:
        problems = [v for year, data in sorted(years.items()) for v in _problems(year, data)]
        if problems:
            raise RuleViolation(problems)
        when = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        entries = {str(y): {"holidays": _iso(d.holidays), "workdays": _iso(d.workdays)}
                   for y, d in sorted(years.items())}
        with self.store.write(actor, "calendar.store", None, years=entries, source=source,
                              file_name=file_name, file_sha256=file_sha256) as tx:
            before = tx.conn.execute(select(calendar_year.c.year, calendar_year.c.holidays,
                                            calendar_year.c.workdays).where(
                calendar_year.c.year.in_(list(years)))).all()
            # what an entry replaces stays in the audit trail: a correction never erases the old data
            tx.data["replaced"] = {str(r.year): {"holidays": r.holidays, "workdays": r.workdays} for r in before}
            tx.data["replaced_bundled"] = sorted(set(years) & bundled_years())
            tx.conn.execute(delete(calendar_year).where(calendar_year.c.year.in_(list(years))))
            tx.conn.execute(insert(calendar_year), [
                {"year": y, "holidays": _iso(d.holidays), "workdays": _iso(d.workdays), "source": source,
                 "file_name": file_name, "file_sha256": file_sha256, "entered_by": actor.strip(),
                 "entered_at": when} for y, d in sorted(years.items())])
        self.reload()


def _problems(year: int, data: UserYear) -> list[Violation]:
    out: list[Violation] = []
    if not 1 <= year <= 9999:
        out.append(Violation("calendar.entry", bi(f"year: {year} is not a year of four digits",
                                                  f"年份（year）：{year}不是四位数的年份")))
        return out
    out += [Violation("calendar.entry", bi(f"calendar year {year}: {p}", f"{year}年日历：{p.zh}"))
            for p in user_year_problems(year, data)]
    if not data.holidays:
        out.append(Violation("calendar.entry", bi(
            f"calendar year {year}: holidays: no day off is listed; every year has holidays (New Year's Day "
            "at least) — enter them from the State Council notice",
            f"{year}年日历：放假日期（holidays）为空；每年都有法定节假日（至少有元旦），请按国务院办公厅通知录入")))
    return out


def _iso(days: Iterable[dt.date]) -> list[str]:
    return [d.isoformat() for d in sorted(days)]
