"""Creating the committee key (创建评委会签章密钥): at setup, by an explicit action (the
setup's 签章密钥 box, :mod:`ui.pages.setup_key`), and where the window must write documents and
there is none yet.

The passphrase is typed twice; its strength (弱/中/强) is shown while it is typed, by the
engine's rule (:mod:`app.rules.passphrase`, through ``DocumentsService.passphrase_strength``)
— the one ``conclave key create`` and the service apply — and *Create* stays disabled while it
is weak (with the refusal's own words: why, and what to do) and until both are typed and the
same. The dialog says where the key file will be and that it must be kept and backed up. The key
is made by ``DocumentsService.create_key`` off the interface thread (a few seconds); the
dialog is busy — and cannot be closed — until that reports back, refused or not.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent, QShowEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QVBoxLayout,
    QWidget,
)

from app.errors import RuleViolation
from app.rules.passphrase import MIN_LENGTH, Strength
from app.services import Conclave
from app.services.documents import KeyStatus, PassphraseCheck
from ui.i18n import headline, local, tr
from ui.message_bar import CopyDetailsButton
from ui.ops import messages, run_op
from ui.scrolling import fit_height

RED = "#b3261e"
#: The strength bar's value and colour for each strength (an empty passphrase shows nothing).
STRENGTH_LOOK: dict[Strength, tuple[int, str]] = {
    Strength.WEAK: (1, RED), Strength.FAIR: (2, "#b26a00"), Strength.STRONG: (3, "#2e7d32")}


def strength_name(strength: Strength) -> str:
    """弱/中/强, with whether it may be used."""
    return {Strength.WEAK: tr("Weak — cannot be used"), Strength.FAIR: tr("Fair — can be used"),
            Strength.STRONG: tr("Strong")}[strength]


def strength_meter() -> tuple[QProgressBar, QLabel]:
    """A passphrase's strength bar (weak, fair, strong) and its label, empty until something is typed."""
    bar = QProgressBar()
    bar.setRange(0, 3)
    bar.setTextVisible(False)
    bar.setFixedHeight(8)
    return bar, QLabel()


def show_strength(bar: QProgressBar, label: QLabel, check: PassphraseCheck | None) -> None:
    """A passphrase's strength on its bar and label (the committee key's and a round's dialogs)."""
    if check is None:
        bar.setValue(0)
        label.clear()
        return
    value, colour = STRENGTH_LOOK[check.strength]
    bar.setValue(value)
    bar.setStyleSheet(f"QProgressBar::chunk {{ background:{colour}; }}")
    label.setText(strength_name(check.strength))
    label.setStyleSheet(f"color:{colour};")


def new_passphrase_problem(check: PassphraseCheck | None, first: str, second: str) -> str:
    """What keeps a new passphrase (typed twice) from being taken, or "" (the committee key's and
    a round's dialogs)."""
    if check is None:
        return tr("Type the passphrase.")
    if check.problem is not None:
        return local(check.problem)
    if first != second:
        return tr("The two passphrases differ.") if second else tr("Type the passphrase again.")
    return ""


def key_summary(key: KeyStatus) -> str:
    """Where the committee key is and its root's fingerprint, or that it is still to be made."""
    if key.exists:
        return tr("Committee key: {path} (root SHA-256 {fingerprint}…)", path=str(key.path),
                  fingerprint=(key.root_fingerprint or "—")[:23])
    if key.root_fingerprint:
        return tr("The committee key file is missing: restore it from its backup to {path}", path=str(key.path))
    return tr("No committee key yet: it is created once, before the first documents are written.")


