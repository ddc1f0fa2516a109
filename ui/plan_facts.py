"""The facts the papers print, as the start dialog and the plan correction ask for them: the
committee's 组建单位, 办事机构 and HR department; the plan's filing number, where the result is
published and who takes objections at which telephone; the meeting's days and hours.

Every field may stay empty — a paper then leaves a blank to fill by hand, never a guess — and
the form says which ones are still empty (:func:`missing_facts`), without blocking. Hours are
typed, never pre-filled: a plan that gives none has one day (its meeting date) with hours not
recorded, and the honoraria sheet says so. The engine checks what is typed
(:mod:`app.rules.meeting_days`) and its refusal names the day or the field.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QDateEdit,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.rules.meeting_days import MAX_MEETING_DAYS, MeetingDay
from ui.i18n import tr


def _qdate(value: dt.date) -> QDate:
    return QDate(value.year, value.month, value.day)


def _date(edit: QDateEdit) -> dt.date:
    d = edit.date()
    return dt.date(d.year(), d.month(), d.day())


class _DayRow:
    """One day: its date (the first follows the meeting date), its hours, a remove button."""

    def __init__(self, day: dt.date, starts: str, ends: str, first: bool) -> None:
        self.date = QDateEdit(_qdate(day))
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat("yyyy-MM-dd")
        self.date.setEnabled(not first)
        self.starts, self.ends = QLineEdit(starts), QLineEdit(ends)
        for edit in (self.starts, self.ends):
            edit.setPlaceholderText(tr("hh:mm"))
            edit.setMaximumWidth(80)
        if first:
            self.date.setToolTip(tr("The first day is the meeting date"))
        self.dash = QLabel("—")
        self.remove = QPushButton(tr("Remove"))
        self.remove.setVisible(not first)

    def widgets(self) -> list[QWidget]:
        return [self.date, self.starts, self.dash, self.ends, self.remove]

    def value(self) -> MeetingDay:
        return (_date(self.date), self.starts.text().strip(), self.ends.text().strip())

    def blank(self) -> bool:
        return not self.starts.text().strip() and not self.ends.text().strip()


class DaysEditor(QGroupBox):
    """The days the meeting sits and their hours; the first day is the meeting date."""

    changed = Signal()

    def __init__(self, meeting_date: dt.date, days: Sequence[MeetingDay] = ()) -> None:
        super().__init__(tr("Meeting days and hours (honoraria)"))
        outer = QVBoxLayout(self)
        self.grid = QGridLayout()
        outer.addLayout(self.grid)
        for col, head in enumerate((tr("Day"), tr("Starts"), "", tr("Ends"))):
            self.grid.addWidget(QLabel(head), 0, col)
        self.grid.setColumnStretch(5, 1)
        self.rows: list[_DayRow] = []
        self.meeting_date = meeting_date
        buttons = QHBoxLayout()
        self.add_button = QPushButton(tr("Add a day"))
        self.add_button.clicked.connect(lambda: self.add_day())
        buttons.addWidget(self.add_button)
        buttons.addStretch(1)
        outer.addLayout(buttons)
        note = QLabel(tr("Hours as HH:MM; left empty, the honoraria sheet says they were not recorded."))
        note.setToolTip(tr("At most half a day pays 50%; over 8 hours in a day may pay up to 50% more (X§19)."))
        note.setWordWrap(True)
        note.setStyleSheet("color:#555;")
        outer.addWidget(note)
        self.set_days(meeting_date, days)

    def set_days(self, meeting_date: dt.date, days: Sequence[MeetingDay]) -> None:
        """Show ``days`` (none: the meeting date, hours empty)."""
        for row in self.rows:
            for w in row.widgets():
                self.grid.removeWidget(w)
                w.deleteLater()
        self.rows = []
        self.meeting_date = meeting_date
        given = sorted(days) or [(meeting_date, "", "")]
        for day, starts, ends in given:
            self.add_day(day, starts, ends)

    def add_day(self, day: dt.date | None = None, starts: str = "", ends: str = "") -> None:
        if day is None:
            last = _date(self.rows[-1].date) if self.rows else self.meeting_date
            day = last + dt.timedelta(days=1)
        row = _DayRow(day, starts, ends, first=not self.rows)
        at = len(self.rows) + 1
        for col, w in enumerate(row.widgets()):
            self.grid.addWidget(w, at, col)
        row.remove.clicked.connect(lambda: self.remove_day(row))
        for edit in (row.starts, row.ends):
            edit.textChanged.connect(self.changed)
        row.date.dateChanged.connect(self.changed)
        self.rows.append(row)
        self.add_button.setEnabled(len(self.rows) < MAX_MEETING_DAYS)
        self.changed.emit()

    def remove_day(self, row: _DayRow) -> None:
        if row in self.rows[1:]:
            self.rows.remove(row)
            for w in row.widgets():
                self.grid.removeWidget(w)
                w.deleteLater()
            self.add_button.setEnabled(len(self.rows) < MAX_MEETING_DAYS)
            self.changed.emit()

    def set_meeting_date(self, value: dt.date) -> None:
        """The first day follows the meeting date, and the later days move with it."""
        shift = value - self.meeting_date
        self.meeting_date = value
        for row in self.rows:
            row.date.setDate(_qdate(_date(row.date) + shift))

    def days(self) -> list[MeetingDay]:
        """The days as typed; none when only the meeting date is listed and its hours are empty
        (hours not recorded). A later day without hours is given as typed: the engine names it."""
        if len(self.rows) == 1 and self.rows[0].blank():
            return []
        return [r.value() for r in self.rows]

    def recorded(self) -> bool:
        return bool(self.days())


class PublicityFacts(QGroupBox):
    """The plan's filing number, the publicity's venue and who takes objections at which telephone."""

    def __init__(self, filing_number: str = "", where: str = "", contact: str = "", phone: str = "") -> None:
        super().__init__(tr("Plan filing and publicity"))
        form = QFormLayout(self)
        self.filing_number, self.where = QLineEdit(filing_number), QLineEdit(where)
        self.contact, self.phone = QLineEdit(contact), QLineEdit(phone)
        self.filing_number.setPlaceholderText(tr("e.g. 州人社职备〔2026〕15号"))
        self.where.setPlaceholderText(tr("e.g. the organizing authority's website"))
        self.contact.setPlaceholderText(tr("e.g. 州卫健委职称改革工作办公室"))
        self.phone.setPlaceholderText(tr("e.g. 0743-8221517"))
        form.addRow(tr("Plan filing no. (备案文号)"), self.filing_number)
        form.addRow(tr("Publicity website or place"), self.where)
        form.addRow(tr("Objections: department or contact"), self.contact)
        form.addRow(tr("Objections: telephone"), self.phone)

    def edits(self) -> tuple[QLineEdit, ...]:
        return (self.filing_number, self.where, self.contact, self.phone)


class CommitteeFacts:
    """The committee's 组建单位, 办事机构 and HR department, as three line edits for a form."""

    def __init__(self, organizer: str = "", office: str = "", hr_department: str = "") -> None:
        self.organizer, self.office, self.hr_department = (QLineEdit(organizer), QLineEdit(office),
                                                           QLineEdit(hr_department))
        self.organizer.setPlaceholderText(tr("e.g. 湘西自治州人力资源和社会保障局"))
        self.office.setPlaceholderText(tr("e.g. 州卫生健康委员会职称改革工作办公室"))
        self.hr_department.setPlaceholderText(tr("The HR department the results are filed with"))

    def rows(self) -> list[tuple[str, QLineEdit]]:
        return [(tr("Organizer (组建单位)"), self.organizer), (tr("Office (办事机构)"), self.office),
                (tr("Files with (备案机关)"), self.hr_department)]


def missing_facts(committee: CommitteeFacts | None, publicity: PublicityFacts, days: DaysEditor) -> list[str]:
    """The facts still empty (the papers will leave blanks), by name."""
    out = []
    if committee is not None:
        for label, edit in committee.rows():
            if not edit.text().strip():
                out.append(label)
    for edit, label in ((publicity.filing_number, tr("plan filing number")),
                        (publicity.where, tr("publicity venue")), (publicity.contact, tr("objection contact")),
                        (publicity.phone, tr("objection telephone"))):
        if not edit.text().strip():
            out.append(label)
    if not days.recorded():
        out.append(tr("meeting hours"))
    return out
