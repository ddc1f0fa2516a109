"""The message bar above the wizard, and the "Copy details" button of an unexpected error.

A message never makes the window grow: its text wraps inside a scroll area of a few lines at
most, so that a refusal naming many rules, or a long path, scrolls rather than pushing the
wizard's Back/Next row off a 768-pixel screen. An unexpected error shows a plain sentence; its
full traceback is not shown but kept for the "复制详细信息" button, which puts it on the clipboard
for whoever supports the office.

A message does not outstay its truth: it goes when :data:`ui.ops.messages` is cleared (the person
moved to another step, or the next action succeeded), and one posted with a ``render`` — every
refusal keeps its violations — is written again in the new language when the language is switched
(a refusal read in Chinese is not left in Chinese on an English screen). The copied details stay.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from ui.i18n import bridge, tr
from ui.ops import Render, messages
from ui.scrolling import WrappedText

_COLOURS = {"info": ("#e8f4ea", "#2e7d32"), "refused": ("#fdecea", "#b3261e"), "error": ("#fdecea", "#b3261e")}

#: Lines of message text shown before the text scrolls.
VISIBLE_LINES = 5


class CopyDetailsButton(QPushButton):
    """Copies the details of an unexpected error (the full traceback) to the clipboard."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.details = ""
        self.clicked.connect(self.copy)
        bridge.language_changed.connect(self._on_language)
        self._on_language("")
        self.hide()

    def _on_language(self, _language: str) -> None:
        self.setText(tr("Copy details"))

    def set_details(self, details: str) -> None:
        """Shown only when there is something to copy."""
        self.details = details
        self.setVisible(bool(details))

    def copy(self) -> None:
        QGuiApplication.clipboard().setText(self.details)
        self.setText(tr("Copied"))


class MessageBar(QWidget):
    """The last message for the person at the screen (a refusal names its rule); dismissible."""

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("messageBar")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        row = self.row = QHBoxLayout(self)
        row.setContentsMargins(10, 6, 10, 6)
        self.title = QLabel()
        self.text_area = WrappedText(VISIBLE_LINES)
        self.text = self.text_area.label
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.details_button = CopyDetailsButton()
        self.close_button = QPushButton("×")
        self.close_button.setFlat(True)
        self.close_button.setFixedWidth(28)
        self.close_button.clicked.connect(self.dismiss)
        self.rewrite: Render | None = None
        column = QVBoxLayout()
        column.addWidget(self.title)
        column.addWidget(self.text_area)
        row.addLayout(column, 1)
        row.addWidget(self.details_button, 0, Qt.AlignmentFlag.AlignTop)
        row.addWidget(self.close_button, 0, Qt.AlignmentFlag.AlignTop)
        self.colour = _COLOURS["info"][1]
        self.hide()
        messages.message.connect(self.show_message)
        messages.cleared.connect(self.dismiss)
        bridge.language_changed.connect(self._on_language)

    def show_message(self, kind: str, title: str, text: str, details: str = "") -> None:
        background, self.colour = _COLOURS.get(kind, _COLOURS["info"])
        self.rewrite = messages.render          # set by the bridge for the message being shown
        self.setStyleSheet(f"#messageBar {{ background:{background}; }}")
        self.details_button.set_details(details)
        self.details_button.setText(tr("Copy details"))
        self.show()
        self._write(title, text)

    def _write(self, title: str, text: str) -> None:
        self.title.setText(f"<b style='color:{self.colour}'>{title}</b>")
        self.text_area.setText(text)

    def dismiss(self) -> None:
        """Hide the message and forget it (closed by the person, or out of date)."""
        self.rewrite = None
        self.details_button.set_details("")
        self.hide()

    def _on_language(self, _language: str) -> None:
        """A message still on screen is written again in the new language when it can be."""
        if self.rewrite is not None and not self.isHidden():
            self._write(*self.rewrite())
