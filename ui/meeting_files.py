"""The File menu (文件): each meeting is a database file the secretary chooses.

*New meeting…* asks for a new file, then shows the start dialog on it (a cancelled start leaves
no file behind); *Open meeting…* opens an existing file (the start dialog too if it holds no
meeting yet); *Recent meetings* lists the files opened before (:mod:`ui.recent`). The demo, when
chosen in the start dialog, is built in its own file and that file is opened.

The file dialogs are Qt's own (not the system's), as everywhere in the program: the same on every
laptop, in Chinese with Qt's catalogue, and scriptable in tests. Nothing is opened while an
action is still running on the current meeting.
"""

from __future__ import annotations

import traceback
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QFileDialog, QMenu

from app.errors import RuleViolation
from app.services import Conclave
from ui import ops
from ui.i18n import bridge, localise_file_dialog, tr
from ui.ops import messages

if TYPE_CHECKING:
    from ui.main_window import MainWindow
    from ui.start import StartDialog

SUFFIX = "sqlite3"


def _same(a: Path, b: Path) -> bool:
    return a.resolve() == b.resolve()


class MeetingFiles(QObject):
    """The File menu of ``window`` and what its actions do."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.menu = window.menuBar().addMenu("")
        self.new_action = self.menu.addAction("", self.ask_new)
        self.new_action.setShortcut(QKeySequence.StandardKey.New)
        self.open_action = self.menu.addAction("", self.ask_open)
        self.open_action.setShortcut(QKeySequence.StandardKey.Open)
        self.recent_menu = QMenu(window)
        self.recent_menu.aboutToShow.connect(self.fill_recent)
        self.menu.addMenu(self.recent_menu)
        self.menu.addSeparator()
        self.quit_action = self.menu.addAction("", window.close)
        self.dialog: QFileDialog | None = None
        self.start: StartDialog | None = None
        bridge.language_changed.connect(self._on_language)
        self._on_language("")
        self.fill_recent()

    @property
    def window(self) -> MainWindow:
        """The window, as Qt's parent: no Python reference that would keep a closed window alive."""
        return self.parent()  # type: ignore[return-value]

    def _on_language(self, _language: str) -> None:
        self.menu.setTitle(tr("&File"))
        self.new_action.setText(tr("New meeting…"))
        self.open_action.setText(tr("Open meeting…"))
        self.recent_menu.setTitle(tr("Recent meetings"))
        self.quit_action.setText(tr("Quit"))
        self.fill_recent()

    def fill_recent(self) -> None:
        """The recent meetings, newest first (files that are gone are left out)."""
        self.recent_menu.clear()
        entries = self.window.recent.entries()
        for n, meeting in enumerate(entries, 1):
            action = QAction(f"&{n}  {meeting.title} — {meeting.path}", self.recent_menu)
            action.triggered.connect(lambda _=False, p=meeting.path: self.open_path(p))
            self.recent_menu.addAction(action)
        if not entries:
            self.recent_menu.addAction(tr("(none)")).setEnabled(False)

    # -- asking for a file ---------------------------------------------------------------
    def _file_dialog(self, title: str, save: bool) -> QFileDialog:
        if self.dialog is not None:
            self.dialog.deleteLater()
        folder = str(self.window.app.path.parent)
        dialog = QFileDialog(self.window, title, folder, tr("Meeting files (*.{suffix})", suffix=SUFFIX))
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
        if save:
            dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
            dialog.setOption(QFileDialog.Option.DontConfirmOverwrite, True)   # an existing file is refused
            dialog.setDefaultSuffix(SUFFIX)
            dialog.selectFile(tr("review-meeting") + "." + SUFFIX)
        else:
            dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        localise_file_dialog(dialog)
        self.dialog = dialog
        return dialog

    def ask_new(self) -> None:
        if self._free():
            dialog = self._file_dialog(tr("New meeting — choose a new file"), save=True)
            dialog.fileSelected.connect(lambda name: self.new_meeting(Path(name)))
            dialog.open()

    def ask_open(self) -> None:
        if self._free():
            dialog = self._file_dialog(tr("Open meeting"), save=False)
            dialog.fileSelected.connect(lambda name: self.open_path(Path(name)))
            dialog.open()

    # -- opening -------------------------------------------------------------------------
    def new_meeting(self, path: Path) -> None:
        """A meeting in a new file: the start dialog on it; the file is removed if it is cancelled."""
        if not self._free():
            return
        if not path.suffix:
            path = path.with_suffix("." + SUFFIX)
        if path.exists():
            messages.post("refused", tr("New meeting"),
                          tr("{path} already exists. A new meeting needs a new file; open an existing one "
                             "with File › Open meeting….", path=str(path)))
            return
        app = self._connect(path)
        if app is not None:
            self._ask_start(app, created=True)

    def open_path(self, path: Path) -> None:
        """Open the meeting in ``path`` in the window (the start dialog if it holds none yet)."""
        if not self._free():
            return
        if _same(path, self.window.app.path):
            messages.post("info", tr("Open meeting"), tr("This meeting is already open."))
            return
        if not path.is_file():
            self.window.recent.remove(path)
            messages.post("refused", tr("Open meeting"), tr("{path} does not exist any more.", path=str(path)))
            return
        app = self._connect(path)
        if app is None:
            return
        meetings = app.views.meetings()
        if meetings:
            self.window.show_meeting(app, meetings[-1].id)
        else:
            self._ask_start(app, created=False)

    def _free(self) -> bool:
        if ops.busy():
            messages.post("info", tr("Please wait"),
                          tr("An action is still running on this meeting; open another one when it has finished."))
            return False
        return True

    def _connect(self, path: Path) -> Conclave | None:
        try:
            return Conclave(path)
        except RuleViolation as exc:          # not a meeting database, or one from a newer version
            messages.refusal(exc)
        except Exception:
            messages.unexpected(traceback.format_exc())
        return None

    def _ask_start(self, app: Conclave, created: bool) -> None:
        from ui.main import demo_db_path
        from ui.start import StartDialog

        if self.start is not None:
            self.start.deleteLater()
        demo_open_here = _same(demo_db_path(), self.window.app.path)     # it cannot be rebuilt under the window
        self.start = dialog = StartDialog(app, self.window, offer_demo=not demo_open_here)
        dialog.accepted.connect(lambda: self._started(app, dialog, created))
        dialog.rejected.connect(lambda: self._abandon(app, created))
        dialog.open()

    def _started(self, app: Conclave, dialog: StartDialog, created: bool) -> None:
        if dialog.opened_path is None:
            self.window.show_meeting(app, int(dialog.meeting_id))  # type: ignore[arg-type]
            return
        self._abandon(app, created)                  # the demo was built in its own file
        demo = self._connect(dialog.opened_path)
        if demo is not None:
            self.window.show_meeting(demo, int(dialog.meeting_id))  # type: ignore[arg-type]

    def _abandon(self, app: Conclave, created: bool) -> None:
        """Close a file no meeting was started in; one made for it just now is removed."""
        path = app.path
        app.close()
        if created:
            for file in (path, Path(f"{path}-wal"), Path(f"{path}-shm"), Path(f"{path}.lock")):
                file.unlink(missing_ok=True)
