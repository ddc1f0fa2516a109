"""The main window: the File menu, the message bar, the meeting wizard, the tools of the day, and
the meeting's database file in the status bar.

The window fits the screen it opens on: at most the screen's available area (the taskbar left
visible), maximised on screens narrower than 1400 pixels — a committee laptop's 1366×768 —
and the wizard's pages scroll rather than push the Back/Next row off the screen.

Another meeting can be opened in the same window (File › Open meeting…): the helper windows
close, the wizard of the old meeting — its pages, their dialogs and timers — is deleted, and the
old database is closed when the window opened it itself.
"""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QRect, QSize, Qt, QThreadPool, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QGuiApplication
from PySide6.QtWidgets import QLabel, QMainWindow, QToolBar, QVBoxLayout, QWidget

from app.services import Conclave
from ui.calendar_offer import CalendarButton
from ui.i18n import bridge, tr
from ui.meeting_files import MeetingFiles
from ui.message_bar import MessageBar
from ui.ops import messages
from ui.recent import RecentMeetings
from ui.scrolling import FRAME
from ui.wizard import MeetingWizard

__all__ = ["MainWindow", "MessageBar"]

#: The size the window would like; a smaller screen gets less.
PREFERRED = (1280, 820)
#: Screens narrower than this open the window maximised.
MAXIMISE_BELOW = 1400


