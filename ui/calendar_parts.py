"""The pieces of the working-day calendar dialog: its two tables, its dates, and the sentences
that say where a year comes from and what it adds up to."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, QObject
from PySide6.QtWidgets import QDateEdit, QHBoxLayout, QWidget

from app.rules.calendar_years import bundled_span, days_between
from app.services import Conclave
from ui.i18n import tr
from ui.models import Column, RowsModel

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
Period = tuple[dt.date, dt.date]


def day_text(d: dt.date) -> str:
    return f"{d.isoformat()}  {tr(WEEKDAYS[d.weekday()])}"


def qdate(d: dt.date) -> QDate:
    return QDate(d.year, d.month, d.day)


def date_of(edit: QDateEdit) -> dt.date:
    d = edit.date()
    return dt.date(d.year(), d.month(), d.day())


def date_edit() -> QDateEdit:
    edit = QDateEdit()
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    return edit


def periods_model(parent: QObject) -> RowsModel:
    """Holiday periods (first day, last day), as the notice lists them."""
    return RowsModel([
        Column("First day", lambda p: day_text(p[0])), Column("Last day", lambda p: day_text(p[1])),
        Column("Days", lambda p: (p[1] - p[0]).days + 1, align_right=True),
        Column("Weekdays off", lambda p: sum(1 for d in days_between(*p) if d.weekday() < 5), align_right=True),
    ], parent)


def days_model(parent: QObject) -> RowsModel:
    """Make-up working days, one a line."""
    return RowsModel([Column("Make-up working day", day_text)], parent)


def summary_text(year: int, holidays: set[dt.date], workdays: set[dt.date]) -> str:
    """What the year adds up to — the figure to compare with the notice."""
    if not holidays and not workdays:
        return ""
    off = sum(1 for d in holidays if d.weekday() < 5)
    weekdays = sum(1 for d in days_between(dt.date(year, 1, 1), dt.date(year, 12, 31)) if d.weekday() < 5)
    return tr("{year}: {off} weekdays off, {n} make-up working days — {total} working days in the year "
              "(compare with the notice).", year=year, off=off, n=len(workdays),
              total=weekdays - off + len(workdays))


def source_text(app: Conclave, year: int) -> str:
    """Where ``year``'s working days come from: bundled, stored (by whom, how), a run file, or nowhere."""
    source = app.calendar.source(year)
    if source == "bundled":
        span = bundled_span()
        return tr("{year}: from the bundled calendar ({first}–{last}); saving an entry replaces it in this "
                  "database.", year=year, first=span[0] if span else "", last=span[1] if span else "")
    if source == "run":
        return tr("{year}: from the calendar file given for this run (--calendar); not stored.", year=year)
    stored = app.views.stored_year(year) if source == "stored" else None
    if stored is not None:
        how = tr("typed") if stored.source == "typed" else tr("loaded from {file}", file=stored.file_name or "")
        return tr("{year}: stored in this meeting database — {how}, by {who}, {when}.", year=year, how=how,
                  who=stored.entered_by, when=stored.entered_at.replace("T", " ").rstrip("Z") + " UTC")
    return tr("{year}: not known yet. Enter its holidays and make-up working days from the State Council "
              "notice; they are never guessed.", year=year)


def row(*widgets: QWidget | tuple[QWidget, int] | None) -> QHBoxLayout:
    """Widgets side by side; ``(widget, stretch)`` takes the room left, ``None`` is empty room."""
    out = QHBoxLayout()
    for item in widgets:
        if item is None:
            out.addStretch(1)
            continue
        widget, stretch = item if isinstance(item, tuple) else (item, 0)
        out.addWidget(widget, stretch)
    return out
