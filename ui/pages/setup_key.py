"""The committee key at setup (签章密钥): a box on the setup's first tab that shows whether the
committee key exists, where its file is and its root certificate's fingerprint, and creates it by
an explicit action (:class:`~ui.key_dialog.CommitteeKeyDialog`: the passphrase typed twice, its
strength checked, the file's place shown, a reminder to back it up).

Why at setup: the papers print the key's fingerprint, and a key made in a hurry on the day of the
documents is the one whose passphrase is weak or forgotten. Why not a condition of step 1
(:meth:`app.services.procedure.ProcedureService.setup_gate`): the key seals the documents, which
come only at the end; a meeting must not be held up by it, and the documents still offer to create
it when it is missing (``ui/documents.py``, ``ui/pages/archive.py``). So the box warns, in amber,
until the key exists, and the page's gate does not wait for it.

The box keeps itself current: it reloads whenever the setup page refreshes (its ``changed``
signal), when it is shown, after it made the key, and re-applies its texts when the language
changes. Creating the key stays possible once the setup is locked (step 1 finished): it changes
nothing the preparatory meeting announced.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QGroupBox, QLabel, QPushButton, QVBoxLayout

from app.services.documents import KeyStatus
from ui.i18n import bridge, tr
from ui.key_dialog import RED, CommitteeKeyDialog, key_summary

if TYPE_CHECKING:
    from ui.wizard import StepPage

AMBER = "#8a5a00"


def grouped(fingerprint: str) -> str:
    """A SHA-256 fingerprint (``AB:CD:…``, 32 bytes) in groups of 8 bytes, to read aloud and to wrap
    between the groups in a narrow column."""
    octets = fingerprint.split(":")
    return " ".join(":".join(octets[i:i + 8]) for i in range(0, len(octets), 8))


class KeyBox(QGroupBox):
    """签章密钥: the committee key's state, and the button that creates it."""

    def __init__(self, page: StepPage) -> None:
        super().__init__()
        self.page = page
        self.key: KeyStatus | None = None
        self.dialog: CommitteeKeyDialog | None = None
        layout = QVBoxLayout(self)
        self.state = QLabel()
        self.fingerprint_name = QLabel()
        self.fingerprint = QLabel()
        self.note = QLabel()
        for label in (self.state, self.fingerprint_name, self.fingerprint, self.note):
            label.setWordWrap(True)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            layout.addWidget(label)
        self.fingerprint.setStyleSheet("font-family: monospace;")
        self.create_button = QPushButton()
        self.create_button.setProperty("allowed_when_locked", True)
        self.create_button.clicked.connect(self.ask_create)
        layout.addWidget(self.create_button, 0, Qt.AlignmentFlag.AlignLeft)
        page.changed.connect(self._on_page_changed)          # bound methods: no call after the box is gone
        bridge.language_changed.connect(self._on_language)

    def _on_page_changed(self, _statuses: object) -> None:
        self.load()

    def _on_language(self, _language: str) -> None:
        self.retranslate()

    def load(self) -> None:
        self.key = self.page.app.documents.key_status(self.page.meeting_id)
        self.retranslate()

    def showEvent(self, event: QShowEvent) -> None:
        self.load()          # a key made elsewhere (the documents window) shows when the page comes back
        super().showEvent(event)

    def retranslate(self) -> None:
        self.setTitle(tr("Committee key (签章密钥)"))
        self.create_button.setText(tr("Create the committee key…"))
        key = self.key
        if key is None:
            return
        self.fingerprint_name.setText(tr("Root certificate SHA-256 (printed on the papers):"))
        self.fingerprint.setText(grouped(key.root_fingerprint or ""))
        self.fingerprint_name.setVisible(bool(key.root_fingerprint))
        self.fingerprint.setVisible(bool(key.root_fingerprint))
        self.create_button.setVisible(not key.exists and not key.root_fingerprint)
        if key.exists:
            self.state.setText(tr("Key file: {path}", path=str(key.path)))
            self.note.setText(tr(
                "Keep this file and back it up (for example on a backup medium), with the passphrase kept apart: "
                "without them no further document can be sealed, and a new key would not verify the documents "
                "sealed so far."))
            self.note.setStyleSheet(f"color:{RED};")
        elif key.root_fingerprint:         # made before, its file gone: restore it, never make another
            self.state.setText(key_summary(key))
            self.note.setText(tr("A new key cannot be created: the documents sealed so far are trusted through "
                                 "this root."))
            self.note.setStyleSheet(f"color:{RED};")
        else:
            self.state.setText(tr("No committee key yet. Create it now, at setup, once: the documents are sealed "
                                  "with it and the papers print its fingerprint. It will be kept at:\n{path}",
                                  path=str(key.path)))
            self.note.setText(tr("The meeting can start without it; the documents cannot be sealed until it exists."))
            self.note.setStyleSheet(f"color:{AMBER};")

    def ask_create(self) -> None:
        """The key dialog; the box shows the new key's place and fingerprint once it is closed."""
        self.dialog = dialog = CommitteeKeyDialog(self.page.app, self.page.meeting_id, self)
        dialog.finished.connect(self._dialog_closed)
        dialog.open()

    def _dialog_closed(self, _result: int) -> None:
        """Made, or cancelled after a refusal (a key made meanwhile elsewhere): show what there is now."""
        self.load()
