"""The round passphrase (表决口令): set by the supervisor when a round opens, entered again to close it.

Why a passphrase: every ballot of an open round is sealed to a key made for the round, whose
private half is kept in the file wrapped under this passphrase (:mod:`app.sealing.ballotbox`,
through :mod:`app.services.voting`). Whoever reads the laptop's files while the round is open
sees sealed ballots only; at close the box is opened with the passphrase, shuffled and counted.
A crash loses nothing — the passphrase opens the box after a restart too.

Set: typed twice, its strength shown while it is typed by the same rule as the committee key's
passphrase (:mod:`app.rules.passphrase`; a weak one cannot be set). Close: typed once; a wrong
one is refused by the engine and nothing changes. A paper batch's second copy (``batch``): typed
once too — the first copy waits sealed like the ballots, and the passphrase opens it only for the
comparison (:mod:`ui.paper_entry`). The dialog only collects the passphrase —
``entered`` carries it to the page, which runs the opening or the close — and forgets it then.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.services import Conclave
from app.services.documents import PassphraseCheck
from ui.i18n import tr
from ui.key_dialog import RED, new_passphrase_problem, show_strength, strength_meter


class RoundPassphraseDialog(QDialog):
    """Ask for round ``number``'s passphrase: to set it (``setting``: twice, not weak), to close, or
    (``batch``) to compare a paper batch's copy with its sealed first copy."""

    entered = Signal(str)

    def __init__(self, app: Conclave, meeting_id: int, number: int, setting: bool,
                 parent: QWidget | None = None, *, batch: str | None = None) -> None:
        super().__init__(parent)
        self.app, self.meeting_id, self.setting = app, meeting_id, setting
        self.setMinimumWidth(520)
        if setting:
            self.setWindowTitle(tr("Round {n}: set the round passphrase", n=number))
            intro = tr("The supervisor sets a passphrase for round {n}. Every ballot is sealed as it is cast and "
                       "can only be opened with this passphrase when the round closes: keep it in mind (or on "
                       "paper, kept by the supervisor) until then: without it the round's ballots cannot be opened "
                       "or counted, and the round must be voided and held again. Nobody reading the computer's "
                       "files during the round can see how anyone voted.", n=number)
        elif batch is not None:
            self.setWindowTitle(tr("Round {n}: compare with the sealed first entry", n=number))
            intro = tr("The first entry of batch {batch} waits sealed, like the ballots. The supervisor enters the "
                       "passphrase set when round {n} was opened: it opens the first entry only to compare it with "
                       "this one — neither clerk sees it.", batch=batch, n=number)
        else:
            self.setWindowTitle(tr("Round {n}: open the ballot box", n=number))
            intro = tr("Enter the passphrase the supervisor set when round {n} was opened: it opens the sealed "
                       "ballots, which are then shuffled and counted.", n=number)
        self.intro = QLabel(intro)
        self.intro.setWordWrap(True)
        self.passphrase, self.repeat = QLineEdit(), QLineEdit()
        for field in (self.passphrase, self.repeat):
            field.setEchoMode(QLineEdit.EchoMode.Password)
            field.textChanged.connect(self._check)
        self.strength_bar, self.strength_label = strength_meter()
        form = QFormLayout()
        form.addRow(tr("Round passphrase"), self.passphrase)
        if setting:
            strength = QHBoxLayout()
            strength.addWidget(self.strength_bar, 1)
            strength.addWidget(self.strength_label, 1)
            form.addRow(tr("Strength"), strength)
            form.addRow(tr("Passphrase again"), self.repeat)
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet(f"color:{RED};")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(tr("Open round {n}", n=number) if setting else
                               tr("Compare the entries") if batch is not None else tr("Close round {n}", n=number))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("Cancel"))
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        # a wrapped label does not make a top-level dialog tall enough on its own: the intro's lines
        # at the dialog's width are reserved, or a longer intro is cut off
        margins = layout.contentsMargins()
        self.intro.setMinimumHeight(self.intro.heightForWidth(self.minimumWidth() - margins.left() - margins.right()))
        self._check()

    def _check(self) -> None:
        first, second = self.passphrase.text(), self.repeat.text()
        if not self.setting:
            self.problem.setText("" if first else tr("Type the passphrase."))
            self.ok_button.setEnabled(bool(first))
            return
        check = self.app.documents.passphrase_strength(self.meeting_id, first) if first else None
        self._show_strength(check)
        problem = new_passphrase_problem(check, first, second)
        self.problem.setText(problem)
        self.ok_button.setEnabled(not problem)

    def _show_strength(self, check: PassphraseCheck | None) -> None:
        show_strength(self.strength_bar, self.strength_label, check)

    def submit(self) -> None:
        if not self.ok_button.isEnabled():
            return
        secret = self.passphrase.text()
        self._forget()
        self.accept()
        self.entered.emit(secret)

    def reject(self) -> None:
        self._forget()
        super().reject()

    def _forget(self) -> None:
        self.passphrase.clear()
        self.repeat.clear()
