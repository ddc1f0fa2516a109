"""The way to the calendar from wherever a missing year stops the work.

A refusal with the rule ``calendar.unknown_year`` (a deadline in a year nobody entered) is
never a dead end: :class:`CalendarButton` offers "Enter the holidays of 2027…", which opens
:class:`ui.calendar_dialog.CalendarDialog` on that year. The button sits in the main window's
message bar (following every refusal posted on :data:`ui.ops.messages`), in the start dialog
(always there), on step 10, step 9 and in the documents window; its ``stored`` signal lets the
screen that shows dates count them again once a year is saved.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLineEdit, QPushButton, QWidget

from app.errors import RuleViolation
from app.rules.calendar_years import unknown_year_in
from app.services import Conclave
from ui.i18n import bridge, tr
from ui.ops import messages


def missing_year(exc: RuleViolation) -> int | None:
    """The year a ``calendar.unknown_year`` refusal names, else None."""
    for v in exc.violations:
        if v.rule == "calendar.unknown_year":
            year = unknown_year_in(v.message)
            if year is not None:
                return year
    return None


def year_in_texts(texts: Iterable[str]) -> int | None:
    """The first year named by a calendar refusal among ``texts`` (e.g. why papers were skipped)."""
    return next((y for y in (unknown_year_in(t) for t in texts) if y is not None), None)


def briefly(reason: str) -> str:
    """Why a paper was not made, shortly when it waits for a year of the calendar (the button
    beside the list offers that year, so the full instructions are not repeated per paper)."""
    year = unknown_year_in(reason)
    if year is None:
        return reason
    return tr("it prints dates in {year}, whose holidays are not entered yet — enter them with the button below",
              year=year)


class CalendarButton(QPushButton):
    """Opens the working-day calendar; offered on a year when a refusal names one.

    ``always``: shown even when no year is missing (then it reads "Working-day calendar…");
    ``follow_messages``: offers itself for every ``calendar.unknown_year`` refusal posted on the
    message bridge, and steps back at the next other message. ``actor``: the field holding the
    name the calendar is entered under, when the screen knows better than the meeting's
    secretary. ``stored`` carries each year saved, for the screen that shows dates.

    The button keeps no callable of its owner (owners connect ``stored`` to a method): a reference
    cycle would let Python's collector delete a window from whatever thread it runs on.
    """

    stored = Signal(int)

    def __init__(self, app: Conclave, parent: QWidget | None = None, *, always: bool = False,
                 follow_messages: bool = False, actor: QLineEdit | None = None) -> None:
        super().__init__(parent)
        self.app = app
        self.always = always
        self.follow_messages = follow_messages
        self.year: int | None = None
        self.actor = actor
        self.dialog: QWidget | None = None
        self.clicked.connect(self.open_calendar)
        if follow_messages:
            messages.refused.connect(self.offer_for)
            messages.message.connect(self._on_message)
            messages.cleared.connect(self._on_cleared)
        bridge.language_changed.connect(self._retranslate)
        self.offer(None)

    def offer(self, year: int | None) -> None:
        """Offer the calendar on ``year`` (None: withdraw the offer)."""
        self.year = year
        self._retranslate()
        self.setVisible(self.always or year is not None)

    def offer_for(self, exc: RuleViolation) -> None:
        self.offer(missing_year(exc))

    def _on_message(self, kind: str, _title: str, _text: str, _details: str = "") -> None:
        if kind != "refused":          # a refusal was already looked at by offer_for
            self.offer(None)

    def _on_cleared(self) -> None:
        self.offer(None)

    def _retranslate(self, _language: str = "") -> None:
        self.setText(tr("Enter the holidays of {year}…", year=self.year) if self.year is not None
                     else tr("Working-day calendar…"))

    def open_calendar(self) -> QWidget:
        from ui.calendar_dialog import CalendarDialog

        actor = self.actor.text().strip() if self.actor is not None else ""
        dialog = CalendarDialog(self.app, self.year, self.window(), actor=actor)
        dialog.stored.connect(self._stored)
        self.dialog = dialog
        dialog.open()
        return dialog

    def _stored(self, year: int) -> None:
        if year == self.year:
            self.offer(None)
            if self.follow_messages:       # the refusal on screen named this year: it is put right
                messages.clear()
        self.stored.emit(year)
