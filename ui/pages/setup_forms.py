"""Dialogs of the setup's corrections: a candidate, a pool expert, the chair or vice-chair, or just a
written reason (withdraw, remove, re-draw) — each with the reason the audit trail keeps.

A dialog never changes anything itself: OK emits ``submitted``; the tab runs the service through
:meth:`StepPage.act` and closes the dialog when it succeeds, or shows the engine's refusal in the
dialog (:meth:`CorrectionDialog.show_refusal`), which stays open to be corrected.

The candidate form asks for the title applied for (申报资格: the papers print it, so it is
required here, while old rosters without it still import) and the eligibility facts, each of
which may stay "not given"; the pool form for the expert's telephone and honoraria category.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.domain import Role
from app.errors import RuleViolation
from app.rules.draw import PoolExpert
from app.rules.fees import CATEGORY_NAMES
from app.services.setup import CandidateInput, MemberInput
from app.views.candidates import CandidateView
from app.views.panel import PanelRow, PoolRow
from ui.i18n import local, tr

POOL_TITLES = ("正高", "副高", "中级")


def split_list(text: str) -> list[str]:
    """Items typed on one line, separated by commas or 、."""
    return [x.strip() for x in text.replace("，", ",").replace("、", ",").split(",") if x.strip()]


class CorrectionDialog(QDialog):
    """A form (possibly empty), the written reason (when one is needed) and the engine's refusal in
    place; OK stays disabled until every required field and the reason are given."""

    submitted = Signal()

    def __init__(self, title: str, note: str, parent: QWidget | None = None, *, reason: bool = True,
                 ok_text: str = "", reason_label: str = "") -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(520)
        layout = QVBoxLayout(self)
        # what the dialog acts on, in its body too: a window title is easy to miss (and cut by some
        # window managers), and "撤回申报人 C005 秦浩然" is the one line that must not be misread
        self.subject = QLabel(title)
        self.subject.setWordWrap(True)
        self.subject.setStyleSheet("font-weight:bold;")
        layout.addWidget(self.subject)
        self.note = QLabel(note)
        self.note.setWordWrap(True)
        layout.addWidget(self.note)
        self.form = QFormLayout()
        layout.addLayout(self.form)
        self.required: list[QLineEdit] = []
        self.reason: QPlainTextEdit | None = None
        if reason:
            self.reason = QPlainTextEdit()
            self.reason.setMaximumHeight(80)
            self.reason.setPlaceholderText(tr("Required: kept in the audit trail"))
            self.reason.textChanged.connect(self.check)
            self.form.addRow(reason_label or tr("Reason for the change"), self.reason)
        self.problems = QLabel()
        self.problems.setWordWrap(True)
        self.problems.setStyleSheet("color:#b3261e;")
        self.problems.hide()
        layout.addWidget(self.problems)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText(ok_text or tr("Save"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("Cancel"))
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def add_row(self, label: str, field: QWidget, *, required: bool = False) -> None:
        """A field above the reason; a required line edit keeps OK disabled while empty."""
        self.form.insertRow(self.form.rowCount() - (1 if self.reason is not None else 0), label, field)
        if required and isinstance(field, QLineEdit):
            self.required.append(field)
            field.textChanged.connect(self.check)

    def reason_text(self) -> str:
        return self.reason.toPlainText().strip() if self.reason is not None else ""

    def check(self) -> None:
        ready = all(f.text().strip() for f in self.required) and (self.reason is None or bool(self.reason_text()))
        self.ok.setEnabled(ready)

    def submit(self) -> None:
        self.check()
        if self.ok.isEnabled():
            self.problems.hide()
            self.submitted.emit()

    def show_refusal(self, exc: RuleViolation) -> None:
        self.problems.setText("\n".join(f"{local(v.message)}  [{v.rule}]" for v in exc.violations))
        self.problems.show()


class CandidateDialog(CorrectionDialog):
    """Add a candidate, or correct one (the code stays; the reason is required)."""

    def __init__(self, parent: QWidget | None, levels: Sequence[str], quota_keys: Sequence[str],
                 groups: Sequence[str], row: CandidateView | None = None) -> None:
        editing = row is not None
        super().__init__(tr("Correct a candidate") if editing else tr("Add a candidate"),
                         tr("The unit decides which experts must stay out of this candidate's review (回避): "
                            "the setup checks the drawn panel again after the change.") if editing
                         else tr("A candidate added after the draw is checked against the drawn panel: an "
                                 "expert of the same unit means the draw must be re-run."),
                         parent, reason=editing)
        self.code, self.name, self.unit = QLineEdit(), QLineEdit(), QLineEdit()
        self.id_number, self.specialty = QLineEdit(), QLineEdit()
        self.level, self.group, self.quota = QComboBox(), QComboBox(), QComboBox()
        self.level.addItems(list(levels))
        self.group.setEditable(True)
        self.group.addItems(["", *groups])
        self.quota.addItems(["", *quota_keys])
        self.applied_title, self.education, self.current_title = QLineEdit(), QLineEdit(), QLineEdit()
        self.title_date = QLineEdit()
        self.applied_title.setPlaceholderText(tr("e.g. 主治医师, 副主任护师 — the title, not the specialty"))
        self.education.setPlaceholderText(tr("e.g. 大学本科"))
        self.current_title.setPlaceholderText(tr("e.g. 医师"))
        self.title_date.setPlaceholderText(tr("YYYY-MM-DD, e.g. 2019-07-01"))
        self.title_date.textChanged.connect(self.check)
        self.years = QSpinBox()
        self.years.setRange(-1, 50)             # -1: not given
        self.years.setSpecialValueText(tr("not given"))
        self.exceptional = QComboBox()
        for text, value in ((tr("not given"), None), (tr("no"), False), (tr("yes (破格)"), True)):
            self.exceptional.addItem(text, value)
        for label, field, needed in ((tr("Code"), self.code, True), (tr("Name"), self.name, True),
                                     (tr("Unit"), self.unit, True), (tr("ID number"), self.id_number, False),
                                     (tr("Level"), self.level, False), (tr("Specialty"), self.specialty, True),
                                     (tr("Applied title"), self.applied_title, True),
                                     (tr("Group"), self.group, False), (tr("Quota key"), self.quota, False),
                                     (tr("Education"), self.education, False),
                                     (tr("Current title"), self.current_title, False),
                                     (tr("Current title obtained on"), self.title_date, False),
                                     (tr("Years in post"), self.years, False),
                                     (tr("Exceptional"), self.exceptional, False)):
            self.add_row(label, field, required=needed)
        if row is not None:
            self.code.setText(row.code)
            self.code.setReadOnly(True)
            self.name.setText(row.name)
            self.unit.setText(row.unit)
            self.id_number.setText(row.id_number or "")
            self.level.setCurrentText(row.level)
            self.specialty.setText(row.specialty)
            self.group.setCurrentText(row.group or "")
            self.quota.setCurrentText(row.quota_key or "")
            self.applied_title.setText(row.applied_title or "")
            self.education.setText(row.education or "")
            self.current_title.setText(row.current_title or "")
            self.title_date.setText(row.current_title_date.isoformat() if row.current_title_date else "")
            self.years.setValue(-1 if row.years_in_post is None else row.years_in_post)
            self.exceptional.setCurrentIndex(max(self.exceptional.findData(row.exceptional), 0))
        self.check()

    def title_day(self) -> dt.date | bool | None:
        """The day typed (None: left empty); False when the text is not a day."""
        text = self.title_date.text().strip()
        if not text:
            return None
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            return False

    def check(self) -> None:
        super().check()
        if getattr(self, "title_date", None) is not None and self.title_day() is False:
            self.ok.setEnabled(False)

    def value(self) -> CandidateInput:
        day = self.title_day()
        return CandidateInput(self.code.text().strip(), self.name.text().strip(), self.unit.text().strip(),
                              self.level.currentText(), self.specialty.text().strip(),
                              self.id_number.text().strip() or None, self.group.currentText().strip() or None,
                              self.quota.currentText().strip() or None,
                              applied_title=self.applied_title.text().strip() or None,
                              education=self.education.text().strip() or None,
                              current_title=self.current_title.text().strip() or None,
                              current_title_date=day if isinstance(day, dt.date) else None,
                              years_in_post=None if self.years.value() < 0 else self.years.value(),
                              exceptional=self.exceptional.currentData())


class PoolExpertDialog(CorrectionDialog):
    """Add an expert to the pool, or correct one (the code stays; the reason is required)."""

    def __init__(self, parent: QWidget | None, row: PoolRow | None = None) -> None:
        editing = row is not None
        super().__init__(tr("Correct a pool expert") if editing else tr("Add an expert to the pool"),
                         tr("A 资深中级 expert is entered as 中级; record the HR department's approval "
                            "afterwards."), parent, reason=editing)
        self.code, self.name, self.unit, self.specialty = QLineEdit(), QLineEdit(), QLineEdit(), QLineEdit()
        self.title = QComboBox()
        self.title.addItems(POOL_TITLES)
        self.years = QSpinBox()
        self.years.setRange(0, 60)
        self.served, self.conflicts = QLineEdit(), QLineEdit()
        self.served.setPlaceholderText(tr("e.g. 2024, 2025"))
        self.conflicts.setPlaceholderText(tr("Units separated by 、"))
        self.blacklisted = QCheckBox(tr("On the integrity blacklist"))
        self.phone = QLineEdit()
        self.phone.setPlaceholderText(tr("e.g. 13812345678 or 0743-8223456"))
        self.category = QComboBox()
        self.category.addItem(tr("not given"), "")
        for name in CATEGORY_NAMES:
            self.category.addItem(name, name)
        for label, field, needed in ((tr("Code"), self.code, True), (tr("Name"), self.name, True),
                                     (tr("Unit"), self.unit, True), (tr("Specialty"), self.specialty, True),
                                     (tr("Title"), self.title, False), (tr("Years in title"), self.years, False),
                                     (tr("Category (honoraria)"), self.category, False),
                                     (tr("Phone"), self.phone, False),
                                     (tr("Years served on this committee"), self.served, False),
                                     (tr("Conflict units (回避单位)"), self.conflicts, False),
                                     ("", self.blacklisted, False)):
            self.add_row(label, field, required=needed)
        if row is not None:
            self.code.setText(row.code)
            self.code.setReadOnly(True)
            self.name.setText(row.name)
            self.unit.setText(row.unit)
            self.specialty.setText(row.specialty)
            self.title.setCurrentText(row.title)
            self.years.setValue(row.title_years)
            self.served.setText(", ".join(str(y) for y in row.served))
            self.conflicts.setText("、".join(row.conflict_units))
            self.blacklisted.setChecked(row.blacklisted)
            self.phone.setText(row.phone or "")
            self.category.setCurrentIndex(max(self.category.findData(row.category or ""), 0))
        self.served.textChanged.connect(self.check)
        self.check()

    def years_served(self) -> tuple[int, ...] | None:
        try:
            return tuple(int(y) for y in split_list(self.served.text()))
        except ValueError:
            return None

    def check(self) -> None:
        super().check()
        if getattr(self, "served", None) is not None and self.years_served() is None:
            self.ok.setEnabled(False)

    def value(self) -> PoolExpert:
        # an empty phone or category clears it ("" — None would keep what is stored)
        return PoolExpert(self.code.text().strip(), self.name.text().strip(), self.unit.text().strip(),
                          self.specialty.text().strip(), self.title.currentText(), self.years.value(),
                          self.years_served() or (), self.blacklisted.isChecked(),
                          tuple(split_list(self.conflicts.text())), self.phone.text().strip(),
                          self.category.currentData())


class PresidingDialog(CorrectionDialog):
    """Replace the chair or the vice-chair: another person, or the same person's details corrected."""

    def __init__(self, parent: QWidget | None, row: PanelRow) -> None:
        super().__init__(tr("Replace {name}", name=row.name),
                         tr("The new person must check in and sign the commitment letter."), parent)
        self.role = QComboBox()
        self.role.addItem(tr("Chair"), Role.CHAIR.value)
        self.role.addItem(tr("Vice-chair"), Role.VICE_CHAIR.value)
        self.role.setCurrentIndex(max(self.role.findData(row.role), 0))
        self.code, self.name, self.unit = QLineEdit(row.code), QLineEdit(row.name), QLineEdit(row.unit)
        self.title = QComboBox()
        self.title.setEditable(True)
        self.title.addItems(POOL_TITLES)
        self.title.setCurrentText(row.title)
        for label, field, needed in ((tr("Role"), self.role, False), (tr("Code"), self.code, True),
                                     (tr("Name"), self.name, True), (tr("Unit"), self.unit, True),
                                     (tr("Title"), self.title, False)):
            self.add_row(label, field, required=needed)
        self.check()

    def value(self) -> MemberInput:
        return MemberInput(self.code.text().strip(), self.name.text().strip(), self.unit.text().strip(),
                           self.title.currentText().strip(), Role(self.role.currentData()))