class MainWindow(QMainWindow):
    """One meeting at a time. ``owns_app``: the window closes ``app`` when it is replaced or the
    window closes (the program's own window does; a test keeps its services to itself)."""

    def __init__(self, app: Conclave, meeting_id: int, recent: RecentMeetings | None = None,
                 owns_app: bool = False) -> None:
        super().__init__()
        self.app = app
        self.meeting_id = meeting_id
        self.owns_app = owns_app
        self.recent = recent if recent is not None else RecentMeetings()
        central = QWidget()
        self.central_layout = QVBoxLayout(central)
        self.central_layout.setContentsMargins(6, 6, 6, 6)
        self.message_bar = MessageBar()
        self.central_layout.addWidget(self.message_bar)
        # a refusal for a year missing from the working-day calendar offers the calendar on that year
        self.calendar_button = CalendarButton(app, self.message_bar, follow_messages=True)
        self.message_bar.row.insertWidget(1, self.calendar_button)
        self.wizard = self._new_wizard()
        self.setCentralWidget(central)
        self.files = MeetingFiles(self)
        self.toolbar = QToolBar()
        self.toolbar.setMovable(False)
        self.addToolBar(self.toolbar)
        self.language_action = QAction(self)
        self.language_action.triggered.connect(self.toggle_language)
        self.toolbar.addAction(self.language_action)
        self.tool_actions: dict[str, QAction] = {}
        for key, slot in (("Results screen", self.open_results), ("Documents", self.open_documents),
                          ("Expert terminal", self.open_terminal), ("Issue terminal code", self.issue_code),
                          ("Terminals on the network", self.open_serving), ("Live board", self.open_board),
                          ("Record a departure…", self.record_departure)):
            action = QAction(self)
            action.triggered.connect(slot)
            self.toolbar.addAction(action)
            self.tool_actions[key] = action
        self.path_label = QLabel()
        self.path_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.statusBar().addWidget(self.path_label, 1)
        self.windows: list[QWidget] = []
        self.serving: QWidget | None = None      # the serving panel: kept while the meeting is open
        bridge.language_changed.connect(self._on_language)
        self.retranslate()
        self.fit_to_screen()
        self.wizard.go_to_current()
        self._remember()
        from ui.backup import BackupTools

        self.backups = BackupTools(self)        # File › back up / restore, the offer after a step, the start-up check

    def _new_wizard(self) -> MeetingWizard:
        wizard = MeetingWizard(self.app, self.meeting_id)
        wizard.setWindowFlags(Qt.WindowType.Widget)
        self.calendar_button.stored.connect(wizard.go_to_current)
        wizard.currentIdChanged.connect(self._moved)
        self.central_layout.addWidget(wizard, 1)
        return wizard

    def _moved(self, _page_id: int) -> None:
        """Another step on screen: the message about the last one (a refusal fixed since) goes."""
        messages.clear()

    def _remember(self) -> None:
        self.recent.add(self.app.path, self.app.views.meeting(self.meeting_id).title)

    # -- the screen ------------------------------------------------------------------
    def fit_to_screen(self, available: QRect | None = None) -> QRect:
        """Size the window for ``available`` (the screen's area less the taskbar; by default the
        primary screen's): the preferred size or less, centred, never beyond it. Returns it."""
        if available is None:
            screen = self.screen() or QGuiApplication.primaryScreen()
            available = screen.availableGeometry()
        frame = self.frameGeometry().size() - self.geometry().size()   # title bar and borders, once shown
        if frame.isEmpty() and not self.isVisible():
            frame = QSize(*FRAME)                                        # not known before it is shown
        width = min(PREFERRED[0], available.width() - frame.width())
        height = min(PREFERRED[1], available.height() - frame.height())
        self.resize(width, height)
        self.move(available.x() + (available.width() - width - frame.width()) // 2,
                  available.y() + (available.height() - height - frame.height()) // 2)
        return available

    def show_fitted(self) -> None:
        """Show the window: maximised on a narrow screen, else at the preferred size."""
        available = self.fit_to_screen()
        if available.width() < MAXIMISE_BELOW:
            self.showMaximized()
        else:
            self.show()

    # -- the meeting -------------------------------------------------------------------
    def show_meeting(self, app: Conclave, meeting_id: int) -> None:
        """Show another meeting (already opened by the caller, who hands it to the window)."""
        self.close_helpers()
        old_wizard, old_app, owned = self.wizard, self.app, self.owns_app
        for timer in old_wizard.findChildren(QTimer):
            timer.stop()
        old_wizard.hide()
        self.central_layout.removeWidget(old_wizard)
        old_wizard.deleteLater()
        self.app, self.meeting_id, self.owns_app = app, meeting_id, True
        self.calendar_button.app = app
        self.message_bar.dismiss()
        self.wizard = self._new_wizard()
        self.retranslate()
        self.wizard.go_to_current()
        self._remember()
        self.backups.meeting_opened()
        if owned and old_app is not app:
            old_app.close()

    def _on_language(self, _language: str) -> None:
        self.retranslate()

    def retranslate(self) -> None:
        info = self.app.views.meeting(self.meeting_id)
        self.setWindowTitle(f"{info.title} — {self.app.path.name} — {tr('Conclave')}")
        self.path_label.setText(tr("Meeting file: {path}", path=str(self.app.path)))
        self.language_action.setText("English" if bridge.language == "zh" else "中文")
        for key, action in self.tool_actions.items():
            action.setText(tr(key))

    def toggle_language(self) -> None:
        bridge.set_language("en" if bridge.language == "zh" else "zh")

    # -- the tools of the day ------------------------------------------------------------
    def _open(self, widget: QWidget, full_screen: bool = False) -> QWidget:
        # Windows close themselves (WA_DeleteOnClose); the list is pruned of deleted ones here,
        # never from their destroyed signal (mutating it mid-destruction crashed under Qt).
        self.windows = [w for w in self.windows if shiboken6.isValid(w)]
        self.windows.append(widget)
        widget.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        if full_screen:
            widget.showFullScreen()
        else:
            widget.show()
        return widget

    def open_results(self) -> QWidget | None:
        from ui.announce import AnnouncementView

        return self._open(AnnouncementView(self.app, self.meeting_id), full_screen=True)

    def open_documents(self) -> QWidget | None:
        try:
            from ui.documents import DocumentsDialog
        except ImportError:
            return None
        return self._open(DocumentsDialog(self.app, self.meeting_id, self))

    def open_terminal(self) -> QWidget | None:
        """The kiosk in kiosk mode: it takes the whole screen, and this window (with every window it
        opened) is disabled and hidden until a staff member signs in at the kiosk to leave it."""
        try:
            from ui.kiosk import KioskWindow
        except ImportError:
            return None
        kiosk = KioskWindow(self.app, self.meeting_id)
        self.windows = [w for w in self.windows if shiboken6.isValid(w)]
        self.windows.append(kiosk)
        kiosk.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        kiosk.enter(guarded=[self])
        return kiosk

    def issue_code(self) -> QWidget | None:
        """One-time codes are issued by a staff member signed in with their own code (the dialog
        asks first), never by whoever sits at the laptop: an expert could otherwise issue a
        code for another and vote as them."""
        from ui.terminal_codes import IssueCodeDialog

        return self._open(IssueCodeDialog(self.app, self.meeting_id, self))

    def open_serving(self) -> QWidget:
        """The serving panel (terminals on the LAN). One per meeting: closing it hides it and serving
        goes on; it stops when the window closes or opens another meeting (:meth:`close_helpers`)."""
        from ui.serving import ServingPanel

        if self.serving is None or not shiboken6.isValid(self.serving):
            self.serving = ServingPanel(self.app, self.meeting_id, parent=self)
        self.serving.show()
        self.serving.raise_()
        return self.serving

    def open_board(self) -> QWidget | None:
        from ui.live_board import LiveBoard

        return self._open(LiveBoard(self.app, self.meeting_id), full_screen=True)

    def record_departure(self) -> QWidget | None:
        from ui.dialogs import DepartureDialog

        dialog = DepartureDialog(self.app, self.meeting_id, self)
        dialog.recorded.connect(self.wizard.go_to_current)
        return self._open(dialog)

    def close_helpers(self) -> None:
        for w in list(self.windows):
            if shiboken6.isValid(w):
                w.close()
        self.windows = []
        if self.serving is not None and shiboken6.isValid(self.serving):
            from ui.serving import ServingPanel

            if isinstance(self.serving, ServingPanel):
                self.serving.shutdown()
            self.serving.close()
            self.serving.deleteLater()
        self.serving = None

    def closeEvent(self, event: QCloseEvent) -> None:
        """Every change is already committed; closing closes the helper windows, and the
        database once nothing runs on it any more."""
        self.close_helpers()
        super().closeEvent(event)
        if self.owns_app:
            QThreadPool.globalInstance().waitForDone()
            self.app.close()
