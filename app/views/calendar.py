"""The working-day calendar years stored in a meeting database (entered by the user).

The calendar belongs to the whole file — every meeting in it counts its deadlines on the
same days — so these views take no meeting id: ``calendar_years(store)``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Row, select

from app.rules.calendar import UserYear
from app.storage.schema import calendar_year
from app.storage.store import Store


@dataclass(frozen=True)
class StoredYear:
    """One year of the calendar as entered (录入): its days off and make-up working days
    (调休上班), who entered it, when, and whether it was typed or loaded from a file."""

    year: int
    holidays: tuple[dt.date, ...]
    workdays: tuple[dt.date, ...]
    source: str                    # typed / file
    file_name: str | None
    file_sha256: str | None
    entered_by: str
    entered_at: str                # ISO 8601 UTC

    def user_year(self) -> UserYear:
        return UserYear(frozenset(self.holidays), frozenset(self.workdays))


def calendar_years(store: Store) -> tuple[StoredYear, ...]:
    """Every stored year, in year order."""
    with store.read() as conn:
        return calendar_years_on(conn)


#: Built once: every meeting opened reads the calendar years.
_YEARS = select(calendar_year).order_by(calendar_year.c.year)


def calendar_years_on(conn: Connection) -> tuple[StoredYear, ...]:
    rows = conn.execute(_YEARS).all()
    return tuple(_stored(r) for r in rows)


def stored_year(store: Store, year: int) -> StoredYear | None:
    """The stored year ``year``, or None when the database holds no entry for it."""
    with store.read() as conn:
        row = conn.execute(select(calendar_year).where(calendar_year.c.year == year)).first()
    return _stored(row) if row is not None else None


def _stored(r: Row[Any]) -> StoredYear:
    return StoredYear(
        year=int(r.year), holidays=tuple(dt.date.fromisoformat(d) for d in r.holidays),
        workdays=tuple(dt.date.fromisoformat(d) for d in r.workdays), source=r.source,
        file_name=r.file_name, file_sha256=r.file_sha256, entered_by=r.entered_by, entered_at=r.entered_at)
