"""Step 10 结果公示: the publicity period and the filing deadline, on official working days.

Publicity must start by the 3rd working day after the vote and runs 5 working
days; filing (备案) is due by the 15th working day after it ends. The page
shows the computed dates, previews any start date picked, and sets it through
:meth:`ClosingService.set_publicity` (a late start is refused). A year the
bundled calendar does not know is never guessed: its message is shown.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QDateEdit,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
)

from app.errors import RuleViolation
from app.rules.calendar import PublicityDates, UnknownYear
from ui.i18n import headline, tr
from ui.wizard import StepPage

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def day(d: dt.date | None) -> str:
    return f"{d.isoformat()}  {tr(WEEKDAYS[d.weekday()])}" if d else "—"


def unknown_year(exc: UnknownYear) -> str:
    return tr("The working days of {year} are not known to the calendar. Enter that year's holidays and make-up "
              "working days (调休) from the official notice first; they are never guessed.", year=exc.year)


class PublicityPage(StepPage):
    """结果公示 — computed dates, a start date to pick, and the filing deadline."""

    def build(self) -> None:
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.body.addWidget(self.hint)
        form = QFormLayout()
        self.labels = {k: QLabel() for k in ("vote", "start", "start_by", "end", "filing", "set")}
        self.values = {k: QLabel() for k in self.labels}
        for k in self.labels:
            form.addRow(self.labels[k], self.values[k])
        self.body.addLayout(form)
        row = QHBoxLayout()
        self.pick_label = QLabel()
        self.pick = QDateEdit()
        self.pick.setCalendarPopup(True)
        self.pick.setDisplayFormat("yyyy-MM-dd")
        self.pick.dateChanged.connect(self._picked_by_user)
        self.user_pick: dt.date | None = None
        self.set_button = QPushButton()
        self.set_button.clicked.connect(self.set_start)
        row.addWidget(self.pick_label)
        row.addWidget(self.pick)
        row.addWidget(self.set_button)
        row.addStretch(1)
        self.body.addLayout(row)
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color:#b3261e;")
        self.body.addWidget(self.problem)
        # After the five working days: what the publicity brought. Recorded on the finished
        # step too (it is a later fact, audited like every change), hence allowed when locked.
        self.outcome_box = QGroupBox()
        self.outcome_box.setProperty("allowed_when_locked", True)
        outcome = QVBoxLayout(self.outcome_box)
        self.outcome_state = QLabel()
        self.outcome_text = QPlainTextEdit()
        self.outcome_text.setMaximumHeight(80)
        self.outcome_button = QPushButton()
        self.outcome_button.clicked.connect(self.record_outcome)
        outcome.addWidget(self.outcome_state)
        outcome.addWidget(self.outcome_text)
        outcome.addWidget(self.outcome_button, 0, Qt.AlignmentFlag.AlignRight)
        self.body.addWidget(self.outcome_box)
        self.body.addStretch(1)

    def load(self) -> None:
        self.loaded = True
        self._show_set()
        self.problem.clear()
        try:
            dates, _due = self.app.closing.publicity(self.meeting_id)
        except UnknownYear as exc:
            self._dates(None, None)
            self.problem.setText(unknown_year(exc))
            self.set_button.setEnabled(False)
            return
        except RuleViolation as exc:
            self._dates(None, None)
            self.problem.setText(headline(exc.violations[0]))
            self.set_button.setEnabled(False)
            return
        self.set_button.setEnabled(True)
        info = self.app.views.meeting(self.meeting_id)
        start = info.publicity_start or self.user_pick or dates.start     # a refused pick stays on screen
        self.pick.blockSignals(True)
        self.pick.setDate(QDate(start.year, start.month, start.day))
        self.pick.blockSignals(False)
        self.preview()

    def _show_set(self) -> None:
        info = self.app.views.meeting(self.meeting_id)
        self.outcome_box.setVisible(info.publicity_start is not None)
        if info.publicity_objections is None:
            self.outcome_state.setText(tr("Once the publicity has ended, record whether it raised objections "
                                          "(leave empty for none). The filing report states it."))
        elif info.publicity_objections:
            self.outcome_state.setText(tr("Recorded: {text}", text=info.publicity_objections))
        else:
            self.outcome_state.setText(tr("Recorded: no objection during the publicity."))
        self.values["vote"].setText(day(info.vote_date))
        self.values["set"].setText(day(info.publicity_start) if info.publicity_start else tr("not set yet"))

    def _picked_by_user(self, _date: QDate) -> None:
        self.user_pick = self._picked()
        self.preview()

    def _picked(self) -> dt.date:
        d = self.pick.date()
        return dt.date(d.year(), d.month(), d.day())

    def preview(self) -> None:
        """Dates for the picked start, before anything is stored."""
        start = self._picked()
        self.problem.clear()
        try:
            dates, due = self.app.closing.publicity(self.meeting_id, start)
        except UnknownYear as exc:
            self._dates(None, None)
            self.problem.setText(unknown_year(exc))
            return
        except RuleViolation as exc:
            self._dates(None, None)
            self.problem.setText(headline(exc.violations[0]))
            return
        self._dates(dates, due)
        if dates.late:
            self.problem.setText(tr("Too late: publicity must start by {date}, the 3rd working day after the vote.",
                                    date=dates.start_by))

    def _dates(self, dates: PublicityDates | None, due: dt.date | None) -> None:
        self.values["start"].setText(day(dates.start if dates else None))
        self.values["start_by"].setText(day(dates.start_by if dates else None))
        self.values["end"].setText(day(dates.end if dates else None))
        self.values["filing"].setText(day(due))

    def set_start(self) -> None:
        start, actor, mid = self._picked(), self.actor(), self.meeting_id

        def job() -> PublicityDates:
            try:
                return self.app.closing.set_publicity(actor, mid, start)
            except UnknownYear as exc:  # shown like any refusal, in the message bar
                raise RuleViolation.single("calendar.unknown_year", unknown_year(exc)) from None

        self.act(job)

    def record_outcome(self) -> None:
        text, actor, mid = self.outcome_text.toPlainText(), self.actor(), self.meeting_id
        self.act(lambda: self.app.closing.record_publicity_outcome(actor, mid, text),
                 lambda _r: self.outcome_text.clear())

    def retranslate(self) -> None:
        self.hint.setText(tr("Publicity (公示) starts by the 3rd working day after the vote and lasts 5 working days; "
                             "the results are filed (备案) within 15 working days after it ends."))
        for key, text in (("vote", "Vote held on"), ("start", "Publicity starts"), ("start_by", "Must start by"),
                          ("end", "Publicity ends"), ("filing", "Filing due by"), ("set", "Start date set")):
            self.labels[key].setText(tr(text))
        self.pick_label.setText(tr("Publicity start"))
        self.set_button.setText(tr("Set the publicity start"))
        self.outcome_box.setTitle(tr("Publicity outcome (公示结果)"))
        self.outcome_text.setPlaceholderText(tr("Objections raised and how they were handled; empty: none"))
        self.outcome_button.setText(tr("Record the publicity outcome"))
        if getattr(self, "loaded", False):
            self._show_set()
            self.preview()
