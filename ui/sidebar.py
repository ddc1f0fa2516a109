"""The wizard's sidebar: all ten steps, done ✓, current ▶, not reached ○, with what each finished
step recorded; the row of the page on screen is shaded (a second ▶ beside the current step's, as it
was, read "▶ ▶ Step 3") — as wide as its lines need in the present language, within bounds, and scrolled to
the current step (on a 768-pixel screen the ten steps and their summaries may not all fit). A step's
summary sits indented under its name, a wrapped summary's lines too (:class:`StepDelegate`)."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSize, Qt
from PySide6.QtGui import (
    QAbstractTextDocumentLayout,
    QBrush,
    QColor,
    QFont,
    QFontMetrics,
    QPainter,
    QPalette,
    QTextBlockFormat,
    QTextCursor,
    QTextDocument,
)
from PySide6.QtWidgets import (
    QApplication,
    QListView,
    QListWidget,
    QListWidgetItem,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
)

from app.domain import Step, StepStatus
from app.services import Conclave
from ui.i18n import bridge, local, tr

SETUP_PAGE = 0
#: The sidebar's width: at least, at most (pixels).
SIDEBAR_WIDTH = (230, 300)


def step_name(step: Step) -> str:
    return tr(step.en)


class StepDelegate(QStyledItemDelegate):
    """A row of the sidebar: the step's line, then its summary indented under the step's name —
    every line of it, where it wraps. (The list's own word wrap put a wrapped line of the summary back
    at the left edge, under the ✓: "一致同意推荐26人，不同意推荐1人，提" / "交大会审议2人".) The row's text
    stays what the item holds, for screen readers: the name's line, a line break, the summary."""

    def __init__(self, view: QListWidget) -> None:
        super().__init__(view)
        self.view = view

    @staticmethod
    def _margin(option: QStyleOptionViewItem) -> int:
        """Qt's own gap between an item's edge and its text."""
        style = option.widget.style() if option.widget is not None else QApplication.style()
        return style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, option, option.widget) + 1

    def _document(self, option: QStyleOptionViewItem, width: int) -> QTextDocument:
        # the style option holds the item's line break as U+2028 (Qt's own text drawing wants it so)
        name, _, summary = option.text.replace("\u2028", "\n").partition("\n")
        document = QTextDocument()
        document.setDocumentMargin(0)
        document.setDefaultFont(option.font)
        cursor = QTextCursor(document)
        cursor.insertText(name)
        if summary.strip():
            block = QTextBlockFormat()
            mark = name.split(" ", 1)[0] + " " if " " in name else ""
            block.setLeftMargin(QFontMetrics(option.font).horizontalAdvance(mark))   # under the step's name
            cursor.insertBlock(block)
            cursor.insertText(summary.strip())
        document.setTextWidth(max(1, width))
        return document

    def _text_width(self, option: QStyleOptionViewItem) -> int:
        return self.view.viewport().width() - 2 * self._margin(option)

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        document = self._document(opt, self._text_width(opt))
        margin = self._margin(opt)
        return QSize(int(document.idealWidth()) + 2 * margin, int(document.size().height()) + margin)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        margin = self._margin(opt)
        document = self._document(opt, opt.rect.width() - 2 * margin)
        opt.text = ""                      # the style draws the row (its shading), the document the text
        style = opt.widget.style() if opt.widget is not None else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        context = QAbstractTextDocumentLayout.PaintContext()
        context.palette.setColor(QPalette.ColorRole.Text, opt.palette.color(QPalette.ColorRole.Text))
        painter.save()
        painter.translate(opt.rect.left() + margin, opt.rect.top() + (opt.rect.height() - document.size().height()) / 2)
        document.documentLayout().draw(painter, context)
        painter.restore()


class Sidebar(QListWidget):
    """All ten steps: done ✓, current ▶, not reached ○, with what each finished step recorded."""

    def __init__(self, app: Conclave, meeting_id: int) -> None:
        super().__init__()
        self.app = app
        self.meeting_id = meeting_id
        self.setMinimumWidth(SIDEBAR_WIDTH[0])
        self.setWordWrap(True)
        self.setItemDelegate(StepDelegate(self))
        self.setResizeMode(QListView.ResizeMode.Adjust)      # rows wrap again when the width changes
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
        head.setToolTip(tr("The meeting's setup: read-only once step 1 is finished"))
        self._shade(head, showing == SETUP_PAGE)
        self.addItem(head)
        current: QListWidgetItem | None = None
        for s in statuses:
            mark = "✓" if s.done else ("▶" if s.current else "○")
            text = f"{mark} {tr('Step {n}', n=int(s.step))} {step_name(s.step)}"
            if s.done and s.summary:
                text += f"\n      {local(s.summary)}"
            item = QListWidgetItem(text)
            # what the marks mean, on hover: ▶ beside a step and a shaded row elsewhere (the page being
            # looked at) read as two current steps
            item.setToolTip(tr("Finished") if s.done else tr("The meeting is at this step") if s.current
                            else tr("Not reached yet"))
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
            said = item.toolTip()
            item.setToolTip(said + tr(" — shown on the right") if said else tr("Shown on the right"))
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
