"""Dialogs shared by the pages: reopening a step, a departure, voiding a round."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from app.domain import Step
from app.services import Conclave
from ui.i18n import bracketed, role_name, tr
from ui.ops import run_op


def chair_decision(layout: QVBoxLayout, app: Conclave, meeting_id: int, subject: str, note: str,
                   chair_label: str, placeholder: str) -> tuple[QComboBox, QPlainTextEdit, QFormLayout]:
    """What a dialog for a decision of the chair shows: its subject in bold (in the body, not only in the
    window title), what the decision does, the chair or vice-chair who takes it, the written reason."""
    heading = QLabel(subject)
    heading.setStyleSheet("font-weight:bold;")
    layout.addWidget(heading)
    text = QLabel(note)
    text.setWordWrap(True)
    layout.addWidget(text)
    form = QFormLayout()
    chair = QComboBox()
    for m in app.views.members(meeting_id):
        if m.role in ("chair", "vice_chair"):
            chair.addItem(m.name + bracketed(role_name(m.role)), m.code)
    reason = QPlainTextEdit()
    reason.setPlaceholderText(placeholder)
    form.addRow(chair_label, chair)
    form.addRow(tr("Written reason"), reason)
    layout.addLayout(form)
    return chair, reason, form


class ReopenDialog(QDialog):
    """The chair reopens a finished step with a written reason (audited)."""

    reopened = Signal()

    def __init__(self, app: Conclave, meeting_id: int, step: Step, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.app, self.meeting_id, self.step = app, meeting_id, step
        self.setWindowTitle(tr("Reopen step"))
        layout = QVBoxLayout(self)
        self.chair, self.reason, _form = chair_decision(
            layout, app, meeting_id, tr("Reopen step {n}: {name}", n=int(step), name=tr(step.en)),
            tr("This step and every step after it must be finished again. Reopening is recorded in the audit "
               "trail and is impossible once a ballot round has closed."),
            tr("Chair or vice-chair"), tr("Written reason"))
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


class VoidRoundDialog(QDialog):
    """The chair voids an open round unopened (its passphrase lost, mistyped when set): written reason,
    who decided; the page runs it. Only what the engine will do is said: nothing of the round is
    counted, everybody present votes again, the minutes print it."""

    given = Signal(str, str, str)     # the chair's or vice-chair's member code, the reason, the supervisor's code

    def __init__(self, app: Conclave, meeting_id: int, number: int, ballots: int,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Void round {n}", n=number))
        self.setMinimumWidth(520)
        layout = QVBoxLayout(self)
        self.chair, self.reason, form = chair_decision(
            layout, app, meeting_id, tr("Void round {n} of the ballot, unopened", n=number),
            tr("For a round whose box can never be opened — its passphrase lost or mistyped when it was "
               "set — or a round that went wrong. Ballots in its box: {b}, never opened or counted; "
               "who has voted is cleared and the round is held again under the same number, with a new "
               "passphrase: every expert present votes again. Who decided it and why are printed in the "
               "minutes and kept in the audit trail. A closed round can never be voided.", b=ballots),
            tr("Decided by"), tr("e.g. the supervisor lost the round passphrase: the box cannot be opened"))
        # the supervisor set the passphrase: they attest, with their own staff code, that the box goes unopened
        supervisor = app.views.meeting(meeting_id).supervisor or tr("the supervisor")
        self.code = QLineEdit()
        self.code.setEchoMode(QLineEdit.EchoMode.Password)
        self.code.setPlaceholderText(tr("{name}'s own staff code", name=supervisor))
        form.addRow(tr("Supervisor (纪检监察) confirms"), self.code)
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color:#b3261e;")
        self.problem.hide()
        layout.addWidget(self.problem)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText(tr("Void round {n}", n=number))
        self.ok.setEnabled(False)
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("Cancel"))
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.reason.textChanged.connect(self._check)
        self.code.textChanged.connect(self._check)

    def _check(self) -> None:
        self.ok.setEnabled(bool(self.reason.toPlainText().strip()) and bool(self.code.text().strip()))

    def _accept(self) -> None:
        """Hand the decision to the page; the dialog stays open until it is done (a refusal — a wrong
        code, say — is shown here, :meth:`show_refusal`)."""
        code = self.code.text()
        self.code.clear()                 # never kept by the interface
        self.given.emit(self.chair.currentData(), self.reason.toPlainText().strip(), code)

    def show_refusal(self, text: str) -> None:
        self.problem.setText(text)
        self.problem.show()