class CommitteeKeyDialog(QDialog):
    """Create the committee key once; ``created`` carries the passphrase, so the caller can seal
    the documents it was about to write without asking for it again."""

    created = Signal(str)

    def __init__(self, app: Conclave, meeting_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.app, self.meeting_id = app, meeting_id
        self.busy = False
        self.setWindowTitle(tr("Create the committee key"))
        self.setMinimumWidth(520)
        path = app.documents.key_status(meeting_id).path
        intro = QLabel(tr("Documents are sealed with the committee's own key. There is none yet: "
                          "create it now, once, with a passphrase."))
        self.where = QLabel(tr("The key file will be kept at:\n{path}", path=str(path)))
        self.keep = keep = QLabel(tr(
            "Keep this file and back it up (for example on a backup medium), with the passphrase kept apart: "
            "without them no further document can be sealed, and a new key would not verify the documents sealed "
            "so far."))
        self.rule = QLabel(tr("The passphrase needs at least {n} characters and must be hard to guess: three or "
                              "four unrelated words (Chinese or Latin letters) with a number or a sign work well — "
                              "not the committee's name, series, place or year, no run (123456, abcdef), no repeat "
                              "(aaaa), no common password.", n=MIN_LENGTH))
        for label in (intro, self.where, keep, self.rule):
            label.setWordWrap(True)
        keep.setStyleSheet(f"color:{RED};")
        self.passphrase, self.repeat = QLineEdit(), QLineEdit()
        for field in (self.passphrase, self.repeat):
            field.setEchoMode(QLineEdit.EchoMode.Password)
            field.textChanged.connect(self._check)
        self.strength_bar, self.strength_label = strength_meter()
        strength = QHBoxLayout()
        strength.addWidget(self.strength_bar, 1)
        strength.addWidget(self.strength_label, 1)
        self.strength: PassphraseCheck | None = None
        form = QFormLayout()
        form.addRow(tr("Passphrase"), self.passphrase)
        form.addRow(tr("Strength"), strength)
        form.addRow(tr("Passphrase again"), self.repeat)
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet(f"color:{RED};")
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)
        self.progress.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.create_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.create_button.setText(tr("Create the key"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("Cancel"))
        self.buttons.accepted.connect(self.create_key)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        for widget in (intro, self.where, keep, self.rule):
            layout.addWidget(widget)
        layout.addLayout(form)
        self.details_button = CopyDetailsButton()
        for bottom in (self.problem, self.progress):
            layout.addWidget(bottom)
        layout.addWidget(self.details_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.buttons)
        self._check()

    def _check(self) -> None:
        """Create is possible only with a passphrase that is not weak, typed twice the same; say
        how strong it is, and what is missing."""
        first, second = self.passphrase.text(), self.repeat.text()
        self.strength = check = self.app.documents.passphrase_strength(self.meeting_id, first) if first else None
        self._show_strength(check)
        problem = new_passphrase_problem(check, first, second)
        self.problem.setText(problem)
        self.create_button.setEnabled(not problem and not self.busy)
        self._fit()

    def _fit(self) -> None:
        fit_height(self)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._fit()

    def _show_strength(self, check: PassphraseCheck | None) -> None:
        show_strength(self.strength_bar, self.strength_label, check)

    def create_key(self) -> None:
        secret = self.passphrase.text()
        if not secret or secret != self.repeat.text() or self.busy or not self.create_button.isEnabled():
            return
        app, meeting_id = self.app, self.meeting_id
        actor = app.views.acting_secretary(meeting_id)
        self._set_busy(True)
        run_op(lambda: app.documents.create_key(actor, meeting_id, secret),
               lambda _status: self._created(secret), self._refused, on_error=self._failed)

    def _created(self, secret: str) -> None:
        self._set_busy(False)
        self.passphrase.clear()
        self.repeat.clear()
        self.accept()
        self.created.emit(secret)

    def _refused(self, exc: RuleViolation) -> None:
        self._set_busy(False)
        self.problem.setText("\n".join(headline(v) for v in exc.violations))
        self._fit()

    def _failed(self) -> None:
        """An unexpected error: no key was made; say so, with the details to copy."""
        self._set_busy(False)
        self.problem.setText(messages.last_told()())
        self.details_button.set_details(messages.last_details())
        self._fit()

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        self.progress.setVisible(busy)
        self.passphrase.setEnabled(not busy)
        self.repeat.setEnabled(not busy)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setEnabled(not busy)
        if busy:
            self.details_button.set_details("")
            self.problem.setText(tr("Creating the committee key…"))
            self.create_button.setEnabled(False)
        else:
            self.problem.clear()
            self._check()

    def reject(self) -> None:
        """Esc and Cancel wait while the key is made: the job reports back to this dialog. A
        cancelled dialog forgets what was typed."""
        if not self.busy:
            self.passphrase.clear()
            self.repeat.clear()
            super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:
        """See :meth:`reject`."""
        if self.busy:
            event.ignore()
            return
        super().closeEvent(event)
