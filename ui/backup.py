"""Backing up and restoring the meeting from the window, and the start-up check (备份与恢复).

* File › *Back up the meeting…* (备份会议…) opens :class:`BackupDialog`: where (a removable drive
  is proposed when one is plugged in), a passphrase typed twice — weak ones refused by the rule
  the committee key uses — and the backup is written off the interface thread
  (:meth:`app.services.backup.BackupService.backup`).
* File › *Restore from a backup…* (从备份恢复…) opens :class:`RestoreDialog` on the latest backup
  found beside the meeting or on a removable drive. The backup is decrypted and checked off the
  interface thread *while the meeting stays open* (:func:`app.services.backup.prepare_restore`);
  only when every check passed is the meeting closed, the files put in place and the restored
  meeting opened — the replaced one kept as ``….before-restore-<time>``.
* After each finished step the message bar offers "备份到U盘…" (not a dialog: nothing blocks).
* On opening a meeting the start-up check runs (``quick_check`` and the audit chain, tens of
  milliseconds on a provincial meeting); when it fails the message bar says so in plain words and
  offers the latest backup.

Removable drives are found with ``QStorageInfo``: mounted volumes that are ready, writable, not
the system's root, not a pseudo file system, and — outside Windows — mounted where desktops mount
removable media (``/media``, ``/run/media``, ``/mnt``, ``/Volumes``).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtGui import QCloseEvent, QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.domain import StepStatus
from app.errors import RuleViolation
from app.services import Conclave
from app.services.backup import SUFFIX, BackupReport, Health, PreparedRestore, prepare_restore
from ui import ops
from ui.i18n import bridge, headline, local, localise_file_dialog, tr
from ui.message_bar import CopyDetailsButton
from ui.ops import messages, run_op
from ui.scrolling import fit_height
from ui.sidebar import step_name

if TYPE_CHECKING:
    from ui.main_window import MainWindow

RED = "#b3261e"

#: File systems that are never a drive to back up to.
PSEUDO = frozenset({"tmpfs", "devtmpfs", "proc", "sysfs", "overlay", "squashfs", "devpts", "cgroup", "cgroup2",
                    "autofs", "efivarfs", "ramfs", "nsfs", "debugfs", "tracefs", "securityfs", "pstore", "bpf",
                    "mqueue", "hugetlbfs", "configfs", "fusectl", "binfmt_misc", "rpc_pipefs"})
#: Where desktops mount removable media (outside Windows).
MOUNT_PLACES = ("/media/", "/run/media/", "/mnt/", "/Volumes/")

Volume = tuple[str, str, bool, bool]        # root path, file system, writable, ready


def pick_removable(volumes: Iterable[Volume], system_root: str, platform: str = sys.platform) -> list[Path]:
    """The volumes a backup can go to: ready, writable, not the system's root, not a pseudo file
    system, and outside Windows mounted under a removable-media folder."""
    found = []
    for root, fs, writable, ready in volumes:
        if not ready or not writable or root == system_root or fs.lower() in PSEUDO:
            continue
        if platform != "win32" and not root.startswith(MOUNT_PLACES):
            continue
        found.append(Path(root))
    return found


def removable_folders() -> list[Path]:
    """The removable drives plugged in now (see :func:`pick_removable`)."""
    from PySide6.QtCore import QStorageInfo

    volumes = [(v.rootPath(), bytes(v.fileSystemType().data()).decode("ascii", "replace"),
                not v.isReadOnly() and os.access(v.rootPath(), os.W_OK), v.isValid() and v.isReady())
               for v in QStorageInfo.mountedVolumes()]
    return pick_removable(volumes, QStorageInfo.root().rootPath())


def _file_dialog(parent: QWidget, title: str, folder: Path, save: bool) -> QFileDialog:
    dialog = QFileDialog(parent, title, str(folder), tr("Meeting backups (*{suffix})", suffix=SUFFIX))
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
    if save:
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setOption(QFileDialog.Option.DontConfirmOverwrite, True)     # an existing file is refused
        dialog.setDefaultSuffix(SUFFIX.lstrip("."))
    else:
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
    localise_file_dialog(dialog)
    return dialog


class _Dialog(QDialog):
    """What both dialogs share: a file row, a passphrase, a problem line, a busy bar, and a busy
    state that Esc and the window's close button wait for (the job reports back to the dialog)."""

    def __init__(self, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.busy = False
        self.setMinimumWidth(680)
        self.path = QLineEdit()
        self.path.textChanged.connect(self._check)
        self.choose = QPushButton()
        self.choose.clicked.connect(self.ask_file)
        row = QHBoxLayout()
        row.addWidget(self.path, 1)
        row.addWidget(self.choose)
        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.textChanged.connect(self._check)
        self.form = QFormLayout()
        self.file_label, self.passphrase_label = QLabel(), QLabel()
        self.form.addRow(self.file_label, row)
        self.form.addRow(self.passphrase_label, self.passphrase)
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet(f"color:{RED};")
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)
        self.progress.hide()
        self.details_button = CopyDetailsButton()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Close)
        self.go = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.close_button = self.buttons.button(QDialogButtonBox.StandardButton.Close)
        self.buttons.accepted.connect(self.start)
        self.buttons.rejected.connect(self.reject)
        self.file_dialog: QFileDialog | None = None
        layout = self.main_layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(self.form)
        layout.addWidget(self.problem)
        layout.addWidget(self.progress)
        layout.addWidget(self.details_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.buttons)
        bridge.language_changed.connect(self._on_language)

    def _on_language(self, _language: str) -> None:
        self.retranslate()
        self._check()
        fit_height(self)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        fit_height(self)

    def retranslate(self) -> None:
        self.choose.setText(tr("Choose…"))
        self.close_button.setText(tr("Close"))
        self.file_label.setText(tr("Backup file"))

    def ask_file(self) -> None:
        """Subclasses open their file dialog."""

    def start(self) -> None:
        """Subclasses start their job."""

    def _check(self) -> None:
        """Subclasses say what is missing (the problem line) and enable the button."""

    def _set_busy(self, busy: bool, text: str = "") -> None:
        self.busy = busy
        self.progress.setVisible(busy)
        for widget in (self.path, self.choose, self.passphrase, self.close_button):
            widget.setEnabled(not busy)
        if busy:
            self.details_button.set_details("")
            self.problem.setStyleSheet("")
            self.problem.setText(text)
            self.go.setEnabled(False)
        else:
            self.problem.setStyleSheet(f"color:{RED};")
            self._check()

    def _refused(self, exc: RuleViolation) -> None:
        self._set_busy(False)
        self.problem.setText("\n".join(headline(v) for v in exc.violations))
        fit_height(self)

    def _failed(self) -> None:
        self._set_busy(False)
        self.problem.setText(messages.last_told()())
        self.details_button.set_details(messages.last_details())
        fit_height(self)

    def reject(self) -> None:
        if not self.busy:
            self.passphrase.clear()
            super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.busy:
            event.ignore()
            return
        super().closeEvent(event)


