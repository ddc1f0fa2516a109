"""The main window: message bar, the meeting wizard, and the tools of the day.

The window fits the screen it opens on: at most the screen's available area (the taskbar left
visible), maximised on screens narrower than 1400 pixels — a committee laptop's 1366×768 —
and the wizard's pages scroll rather than push the Back/Next row off the screen.
"""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QAction, QCloseEvent, QGuiApplication
from PySide6.QtWidgets import QMainWindow, QToolBar, QVBoxLayout, QWidget

from app.services import Conclave
from ui.i18n import bridge, tr
from ui.message_bar import MessageBar
from ui.scrolling import FRAME
from ui.wizard import MeetingWizard

__all__ = ["MainWindow", "MessageBar"]

#: The size the window would like; a smaller screen gets less.
PREFERRED = (1280, 820)
#: Screens narrower than this open the window maximised.
MAXIMISE_BELOW = 1400

class MainWindow(QMainWindow):
    def __init__(self, app: Conclave, meeting_id: int) -> None:
        super().__init__()
        self.app = app
        self.meeting_id = meeting_id
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(6, 6, 6, 6)
        self.message_bar = MessageBar()
        layout.addWidget(self.message_bar)
        self.wizard = MeetingWizard(app, meeting_id)
        self.wizard.setWindowFlags(Qt.WindowType.Widget)
        layout.addWidget(self.wizard, 1)
        self.setCentralWidget(central)
        self.toolbar = QToolBar()
        self.toolbar.setMovable(False)
        self.addToolBar(self.toolbar)
        self.language_action = QAction(self)
        self.language_action.triggered.connect(self.toggle_language)
        self.toolbar.addAction(self.language_action)
        self.tool_actions: dict[str, QAction] = {}
        for key, slot in (("Results screen", self.open_results), ("Documents", self.open_documents),
                          ("Expert terminal", self.open_terminal), ("Issue terminal code", self.issue_code),
                          ("Record a departure…", self.record_departure)):
            action = QAction(self)
            action.triggered.connect(slot)
            self.toolbar.addAction(action)
            self.tool_actions[key] = action
        self.windows: list[QWidget] = []
        bridge.language_changed.connect(self._on_language)
        self.retranslate()
        self.fit_to_screen()
        self.wizard.go_to_current()

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

    def _on_language(self, _language: str) -> None:
        self.retranslate()

    def retranslate(self) -> None:
        info = self.app.views.meeting(self.meeting_id)
        self.setWindowTitle(f"{tr('Conclave')} — {info.title}")
        self.language_action.setText("English" if bridge.language == "zh" else "中文")
        for key, action in self.tool_actions.items():
            action.setText(tr(key))

    def toggle_language(self) -> None:
        bridge.set_language("en" if bridge.language == "zh" else "zh")

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
        try:
            from ui.kiosk import KioskWindow
        except ImportError:
            return None
        return self._open(KioskWindow(self.app, self.meeting_id))

    def issue_code(self) -> QWidget | None:
        """One-time codes are issued here on the host, never at the kiosk (an expert could
        otherwise issue a code for another and vote as them)."""
        from ui.terminal_codes import IssueCodeDialog

        return self._open(IssueCodeDialog(self.app, self.meeting_id, self))

    def record_departure(self) -> QWidget | None:
        from ui.dialogs import DepartureDialog

        dialog = DepartureDialog(self.app, self.meeting_id, self)
        dialog.recorded.connect(self.wizard.go_to_current)
        return self._open(dialog)

    def closeEvent(self, event: QCloseEvent) -> None:
        """Every change is already committed; closing only closes the helper windows."""
        for w in list(self.windows):
            if shiboken6.isValid(w):
                w.close()
        super().closeEvent(event)
