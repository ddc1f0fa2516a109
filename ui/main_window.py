"""The main window: message bar, the meeting wizard, and the tools of the day."""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QCloseEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QPushButton,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from app.services import Conclave
from ui.calendar_offer import CalendarButton
from ui.i18n import bridge, tr
from ui.ops import messages
from ui.wizard import MeetingWizard

_COLOURS = {"info": ("#e8f4ea", "#2e7d32"), "refused": ("#fdecea", "#b3261e"), "error": ("#fdecea", "#b3261e")}


class MessageBar(QWidget):
    """The last message for the person at the screen (a refusal names its rule); dismissible."""

    def __init__(self) -> None:
        super().__init__()
        row = QHBoxLayout(self)
        row.setContentsMargins(10, 6, 10, 6)
        self.title = QLabel()
        self.text = QLabel()
        self.text.setWordWrap(True)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.close_button = QPushButton("✕")
        self.close_button.setFlat(True)
        self.close_button.setFixedWidth(28)
        self.close_button.clicked.connect(self.hide)
        column = QVBoxLayout()
        column.addWidget(self.title)
        column.addWidget(self.text)
        row.addLayout(column, 1)
        row.addWidget(self.close_button, 0, Qt.AlignmentFlag.AlignTop)
        self.hide()
        messages.message.connect(self.show_message)

    def show_message(self, kind: str, title: str, text: str) -> None:
        background, colour = _COLOURS.get(kind, _COLOURS["info"])
        self.setStyleSheet(f"background:{background};")
        self.title.setText(f"<b style='color:{colour}'>{title}</b>")
        self.text.setText(text if len(text) < 1200 else text[:1200] + "…")
        self.show()


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
        # a refusal for a year missing from the working-day calendar offers the calendar on that year
        self.calendar_button = CalendarButton(app, self.message_bar, follow_messages=True)
        self.calendar_button.stored.connect(self.wizard.go_to_current)
        self.message_bar.layout().insertWidget(1, self.calendar_button)  # type: ignore[attr-defined]
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
        self.resize(1280, 820)
        self.wizard.go_to_current()

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