class BackupDialog(_Dialog):
    """Back up the meeting to one encrypted file (备份会议)."""

    def __init__(self, app: Conclave, meeting_id: int, parent: QWidget | None = None,
                 folder: Path | None = None) -> None:
        super().__init__(parent)
        self.app, self.meeting_id = app, meeting_id
        self.report: BackupReport | None = None
        self.repeat = QLineEdit()
        self.repeat.setEchoMode(QLineEdit.EchoMode.Password)
        self.repeat.textChanged.connect(self._check)
        self.repeat_label = QLabel()
        self.form.addRow(self.repeat_label, self.repeat)
        drives = removable_folders() if folder is None else [folder]
        self.on_drive = bool(drives)
        self.path.setText(str((drives[0] if drives else app.path.parent) / app.backups.suggested_name()))
        self.retranslate()
        self._check()

    def retranslate(self) -> None:
        super().retranslate()
        self.setWindowTitle(tr("Back up the meeting"))
        self.intro.setText(tr(
            "One encrypted file holds the whole meeting: the database, the committee key and the archive "
            "with its sealed papers. Keep it apart from this laptop (a USB drive kept by the office), and "
            "the passphrase apart from it: without the passphrase it cannot be restored.")
            + ("" if self.on_drive else "\n" + tr("No removable drive was found: the backup is proposed beside "
                                                  "the meeting file; plug in a USB drive and choose it.")))
        self.passphrase_label.setText(tr("Passphrase"))
        self.repeat_label.setText(tr("Passphrase again"))
        self.go.setText(tr("Back up"))

    def ask_file(self) -> None:
        target = Path(self.path.text().strip() or self.app.path.parent)
        dialog = self.file_dialog = _file_dialog(self, tr("Back up the meeting — choose a file"), target.parent,
                                                 save=True)
        dialog.selectFile(target.name)
        dialog.fileSelected.connect(self.path.setText)
        dialog.open()

    def _check(self) -> None:
        first, second = self.passphrase.text(), self.repeat.text()
        if not self.path.text().strip():
            problem = tr("Choose where to write the backup.")
        elif not first:
            problem = tr("Type the passphrase.")
        else:
            check = self.app.documents.passphrase_strength(self.meeting_id, first)
            if check.problem is not None:
                problem = local(check.problem)
            elif first != second:
                problem = tr("The two passphrases differ.") if second else tr("Type the passphrase again.")
            else:
                problem = ""
        if not self.busy:
            self.problem.setText(problem)
            self.go.setEnabled(not problem)

    def _set_busy(self, busy: bool, text: str = "") -> None:
        self.repeat.setEnabled(not busy)
        super()._set_busy(busy, text)

    def start(self) -> None:
        if self.busy or not self.go.isEnabled():
            return
        out, secret, backups = Path(self.path.text().strip()), self.passphrase.text(), self.app.backups
        if not out.suffix:
            out = out.with_name(out.name + SUFFIX)
        self._set_busy(True, tr("Writing the backup…"))
        run_op(lambda: backups.backup(out, secret), self._done, self._refused, on_error=self._failed)

    def _done(self, report: BackupReport) -> None:
        self.report = report
        self._set_busy(False)
        self.passphrase.clear()
        self.repeat.clear()
        messages.post("info", tr("Backup written"),
                      tr("{path} — {size} MB, {files} files; audit trail of {events} events.", path=str(report.path),
                         size=f"{report.size / 1e6:.1f}", files=report.files, events=report.events))
        self.accept()


