"""Small pieces shared by the setup page and the pages of steps 1–4: table views, the
names of levels and roles, a dialog asking for a required text, mm:ss.

Shared widgets and helpers of the pages; no page lives here.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QItemSelectionModel, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.services.batch import BatchResult
from ui.i18n import tr
from ui.models import RowsModel
from ui.ops import messages


class AddOnEnter(QLineEdit):
    """The name field of a list editor (a rubric item, a quota): Enter adds the row and stays
    here. A plain line edit passes Enter on to its dialog, whose default button would then create
    the meeting (or save the correction) with the list half typed."""

    def keyPressEvent(self, event: QKeyEvent) -> None:
        super().keyPressEvent(event)
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            event.accept()


def level_name(level: str) -> str:
    names = {"senior": tr("Senior committee"), "intermediate": tr("Intermediate committee"),
             "junior": tr("Junior committee")}
    return names.get(level, level)


def organized_name(value: str) -> str:
    return {"series": tr("By series"), "specialty": tr("By specialty")}.get(value, value)


def exclusion_name(rule: str) -> str:
    """Why the draw passed over an expert (the rules of :mod:`app.rules.draw`)."""
    names = {
        "draw.consecutive_years": tr("Served in both of the two previous years"),
        "draw.blacklist": tr("On the integrity blacklist"),
        "draw.conflict": tr("Same unit as a candidate, or a conflict unit"),
    }
    return names.get(rule, rule)


def tick(value: bool | None) -> str:
    return "✓" if value else ""


def mm_ss(seconds: int) -> str:
    sign = "-" if seconds < 0 else ""
    seconds = abs(int(seconds))
    return f"{sign}{seconds // 60:02d}:{seconds % 60:02d}"


#: In ``table(widths=…)``: a column of codes (2026Z01, ZJ030), as wide as a code of 8 characters.
CODE = -1
#: The widest code a column of codes must show whole (a year, a letter, up to three digits).
WIDEST_CODE = "2026ZJ01"


def code_width(view: QTableView, column: int) -> int:
    """A width showing a code of 8 characters and the column's header whole, from the font metrics
    (fixed pixels cut 2026Z01 to "202…" with the interface's font at 1366×768)."""
    cell = view.fontMetrics().horizontalAdvance(WIDEST_CODE) + 18      # the cell's padding and a margin
    return max(cell, view.horizontalHeader().sectionSizeHint(column))


def table(model: RowsModel, widths: Sequence[int] = (), *, multi: bool = False,
          stretch: int | None = None, numbers: bool = True) -> QTableView:
    """A read-only table over ``model``: whole rows selected, sensible column widths.

    ``widths`` are pixel widths of the first columns (0: fit the header and contents; :data:`CODE`:
    a column of codes, see :func:`code_width`); ``stretch`` (default: the last column) takes the
    remaining space.
    """
    view = QTableView()
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection if multi
                          else QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)
    view.verticalHeader().setDefaultSectionSize(26)
    view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    view.verticalHeader().setVisible(numbers)
    header = view.horizontalHeader()
    header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    header.setHighlightSections(False)
    for column, width in enumerate(widths):
        if width == CODE:
            view.setColumnWidth(column, code_width(view, column))
        elif width:
            view.setColumnWidth(column, width)
        else:
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
    last = model.columnCount() - 1 if stretch is None else stretch
    if last >= 0:
        header.setSectionResizeMode(last, QHeaderView.ResizeMode.Stretch)
    return view


def selected(view: QTableView) -> list[Any]:
    """The rows (model objects) selected in ``view``, in table order."""
    model = view.model()
    assert isinstance(model, RowsModel)
    rows = sorted({i.row() for i in view.selectionModel().selectedRows()})
    return [model.row(r) for r in rows if 0 <= r < model.rowCount()]


def reload(view: QTableView, rows: Sequence[Any], key: Callable[[Any], Any] = lambda r: r.code) -> None:
    """Put ``rows`` in the view's model, keeping the selected rows (by ``key``) selected."""
    model = view.model()
    assert isinstance(model, RowsModel)
    keep = {key(r) for r in selected(view)}
    model.set_rows(rows)
    selection = view.selectionModel()
    for i, r in enumerate(model.rows):
        if key(r) in keep:
            selection.select(model.index(i, 0), QItemSelectionModel.SelectionFlag.Select
                             | QItemSelectionModel.SelectionFlag.Rows)


def report_batch(what: str, result: object) -> None:
    """Say what a batch action did: how many rows were done, and how many skipped as already done."""
    if isinstance(result, BatchResult):
        messages.post("info", what, tr("{done} done, {skipped} skipped (already done).", done=len(result.done),
                                       skipped=len(result.skipped)))


def heading(text: str = "") -> QLabel:
    label = QLabel(text)
    label.setStyleSheet("font-weight:bold;")
    return label


class TextDialog(QDialog):
    """Asks for a text that may not be empty (a reason); OK stays disabled until it is given.

    Non-blocking: shown with ``open()``; ``given`` carries the text when accepted.
    """

    given = Signal(str)

    def __init__(self, title: str, prompt: str, label: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(480)
        layout = QVBoxLayout(self)
        note = QLabel(prompt)
        note.setWordWrap(True)
        layout.addWidget(note)
        form = QFormLayout()
        self.text = QPlainTextEdit()
        self.text.setMinimumHeight(90)
        form.addRow(label, self.text)
        layout.addLayout(form)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText(tr("OK"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("Cancel"))
        self.buttons.accepted.connect(self._accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.text.textChanged.connect(self._check)
        self._check()

    def _check(self) -> None:
        self.ok.setEnabled(bool(self.text.toPlainText().strip()))

    def _accept(self) -> None:
        value = self.text.toPlainText().strip()
        if value:
            self.given.emit(value)
            self.accept()
