"""Scroll instead of grow: what keeps the window inside a 1366×768 screen.

A label with a long text (a message, a gate's checklist) and a page with many controls would
otherwise raise the window's minimum size until the wizard's Back/Next row falls off the
bottom of a laptop's screen. :class:`WrappedText` is a word-wrapped label as tall as its text up
to a few lines, scrolling beyond; :func:`scrolling` puts a page's work area in a scroll area that
fills the page when there is room and scrolls when there is not.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QResizeEvent
from PySide6.QtWidgets import QFrame, QLabel, QScrollArea, QSizePolicy, QWidget


class _FittedLabel(QLabel):
    """A label that has its scroll area fitted again whenever its text changes."""

    def __init__(self, area: WrappedText) -> None:
        super().__init__()
        self.area = area

    def setText(self, text: str) -> None:
        super().setText(text)
        self.area.fit()


class WrappedText(QScrollArea):
    """A word-wrapped label (``self.label``, its ``setText`` as usual) at most ``lines`` lines
    tall; the rest scrolls."""

    def __init__(self, lines: int) -> None:
        super().__init__()
        self.lines = lines
        self.label = _FittedLabel(self)
        self.label.setWordWrap(True)
        self.label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.setWidget(self.label)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.viewport().setAutoFillBackground(False)
        self.label.setAutoFillBackground(False)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.fit()

    def setText(self, text: str) -> None:
        self.label.setText(text)
        self.fit()

    def text(self) -> str:
        return self.label.text()

    def fit(self) -> None:
        """As tall as the text at the present width, up to ``lines`` lines (0 when empty)."""
        if not self.label.text():
            self.setFixedHeight(0)
            return
        line = self.label.fontMetrics().lineSpacing()
        width = max(self.viewport().width(), 200)
        needed = self.label.heightForWidth(width)
        margins = self.label.contentsMargins()
        self.setFixedHeight(max(line, min(needed, line * self.lines + margins.top() + margins.bottom())) + 2)

    def resizeEvent(self, event: QResizeEvent) -> None:
        """The text wraps anew at the new width, so its height is fitted again."""
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self.fit()


def scrolling(content: QWidget) -> QScrollArea:
    """``content`` in a frameless scroll area: it fills the area, and scrolls when it cannot fit."""
    area = QScrollArea()
    area.setWidget(content)
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
    return area


#: Room kept for a window's title bar and borders before it is shown (when they are not known yet).
FRAME = (16, 40)


def fit_to_screen(window: QWidget, width: int, height: int) -> None:
    """Resize ``window`` to ``width``×``height``, or less on a screen that has less room (its
    available area: the taskbar is not counted), keeping room for the title bar."""
    screen = window.screen() or QGuiApplication.primaryScreen()
    available = screen.availableGeometry()
    window.resize(min(width, available.width() - FRAME[0]), min(height, available.height() - FRAME[1]))


def fit_height(dialog: QWidget) -> None:
    """Grow ``dialog`` to the height its word-wrapped texts need at its present width — it changes
    with the language and the problem shown, and a dialog does not follow its labels' height by
    itself — within the screen (never shrinks it)."""
    layout = dialog.layout()
    needed = layout.totalHeightForWidth(dialog.width()) if layout is not None else -1
    if needed > dialog.height():
        screen = dialog.screen() or QGuiApplication.primaryScreen()
        dialog.resize(dialog.width(), min(needed, screen.availableGeometry().height() - FRAME[1]))
