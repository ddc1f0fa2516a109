"""Step 10 结果公示: the publicity period and the filing deadline, on official working days.

Publicity must start by the 3rd working day after the vote and runs 5 working
days; filing (备案) is due by the 15th working day after it ends. The page
shows the computed dates, previews any start date picked, and sets it through
:meth:`ClosingService.set_publicity` (a late start is refused). A year the
bundled calendar does not know is never guessed: the dates it holds back say which year is
missing, and the page offers the working-day calendar on that year. The publicity start can be
set once the publicity period is known; finishing the step needs the filing deadline too.

Below, the texts of the work summary (评审工作总结, X§11(二)) only the office can write — 典型经验,
改进方向, 意见建议 — saved with :meth:`ClosingService.record_work_summary`. The paper composes the rest
from the record and prints these under their headings; an empty one is left to fill in. The summary
is filed after the meeting, so they are written on the finished step too.

Last, the final archive (最终归档): once step 10 is finished and the publicity's outcome recorded,
:meth:`DocumentsService.final_archive` writes every final paper — the filing report (备案报告) and the
work summary with the rest — into ``<folder>/meeting-<id>-<year>-final`` under one manifest. Step 9's
archive came before the publicity and cannot hold them.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
)

from app.errors import RuleViolation
from app.rules.calendar_years import Deadlines
from app.views.meeting import WorkSummaryTexts
from ui.calendar_offer import CalendarButton
from ui.i18n import headline, local, tr
from ui.wizard import StepPage

SUMMARY_PARTS = ("experience", "improvements", "suggestions")     # 典型经验, 改进方向, 意见建议
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def day(d: dt.date | None) -> str:
    return f"{d.isoformat()}  {tr(WEEKDAYS[d.weekday()])}" if d else "—"


def needs_year(year: int) -> str:
    """What a date shows while its year is missing from the working-day calendar."""
    return tr("not known: {year}'s holidays are not entered yet", year=year)


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
        # a date in a year nobody entered: the calendar, opened on that year (also on a finished step)
        self.calendar_button = CalendarButton(self.app, self)
        self.calendar_button.stored.connect(self._calendar_stored)
        self.calendar_button.setProperty("allowed_when_locked", True)
        self.body.addWidget(self.calendar_button, 0, Qt.AlignmentFlag.AlignLeft)
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
        self.body.addWidget(self._filing_box())
        self.body.addWidget(self._summary_box())
        self.body.addWidget(self._final_box())
        self.body.addStretch(1)

    def _filing_box(self) -> QGroupBox:
        """The filing report's 发文字号 and 成文日期 (GB/T 9704): the report prints them, or lines to fill
        by hand while they are not recorded. Written on the finished step too (the report follows it)."""
        self.filing_box = QGroupBox()
        self.filing_box.setProperty("allowed_when_locked", True)
        row = QHBoxLayout(self.filing_box)
        self.filing_number_label = QLabel()
        self.filing_number = QLineEdit()
        self.filing_number.setPlaceholderText("州卫职改〔2026〕21号")
        self.filing_dated = QCheckBox()
        self.filing_date = QDateEdit()
        self.filing_date.setCalendarPopup(True)
        self.filing_date.setDisplayFormat("yyyy-MM-dd")
        self.filing_dated.toggled.connect(self.filing_date.setEnabled)
        self.filing_button = QPushButton()
        self.filing_button.clicked.connect(self.record_filing)
        for widget, stretch in ((self.filing_number_label, 0), (self.filing_number, 1), (self.filing_dated, 0),
                                (self.filing_date, 0), (self.filing_button, 0)):
            row.addWidget(widget, stretch)
        return self.filing_box

    def _show_filing(self) -> None:
        """The stored number and date — unless unchanged since last shown (what is being typed stays)."""
        stored = self.app.views.filing_report(self.meeting_id)
        if stored == getattr(self, "filing_stored", None):
            return
        self.filing_stored = stored
        self.filing_number.setText(stored.number)
        self.filing_dated.setChecked(stored.date is not None)
        self.filing_date.setEnabled(stored.date is not None)
        day = stored.date or dt.date.today()
        self.filing_date.setDate(QDate(day.year, day.month, day.day))

    def record_filing(self) -> None:
        number, actor, mid = self.filing_number.text(), self.actor(), self.meeting_id
        d = self.filing_date.date()
        date = dt.date(d.year(), d.month(), d.day()) if self.filing_dated.isChecked() else None
        self.act(lambda: self.app.closing.record_filing_report(actor, mid, number=number, date=date))

    def _final_box(self) -> QGroupBox:
        """The final archive: folder, seal passphrase, the button, and where it was last written."""
        self.final_box = QGroupBox()
        self.final_box.setProperty("allowed_when_locked", True)      # made once the step is finished
        box = QVBoxLayout(self.final_box)
        self.final_state = QLabel()
        self.final_state.setWordWrap(True)
        box.addWidget(self.final_state)
        row = QHBoxLayout()
        self.final_folder = QLineEdit(str(self.app.path.parent / "archive"))
        self.final_passphrase = QLineEdit()
        self.final_passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.final_button = QPushButton()
        self.final_button.clicked.connect(self.final_archive)
        row.addWidget(self.final_folder, 2)
        row.addWidget(self.final_passphrase, 1)
        row.addWidget(self.final_button)
        box.addLayout(row)
        return self.final_box

    def _show_final(self) -> None:
        info = self.app.views.meeting(self.meeting_id)
        ready = info.finished and info.publicity_objections is not None
        self.final_button.setEnabled(ready)
        written = self.app.documents.final_archive_path(self.meeting_id)
        if written is not None:
            self.final_state.setText(tr("Final archive written in {path}, with every paper and the filing report.",
                                        path=str(written)))
        elif ready:
            self.final_state.setText(tr("The meeting is finished: write the final archive, with every final paper "
                                        "and the filing report."))
        else:
            self.final_state.setText(tr("The final archive is written once this step is finished and the publicity's "
                                        "outcome recorded: it holds every final paper, the filing report included."))

    def final_archive(self) -> None:
        folder, actor, mid = Path(self.final_folder.text().strip()), self.actor(), self.meeting_id
        passphrase = self.final_passphrase.text().encode("utf-8") or None
        self.final_passphrase.clear()      # the key's secret does not linger on the page
        self.final_state.setText(tr("Archiving…"))
        self.final_button.setEnabled(False)
        self.act(lambda: self.app.documents.final_archive(actor, mid, folder, passphrase))

    def _summary_box(self) -> QGroupBox:
        """The work summary's three texts, side by side, with how many characters they hold."""
        self.summary_box = QGroupBox()
        self.summary_box.setProperty("allowed_when_locked", True)      # written after the meeting too
        box = QVBoxLayout(self.summary_box)
        self.summary_hint = QLabel()
        self.summary_hint.setWordWrap(True)
        box.addWidget(self.summary_hint)
        columns = QHBoxLayout()
        self.summary_labels: dict[str, QLabel] = {}
        self.summary_texts: dict[str, QPlainTextEdit] = {}
        for key in SUMMARY_PARTS:
            column = QVBoxLayout()
            self.summary_labels[key] = QLabel()
            self.summary_texts[key] = QPlainTextEdit()
            self.summary_texts[key].setMinimumHeight(90)
            self.summary_texts[key].setMaximumHeight(140)
            self.summary_texts[key].textChanged.connect(self._summary_changed)
            column.addWidget(self.summary_labels[key])
            column.addWidget(self.summary_texts[key])
            columns.addLayout(column, 1)
        box.addLayout(columns)
        row = QHBoxLayout()
        self.summary_count = QLabel()
        self.summary_count.setWordWrap(True)         # a long English line must not widen the page
        self.summary_button = QPushButton()
        self.summary_button.clicked.connect(self.record_summary)
        row.addWidget(self.summary_count, 1)
        row.addWidget(self.summary_button)
        box.addLayout(row)
        self.summary_stored: WorkSummaryTexts | None = None
        return self.summary_box

    def load(self) -> None:
        self.loaded = True
        self._show_set()
        self.problem.clear()
        try:
            found = self.app.closing.deadlines(self.meeting_id)
        except RuleViolation as exc:
            self._dates(None)
            self.problem.setText(headline(exc.violations[0]))
            self.set_button.setEnabled(False)
            self._picker(None)
            return
        if found.publicity is None:     # the period itself runs into a year nobody entered: nothing to pick
            self._picker(None)
            self._dates(found)
            self.problem.setText(local(self.app.closing.missing_calendar(found).message))  # type: ignore[union-attr]
            return
        info = self.app.views.meeting(self.meeting_id)
        start = info.publicity_start or self.user_pick or found.publicity.start    # a refused pick stays on screen
        self._picker(start)
        self.preview()

    def _picker(self, start: dt.date | None) -> None:
        """The start date to pick, or none at all while there is nothing to pick from."""
        for widget in (self.pick_label, self.pick, self.set_button):
            widget.setVisible(start is not None)
        if start is not None:
            self.pick.blockSignals(True)
            self.pick.setDate(QDate(start.year, start.month, start.day))
            self.pick.blockSignals(False)

    def _calendar_stored(self, _year: int) -> None:
        """A year was entered: count the dates again."""
        self.refresh()

    def _show_summary(self) -> None:
        """The stored texts in the editors — unless they are unchanged since last shown (what is being
        typed stays)."""
        stored = self.app.views.work_summary(self.meeting_id)
        if stored != self.summary_stored:
            self.summary_stored = stored
            for key, edit in self.summary_texts.items():
                edit.blockSignals(True)
                edit.setPlainText(getattr(stored, key))
                edit.blockSignals(False)
        self._summary_changed()

    def typed_summary(self) -> WorkSummaryTexts:
        return WorkSummaryTexts(**{key: edit.toPlainText().strip() for key, edit in self.summary_texts.items()})

    def _summary_changed(self) -> None:
        typed = self.typed_summary()
        n = sum(1 for key in SUMMARY_PARTS for ch in getattr(typed, key) if not ch.isspace())
        self.summary_count.setText(tr("{n} characters written; the whole summary, with the parts composed from "
                                      "the record, is at most 2,000.", n=n))
        self.summary_button.setEnabled(typed != self.summary_stored)

    def record_summary(self) -> None:
        typed, actor, mid = self.typed_summary(), self.actor(), self.meeting_id
        self.act(lambda: self.app.closing.record_work_summary(
            actor, mid, experience=typed.experience, improvements=typed.improvements,
            suggestions=typed.suggestions))

    def _date_labels(self) -> None:
        """Until the start is set, the dates it implies are proposed (拟): "公示开始 2026-11-23" above
        "已确定的公示开始日期 尚未确定" read as a contradiction."""
        proposed = not getattr(self, "start_set", False)
        for key, text in (("vote", "Vote held on"), ("start", "Publicity starts"), ("start_by", "Must start by"),
                          ("end", "Publicity ends"), ("filing", "Filing due by"), ("set", "Start date set")):
            label = tr(text)
            if proposed and key in ("start", "end", "filing"):
                label = tr("{label} (proposed)", label=label)
            self.labels[key].setText(label)

    def _show_set(self) -> None:
        self._show_summary()
        self._show_filing()
        self._show_final()
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
        self.start_set = info.publicity_start is not None
        self._date_labels()

    def _picked_by_user(self, _date: QDate) -> None:
        self.user_pick = self._picked()
        self.preview()

    def _picked(self) -> dt.date:
        d = self.pick.date()
        return dt.date(d.year(), d.month(), d.day())

    def preview(self) -> None:
        """Dates for the picked start, before anything is stored; a date whose year nobody entered
        says so, and the calendar is offered on that year."""
        start = self._picked()
        self.problem.clear()
        try:
            found = self.app.closing.deadlines(self.meeting_id, start)
        except RuleViolation as exc:
            self._dates(None)
            self.problem.setText(headline(exc.violations[0]))
            return
        self._dates(found)
        missing = self.app.closing.missing_calendar(found)
        self.set_button.setEnabled(found.publicity is not None)
        if missing is not None:
            self.problem.setText(local(missing.message))
        elif found.publicity is not None and found.publicity.late:
            self.problem.setText(tr("Too late: publicity must start by {date}, the 3rd working day after the vote.",
                                    date=found.publicity.start_by))

    def _dates(self, found: Deadlines | None) -> None:
        dates = found.publicity if found else None
        year = found.missing_year if found else None
        unknown = needs_year(year) if year is not None else "—"
        for key, value in (("start", dates.start if dates else None), ("start_by", dates.start_by if dates else None),
                           ("end", dates.end if dates else None), ("filing", found.filing_due if found else None)):
            self.values[key].setText(day(value) if value else unknown)
            self.values[key].setStyleSheet("" if value or year is None else "color:#b3261e;")
        self.calendar_button.offer(year)

    def set_start(self) -> None:
        start, actor, mid = self._picked(), self.actor(), self.meeting_id
        self.act(lambda: self.app.closing.set_publicity(actor, mid, start))

    def record_outcome(self) -> None:
        text, actor, mid = self.outcome_text.toPlainText(), self.actor(), self.meeting_id
        self.act(lambda: self.app.closing.record_publicity_outcome(actor, mid, text),
                 lambda _r: self.outcome_text.clear())

    def retranslate(self) -> None:
        self.hint.setText(tr("Publicity (公示) starts by the 3rd working day after the vote and lasts 5 working days; "
                             "the results are filed (备案) within 15 working days after it ends."))
        self._date_labels()
        self.pick_label.setText(tr("Publicity start"))
        self.set_button.setText(tr("Set the publicity start"))
        self.outcome_box.setTitle(tr("Publicity outcome (公示结果)"))
        self.outcome_text.setPlaceholderText(tr("Objections raised and how they were handled; empty: none"))
        self.outcome_button.setText(tr("Record the publicity outcome"))
        self.filing_box.setTitle(tr("Filing report (备案报告): its number and date"))
        self.filing_number_label.setText(tr("Document number (发文字号)"))
        self.filing_dated.setText(tr("Dated (成文日期)"))
        self.filing_button.setText(tr("Save the filing report details"))
        self.summary_box.setTitle(tr("Work summary (评审工作总结): what only the office can write"))
        self.summary_hint.setText(tr("The work summary filed with the results takes the use of the pool, the draw "
                                     "and the procedure from the record; write its other three parts here. A part "
                                     "left empty is printed as not filled in."))
        for key, text in (("experience", "Typical experience (典型经验)"),
                          ("improvements", "To improve (改进方向)"), ("suggestions", "Suggestions (意见建议)")):
            self.summary_labels[key].setText(tr(text))
        self.summary_button.setText(tr("Save the work summary texts"))
        self.final_box.setTitle(tr("Final archive (最终归档)"))
        self.final_passphrase.setPlaceholderText(tr("Seal passphrase (blank: papers not sealed)"))
        self.final_passphrase.setToolTip(tr("The committee key's passphrase seals the minutes and the result sheets; "
                                            "without it they are archived unsealed."))
        self.final_button.setText(tr("Write the final archive"))
        self._summary_changed()
        if getattr(self, "loaded", False):
            self.load()