class RestoreDialog(_Dialog):
    """Restore the meeting open in ``window`` from a backup (从备份恢复): checked while the meeting
    stays open, then put in place and opened."""

    def __init__(self, window: MainWindow, backup: Path | None = None) -> None:
        super().__init__(window)
        self.main_window = window
        self.prepared: PreparedRestore | None = None
        if backup is None:
            found = window.app.backups.latest_backups(removable_folders())
            backup = found[0].path if found else None
        self.path.setText(str(backup or ""))
        self.force = QCheckBox()
        self.force.hide()                 # offered once a backup was refused as another meeting's
        self.main_layout.insertWidget(2, self.force)
        self.retranslate()
        self._check()

    def retranslate(self) -> None:
        super().retranslate()
        self.setWindowTitle(tr("Restore from a backup"))
        self.intro.setText(tr(
            "The backup is decrypted and checked first — every file against its manifest, the database's "
            "integrity and its audit trail — while this meeting stays open. Only then is the meeting file "
            "replaced; the current one is kept beside it as “…before-restore-<time>”.\nMeeting file: {path}",
            path=str(self.main_window.app.path)))
        self.passphrase_label.setText(tr("Passphrase"))
        self.force.setText(tr("Replace it although it is another meeting (the current one is kept aside)"))
        self.go.setText(tr("Restore"))

    def ask_file(self) -> None:
        current = Path(self.path.text().strip()) if self.path.text().strip() else None
        folder = current.parent if current else self.main_window.app.path.parent
        dialog = self.file_dialog = _file_dialog(self, tr("Restore from a backup — choose the file"), folder,
                                                 save=False)
        dialog.fileSelected.connect(self.path.setText)
        dialog.open()

    def _check(self) -> None:
        if not self.path.text().strip():
            problem = tr("Choose the backup file.")
        elif not self.passphrase.text():
            problem = tr("Type the passphrase.")
        else:
            problem = ""
        if not self.busy:
            self.problem.setText(problem)
            self.go.setEnabled(not problem)

    def start(self) -> None:
        if self.busy or not self.go.isEnabled():
            return
        if ops.busy():
            self.problem.setText(tr("An action is still running on this meeting; restore when it has finished."))
            return
        backup, db = Path(self.path.text().strip()), self.main_window.app.path
        secret, force = self.passphrase.text(), self.force.isChecked()
        self._set_busy(True, tr("Decrypting and checking the backup…"))
        run_op(lambda: prepare_restore(backup, db, secret, force=force), self._checked, self._refused,
               on_error=self._failed)

    def _refused(self, exc: RuleViolation) -> None:
        super()._refused(exc)
        if exc.rule == "backup.foreign":
            self.force.show()

    def _checked(self, prepared: PreparedRestore) -> None:
        """Every check passed: close the meeting, put the files in place, open the restored one."""
        self.prepared = prepared
        window = self.main_window
        old = window.app
        window.close_helpers()
        old.close()
        try:
            report = prepared.commit()
        except RuleViolation as exc:
            self._reopen(old.path)
            self._refused(exc)
            return
        app = self._reopen(report.db)
        self._set_busy(False)
        self.passphrase.clear()
        if app is not None:
            meetings = app.views.meetings()
            window.show_meeting(app, meetings[-1].id)
            kept = "; ".join(str(p) for p in report.kept) or tr("(nothing was replaced)")
            messages.post("info", tr("Meeting restored"),
                          tr("Restored from {backup} (backed up {created}); audit trail of {events} events intact. "
                             "Kept: {kept}", backup=str(prepared.backup), created=report.created,
                             events=report.events, kept=kept))
        self.accept()

    def _reopen(self, path: Path) -> Conclave | None:
        try:
            return Conclave(path)
        except RuleViolation as exc:
            messages.refusal(exc)
        return None


