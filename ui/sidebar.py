"""The wizard's sidebar: all ten steps, done ✓, current ▶, not reached ○, with what each finished
step recorded; the row of the page on screen is shaded (a second ▶ beside the current step's, as it
was, read "▶ ▶ Step 3") — as wide as its lines need in the present language, within bounds, and scrolled to
the current step (on a 768-pixel screen the ten steps and their summaries may not all fit)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetrics, QPalette
from PySide6.QtWidgets import QListWidget, QListWidgetItem

from app.domain import Step, StepStatus
from app.services import Conclave
from ui.i18n import bridge, local, tr

SETUP_PAGE = 0
#: The sidebar's width: at least, at most (pixels).
SIDEBAR_WIDTH = (230, 300)


def step_name(step: Step) -> str:
    return tr(step.en)


class Sidebar(QListWidget):
    """All ten steps: done ✓, current ▶, not reached ○, with what each finished step recorded."""

    def __init__(self, app: Conclave, meeting_id: int) -> None:
        super().__init__()
        self.app = app
        self.meeting_id = meeting_id
        self.setMinimumWidth(SIDEBAR_WIDTH[0])
        self.setWordWrap(True)
        self.setSelectionMode(QListWidget.SelectionMode.NoSelection)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.showing: int | None = None
        bridge.language_changed.connect(self._on_language)
        self.refresh()

    def _on_language(self, _language: str) -> None:
        self.refresh(self.showing)

    def refresh(self, showing: int | None = None, statuses: list[StepStatus] | None = None) -> None:
        """Redraw; ``statuses`` read by a page's refresh are reused, else read here."""
        self.showing = showing
        self.clear()
        if statuses is None:
            statuses = self.app.procedure.status(self.meeting_id)
        head = QListWidgetItem(tr("Meeting setup"))
        self._shade(head, showing == SETUP_PAGE)
        self.addItem(head)
        current: QListWidgetItem | None = None
        for s in statuses:
            mark = "✓" if s.done else ("▶" if s.current else "○")
            text = f"{mark} {tr('Step {n}', n=int(s.step))} {step_name(s.step)}"
            if s.done and s.summary:
                text += f"\n      {local(s.summary)}"
            item = QListWidgetItem(text)
            if s.current:
                font = item.font()
                font.setBold(True)
                item.setFont(font)
                current = item
            if not s.done and not s.current:
                item.setForeground(Qt.GlobalColor.gray)
            self._shade(item, showing == int(s.step))
            self.addItem(item)
        self._fit_width()
        if current is not None:
            self.scrollToItem(current)

    def _shade(self, item: QListWidgetItem, on_screen: bool) -> None:
        """The row of the page on screen: shaded in a light tint of the selection colour."""
        if on_screen:
            tint = QColor(self.palette().color(QPalette.ColorRole.Highlight))
            tint.setAlpha(56)
            item.setBackground(QBrush(tint))
            item.setData(Qt.ItemDataRole.AccessibleDescriptionRole, tr("on screen"))

    def _fit_width(self) -> None:
        """Wide enough for its lines in the present language (English ones are longer), within
        bounds: a line that does not fit wraps, and the list scrolls to the current step."""
        metrics = self.fontMetrics()
        bold = QFont(self.font())
        bold.setBold(True)
        widest = max((QFontMetrics(bold).horizontalAdvance(line) for i in range(self.count())
                      for line in self.item(i).text().split("\n")), default=0)
        margin = 2 * self.frameWidth() + self.verticalScrollBar().sizeHint().width() + metrics.averageCharWidth() * 2
        self.setMinimumWidth(min(max(SIDEBAR_WIDTH[0], widest + margin), SIDEBAR_WIDTH[1]))
