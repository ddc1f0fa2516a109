"""Dialogs shared by the pages: reopening a step."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from app.domain import Step
from app.services import Conclave
from ui.i18n import bracketed, tr
from ui.ops import run_op


class ReopenDialog(QDialog):
    """The chair reopens a finished step with a written reason (audited)."""

    reopened = Signal()

    def __init__(self, app: Conclave, meeting_id: int, step: Step, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.app, self.meeting_id, self.step = app, meeting_id, step
        self.setWindowTitle(tr("Reopen step"))
        layout = QVBoxLayout(self)
        subject = QLabel(tr("Reopen step {n}: {name}", n=int(step), name=tr(step.en)))   # which step, in the body
        subject.setStyleSheet("font-weight:bold;")
        layout.addWidget(subject)
        note = QLabel(tr("This step and every step after it must be finished again. Reopening is recorded in "
                         "the audit trail and is impossible once a ballot round has closed."))
        note.setWordWrap(True)
        layout.addWidget(note)
        form = QFormLayout()
        self.chair = QComboBox()
        for m in app.views.members(meeting_id):
            if m.role in ("chair", "vice_chair"):
                self.chair.addItem(m.name + bracketed(tr("Chair") if m.role == "chair" else tr("Vice-chair")), m.code)
        self.reason = QPlainTextEdit()
        self.reason.setPlaceholderText(tr("Written reason"))
        form.addRow(tr("Chair or vice-chair"), self.chair)
        form.addRow(tr("Written reason"), self.reason)
        layout.addLayout(form)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(tr("Reopen…").rstrip("…"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("Cancel"))
        buttons.accepted.connect(self._reopen)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def _reopen(self) -> None:
        chair = self.chair.currentData()
        reason = self.reason.toPlainText()
        actor = self.app.views.acting_secretary(self.meeting_id)

        def done(_r: object) -> None:
            self.reopened.emit()
            self.accept()

        run_op(lambda: self.app.procedure.reopen(actor, self.meeting_id, self.step, chair, reason), done)


class DepartureDialog(QDialog):
    """An expert leaves during the meeting (中途离会): recorded with its reason; they no longer
    review or vote, and the minutes say so."""

    recorded = Signal()

    def __init__(self, app: Conclave, meeting_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.app, self.meeting_id = app, meeting_id
        self.setWindowTitle(tr("Record a departure"))
        self.setMinimumWidth(460)
        layout = QVBoxLayout(self)
        note = QLabel(tr("An expert who leaves no longer reviews, scores or votes; the minutes record it."))
        note.setWordWrap(True)
        layout.addWidget(note)
        form = QFormLayout()
        self.expert = QComboBox()
        for m in app.views.members(meeting_id):
            if m.role == "expert" and m.checked_in:
                self.expert.addItem(f"{m.code} {m.name}", m.code)
        self.reason = QPlainTextEdit()
        self.reason.setMaximumHeight(90)
        form.addRow(tr("Expert"), self.expert)
        form.addRow(tr("Reason"), self.reason)
        layout.addLayout(form)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(tr("Record"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("Cancel"))
        buttons.accepted.connect(self._record)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def _record(self) -> None:
        code, reason = self.expert.currentData(), self.reason.toPlainText()
        actor = self.app.views.acting_secretary(self.meeting_id)

        def done(_r: object) -> None:
            self.recorded.emit()
            self.accept()

        run_op(lambda: self.app.setup.record_departure(actor, self.meeting_id, code, reason), done)