class BackupTools(QObject):
    """The window's backup actions: two File-menu entries, the message bar's offer, the start-up check."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        menu = window.files.menu
        self.backup_action = menu.addAction("", self.ask_backup)
        self.restore_action = menu.addAction("", self.ask_restore)
        menu.insertAction(window.files.quit_action, self.backup_action)
        menu.insertAction(window.files.quit_action, self.restore_action)
        menu.insertSeparator(window.files.quit_action)
        self.offer_button = QPushButton()
        self.offer_button.clicked.connect(self._offered)
        self.offer_button.hide()
        self.mode = ""                      # "backup" after a finished step, "restore" after a failed check
        window.message_bar.row.insertWidget(2, self.offer_button)
        messages.message.connect(self._on_message)
        messages.cleared.connect(self._withdraw)
        self.dialog: QDialog | None = None
        self.done_steps: set[int] = set()
        self.health: Health | None = None
        bridge.language_changed.connect(self._retranslate)
        self._retranslate()
        self.meeting_opened()

    @property
    def window(self) -> MainWindow:
        return self.parent()  # type: ignore[return-value]

    def _retranslate(self, _language: str = "") -> None:
        self.backup_action.setText(tr("Back up the meeting…"))
        self.restore_action.setText(tr("Restore from a backup…"))
        self.offer_button.setText(tr("Back up to a USB drive…") if self.mode == "backup"
                                  else tr("Restore from a backup…"))

    # -- the meeting opened --------------------------------------------------------------
    def meeting_opened(self) -> None:
        """Watch the new wizard's steps; run the start-up check once the window has settled on
        the current step (moving there clears the message bar)."""
        app, meeting_id = self.window.app, self.window.meeting_id
        self.done_steps = {int(s.step) for s in app.procedure.status(meeting_id) if s.done}
        for page in self.window.wizard.step_pages.values():
            page.changed.connect(self._statuses)
        QTimer.singleShot(0, self, self.check)      # (not if the window is gone by then)

    def check(self) -> Health:
        """The start-up check — the full one, as ``conclave verify-db``: the file, the audit trail and
        its heads file, and every table rebuilt from the trail (a few hundred milliseconds on a
        provincial meeting); when it fails, say so plainly and offer the latest backup."""
        app = self.window.app        # (the window may go while the check runs: only ``app`` is used after it)
        self.health = health = app.backups.check_deep()
        if not health.ok:
            def render() -> tuple[str, str]:
                found = app.backups.latest_backups(removable_folders())
                latest = (tr("The latest backup found: {path}", path=str(found[0].path)) if found
                          else tr("No backup was found beside the meeting file or on a removable drive."))
                return (tr("This meeting file failed its check"),
                        tr("The meeting file {path} is not sound: {problem}. Do not continue the meeting in it: "
                           "restore the latest backup.", path=str(app.path),
                           problem=local(health.problems[0])) + "\n" + latest)
            messages.post("error", *render(), render=render)
            self._show("restore")
        elif app.voting.compaction_pending():
            def pending() -> tuple[str, str]:
                return (tr("The meeting file is not yet compacted"),
                        tr("A closed ballot round left the file to be compacted, and another program is still "
                           "using it (reading or writing it), so it could not be done at opening either. Close "
                           "every other program that has {path} open, then close and reopen the meeting.",
                           path=str(app.path)))
            messages.post("info", *pending(), render=pending)
        return health

    def _statuses(self, statuses: list[StepStatus]) -> None:
        done = {int(s.step) for s in statuses if s.done}
        new = done - self.done_steps
        self.done_steps = done
        if new:                         # after the wizard has moved on (which clears the message bar)
            step = max(new)
            QTimer.singleShot(0, self, lambda: self.offer_backup(step))

    def offer_backup(self, step: int) -> None:
        """The non-blocking offer after a finished step: a message and the "备份到U盘…" button."""
        from app.domain import Step

        def render() -> tuple[str, str]:
            return (tr("Step {n} finished: {name}", n=step, name=step_name(Step(step))),
                    tr("Back up the meeting now, to a USB drive kept apart from this laptop."))
        messages.post("info", *render(), render=render)
        self._show("backup")

    # -- the button in the message bar ---------------------------------------------------
    def _show(self, mode: str) -> None:
        self.mode = mode
        self._retranslate()
        self.offer_button.show()

    def _on_message(self, *_args: object) -> None:
        self._withdraw()               # another message: the offer goes (an offer re-shows it after posting)

    def _withdraw(self) -> None:
        self.mode = ""
        self.offer_button.hide()

    def _offered(self) -> None:
        if self.mode == "backup":
            self.ask_backup()
        else:
            self.ask_restore()

    # -- the dialogs -------------------------------------------------------------------------
    def ask_backup(self) -> BackupDialog:
        dialog = BackupDialog(self.window.app, self.window.meeting_id, self.window)
        self._open(dialog)
        return dialog

    def ask_restore(self, backup: Path | None = None) -> RestoreDialog:
        dialog = RestoreDialog(self.window, backup)
        self._open(dialog)
        return dialog

    def _open(self, dialog: QDialog) -> None:
        if self.dialog is not None and not getattr(self.dialog, "busy", False):
            self.dialog.deleteLater()
        self.dialog = dialog
        dialog.open()
