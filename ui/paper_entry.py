"""Double entry of paper ballots (纸质选票双人录入): one clerk types a batch, another types it again.

A grid with one row per paper ballot and one column per candidate; keys 1/Y
赞成, 2/N 反对, 3/A 弃权 fill the current cell and move on, so a clerk types a
ballot without touching the mouse. Each clerk is one of the plan's two staff members,
signed in with their own code for the entry they save (:class:`ui.staff_sign_in.StaffFields`;
the engine takes the clerk from that session and refuses the same post twice). The first
clerk's entry is stored sealed to the round's key and the grid is emptied: the second clerk never
sees it. Saving the copy that completes the batch asks the supervisor for the round passphrase
(:class:`ui.round_passphrase.RoundPassphraseDialog`), which opens the sealed copy in the engine
for the comparison only. When the two differ the dialog lists where (ballot, candidate) and marks
those cells — never what either copy says: the clerk checks the paper — and nothing is counted
until two entries agree (:meth:`VotingService.enter_paper_batch`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QKeyEvent
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.errors import RuleViolation
from app.services import Conclave
from app.views.ballot import BatchView, RoundView
from ui.i18n import bridge, headline, local, tr
from ui.message_bar import CopyDetailsButton
from ui.models import Column, RowsModel
from ui.ops import messages, run_op
from ui.round_passphrase import RoundPassphraseDialog
from ui.staff_sign_in import POSTS, StaffFields

Index = QModelIndex | QPersistentModelIndex
CHOICES = ("yes", "no", "abstain")
KEYS = {"1": "yes", "y": "yes", "2": "no", "n": "no", "3": "abstain", "a": "abstain"}
_LABEL = {"yes": "Yes", "no": "No", "abstain": "Abstain"}
_BACK = {"yes": "#e3f4e6", "no": "#fbe3e0", "abstain": "#eeeeee"}


def choice_text(choice: str | None) -> str:
    return tr(_LABEL[choice]) if choice in _LABEL else ""


class PaperGridModel(QAbstractTableModel):
    """The batch being typed: ``cells[ballot][candidate]`` is yes / no / abstain or None."""

    def __init__(self, candidates: Sequence[tuple[str, str]], ballots: int, parent: Any = None) -> None:
        super().__init__(parent)
        self.candidates = list(candidates)
        self.cells: list[list[str | None]] = []
        self.marked: set[tuple[int, int]] = set()
        self.reset(ballots)
        bridge.language_changed.connect(self._retranslate)

    def _retranslate(self, _language: str) -> None:
        if self.cells and self.candidates:
            self.headerDataChanged.emit(Qt.Orientation.Vertical, 0, len(self.cells) - 1)
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.cells) - 1, len(self.candidates) - 1))

    def reset(self, ballots: int) -> None:
        self.beginResetModel()
        self.cells = [[None] * len(self.candidates) for _ in range(ballots)]
        self.marked = set()
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.cells)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.candidates)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self.cells)):
            return None
        value = self.cells[index.row()][index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return choice_text(value)
        if role == Qt.ItemDataRole.BackgroundRole:
            if (index.row(), index.column()) in self.marked:
                return QBrush(QColor("#ffd27f"))
            return QBrush(QColor(_BACK[value])) if value else None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignCenter)
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid() or value not in (*CHOICES, None):
            return False
        self.cells[index.row()][index.column()] = value
        self.dataChanged.emit(index, index)
        return True

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.candidates):
            return "{}\n{}".format(*self.candidates[section])
        if orientation == Qt.Orientation.Vertical and 0 <= section < len(self.cells):
            return tr("Ballot {n}", n=section + 1)
        return None

    def blanks(self) -> int:
        return sum(v is None for row in self.cells for v in row)

    def ballots(self) -> list[dict[str, str]]:
        codes = [c for c, _ in self.candidates]
        return [{c: v for c, v in zip(codes, row, strict=True) if v} for row in self.cells]

    def mark(self, cells: set[tuple[int, int]]) -> None:
        self.marked = cells
        if self.cells and self.candidates:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.cells) - 1, len(self.candidates) - 1))


class PaperGrid(QTableView):
    """Keyboard entry: 1/Y, 2/N, 3/A fill the cell and move to the next; Delete clears, Backspace goes back."""

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Typing a choice fills the current cell and advances, like a tally clerk reading down a ballot."""
        model = self.model()
        index = self.currentIndex()
        choice = KEYS.get(event.text().lower())
        if choice and index.isValid():
            model.setData(index, choice)
            self._step(1)
        elif event.key() == Qt.Key.Key_Delete and index.isValid():
            model.setData(index, None)
        elif event.key() == Qt.Key.Key_Backspace and index.isValid():
            self._step(-1)
            model.setData(self.currentIndex(), None)
        else:
            super().keyPressEvent(event)

    def _step(self, by: int) -> None:
        model, index = self.model(), self.currentIndex()
        cols, rows = model.columnCount(), model.rowCount()
        pos = max(0, min(rows * cols - 1, index.row() * cols + index.column() + by))
        self.setCurrentIndex(model.index(pos // cols, pos % cols))


@dataclass(frozen=True)
class Difference:
    """Where the two copies differ: never what either says (the waiting copy stays unseen)."""

    ballot: str
    candidate: str


_DIFF = re.compile(r"ballot (\d+), candidate (\S+)$")
_COUNT = re.compile(r"the first entry has (\d+) ballots, the second (\d+)")


class PaperEntryDialog(QDialog):
    """One batch's double entry; ``stored`` is emitted after every entry the service accepted."""

    stored = Signal()

    def __init__(self, app: Conclave, meeting_id: int, rnd: RoundView, batch: str, size: int,
                 typed: BatchView | None = None, post: str | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.app, self.meeting_id, self.round, self.batch = app, meeting_id, rnd, batch
        self.first_clerk = typed.clerk_a if typed else None
        self.second_clerk = typed.clerk_b if typed else None
        self.first_post = typed.post_a if typed else None
        self.status = typed.status if typed else "new"
        size = typed.size if typed else size
        names = {c.code: c.name for c in app.views.candidates(meeting_id)}
        self.names = names
        self.grid_model = PaperGridModel([(c, names.get(c, "")) for c in rnd.candidates], max(1, size), self)
        self.resize(1100, 660)
        layout = QVBoxLayout(self)
        self.stage = QLabel()
        self.stage.setWordWrap(True)
        layout.addWidget(self.stage)
        form = QHBoxLayout()
        self.staff = StaffFields(app, meeting_id)
        self.staff.choose(post if typed is None else _other(self.first_post))
        self.count = QSpinBox()
        self.count.setRange(1, max(1, len(rnd.voters)))
        self.count.setValue(max(1, size))
        self.count.valueChanged.connect(self.grid_model.reset)
        self.count_label = QLabel()
        form.addWidget(self.staff)
        form.addSpacing(24)
        form.addWidget(self.count_label)
        form.addWidget(self.count)
        form.addStretch(1)
        layout.addLayout(form)
        self.keys = QLabel()
        self.keys.setWordWrap(True)
        layout.addWidget(self.keys)
        self.grid = PaperGrid()
        self.grid.setModel(self.grid_model)
        self.grid.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.grid.horizontalHeader().setDefaultSectionSize(76)
        self.grid.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.grid.verticalHeader().setDefaultSectionSize(34)
        self.grid.selectionModel().currentChanged.connect(self._show_position)
        layout.addWidget(self.grid, 3)
        row = QHBoxLayout()
        self.position = QLabel()
        row.addWidget(self.position, 1)
        self.choice_buttons: list[QPushButton] = []
        for choice in CHOICES:
            button = QPushButton()
            self.choice_buttons.append(button)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.clicked.connect(lambda _c=False, ch=choice: self._click(ch))
            row.addWidget(button)
        layout.addLayout(row)
        self.message = QLabel()
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        self.diff_model = RowsModel([Column("Ballot no.", lambda d: d.ballot),
                                     Column("Candidate", lambda d: d.candidate)], self)
        self.diff_view = QTableView()
        self.diff_view.setModel(self.diff_model)
        self.diff_view.horizontalHeader().setStretchLastSection(True)
        self.diff_view.verticalHeader().setVisible(False)
        self.diff_view.setEditTriggers(QTableView.EditTrigger.NoEditTriggers)
        self.diff_view.hide()
        layout.addWidget(self.diff_view, 1)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.save_button = QPushButton()
        self.save_button.setAutoDefault(False)
        self.save_button.clicked.connect(self.save)
        self.close_button = QPushButton()
        self.close_button.setAutoDefault(False)
        self.close_button.clicked.connect(self.reject)
        self.details_button = CopyDetailsButton()
        buttons.addWidget(self.details_button)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.close_button)
        layout.addLayout(buttons)
        self._message: Callable[[], str] = str
        self.passphrase_dialog: RoundPassphraseDialog | None = None
        self.retranslate()
        bridge.language_changed.connect(self.retranslate)
        self.grid.setCurrentIndex(self.grid_model.index(0, 0))
        self.grid.setFocus()

    def retranslate(self, _language: str = "") -> None:
        self.setWindowTitle(tr("Paper ballots: batch {batch}", batch=self.batch))
        self.count_label.setText(tr("Paper ballots in this batch"))
        self.keys.setText(tr("Keys: 1 or Y = Yes, 2 or N = No, 3 or A = Abstain (a blank on paper is an abstention); "
                             "arrows move, Delete clears, Backspace goes back."))
        for i, (choice, button) in enumerate(zip(CHOICES, self.choice_buttons, strict=True), 1):
            button.setText(f"{choice_text(choice)}  ({i})")
        self.save_button.setText(tr("Save this entry"))
        self.close_button.setText(tr("Close"))
        self._show_stage()
        self._show_position(self.grid.currentIndex(), QModelIndex())
        self.message.setText(self._message())
        self.grid.verticalHeader().resizeSections(QHeaderView.ResizeMode.ResizeToContents)
        self.diff_view.resizeColumnsToContents()

    # -- entry -------------------------------------------------------------------
    def _click(self, choice: str) -> None:
        self.grid_model.setData(self.grid.currentIndex(), choice)
        self.grid._step(1)
        self.grid.setFocus()

    def _show_position(self, index: QModelIndex, _previous: QModelIndex) -> None:
        if index.isValid():
            code, name = self.grid_model.candidates[index.column()]
            self.position.setText(tr("Ballot {n} of {total} — candidate {code} {name}", n=index.row() + 1,
                                     total=self.grid_model.rowCount(), code=code, name=name))

    def _show_stage(self) -> None:
        if self.status == "new":
            text = tr("First entry (clerk A): type every paper ballot of batch {batch} as written.", batch=self.batch)
        elif self.status == "accepted":
            text = tr("Batch {batch} is confirmed: both entries agree and its ballots are counted.", batch=self.batch)
        elif self.round.sealed:
            text = tr("Second entry (clerk B): a different clerk types the same paper ballots again. The first "
                      "entry ({clerk}) is sealed and not shown; saving asks the supervisor for the round passphrase "
                      "to compare the two.", clerk=self.first_clerk or "")
        else:
            text = tr("Second entry (clerk B): a different clerk types the same paper ballots again. "
                      "The first entry ({clerk}) is not shown.", clerk=self.first_clerk or "")
        self.stage.setText(f"<b>{text}</b>")
        done = self.status == "accepted"
        for w in (self.grid, self.staff, self.count, self.save_button):
            w.setEnabled(not done)

    def save(self) -> None:
        if not self.staff.code.text():
            self._say(lambda: tr("Sign in for this entry: choose who you are and type your own staff code."),
                      error=True)
            return
        if self.grid_model.blanks():
            blanks = self.grid_model.blanks()
            self._say(lambda: tr("{n} cells are not entered yet: every candidate of every ballot needs 1, 2 or 3.",
                                 n=blanks), error=True)
            return
        if self.status in ("waiting", "mismatch") and self.round.sealed:
            # the other copy waits sealed: the supervisor's round passphrase opens it for the comparison
            self.passphrase_dialog = RoundPassphraseDialog(self.app, self.meeting_id, self.round.number, False,
                                                           self, batch=self.batch)
            self.passphrase_dialog.entered.connect(self._submit)
            self.passphrase_dialog.open()
            return
        self._submit(None)

    def _submit(self, passphrase: str | None) -> None:
        """Sign in for this one entry and store it; ``passphrase`` opens the waiting sealed copy."""
        post = self.staff.chosen()
        code = self.staff.take_code()
        ballots = self.grid_model.ballots()
        self.save_button.setEnabled(False)
        self.details_button.set_details("")
        app, mid, rid, batch = self.app, self.meeting_id, self.round.id, self.batch

        def job() -> tuple[str, dict[str, Any]]:
            """Signed in for this one entry: the engine takes the clerk from the session."""
            session = app.staff.sign_in(mid, post, code)
            try:
                return session.name, app.voting.enter_paper_batch(session.token, rid, batch, ballots,
                                                                  passphrase=passphrase)
            finally:
                app.staff.sign_out(session.token)

        run_op(job, lambda done: self._stored(post, *done), self._refused, on_error=self._failed)

    def _refused(self, exc: RuleViolation) -> None:
        self.save_button.setEnabled(True)
        self._say(lambda: "\n".join(headline(v) for v in exc.violations), error=True)

    def _failed(self) -> None:
        """An unexpected error: nothing was stored; the entry stays on screen to be saved again."""
        self.save_button.setEnabled(True)
        self._say(messages.last_told(), error=True)
        self.details_button.set_details(messages.last_details())

    def _stored(self, post: str, clerk: str, result: dict[str, Any]) -> None:
        self.save_button.setEnabled(True)
        self.stored.emit()
        self.status = result["status"]
        if self.status == "waiting":
            self.first_clerk, self.first_post = clerk, post
            self.staff.choose(_other(post))           # the second copy is the other staff member's
            self.grid_model.reset(self.count.value())
            self.grid.setCurrentIndex(self.grid_model.index(0, 0))
            self._say(lambda: tr("First entry saved by {clerk}. Nothing is counted until a second clerk's entry "
                                 "agrees.", clerk=clerk))
            self.diff_view.hide()
        elif self.status == "accepted":
            self.grid_model.mark(set())
            self.diff_view.hide()
            n = self.count.value()
            self._say(lambda: tr("The two entries agree: {n} paper ballots are counted.", n=n))
        else:
            self._show_differences(post, clerk, result["differences"])
        self._show_stage()

    def _show_differences(self, post: str, clerk: str, lines: list[str]) -> None:
        this_is_a = post == self.first_post
        if not this_is_a:
            self.second_clerk = clerk
        rows: list[Difference] = []
        cells: set[tuple[int, int]] = set()
        notes: list[Callable[[], str]] = []
        codes = [c for c, _ in self.grid_model.candidates]
        for line in lines:
            m, c = _DIFF.match(line), _COUNT.match(line)
            if m:
                rows.append(Difference(m.group(1), f"{m.group(2)} {self.names.get(m.group(2), '')}"))
                if m.group(2) in codes:
                    cells.add((int(m.group(1)) - 1, codes.index(m.group(2))))
            elif c:
                notes.append(partial(tr, "The other entry has {a} ballots, this one {b}.", a=c.group(1), b=c.group(2)))
            else:
                notes.append(partial(local, line))
        self.diff_model.set_rows(rows)
        self.diff_view.setVisible(bool(rows))
        self.diff_view.resizeColumnsToContents()
        self.grid_model.mark(cells)
        if cells:
            self.grid.setCurrentIndex(self.grid_model.index(*min(cells)))
        n, first, second = len(lines), self.first_clerk or "", self.second_clerk or ""

        def text() -> str:
            head = tr("The two entries differ in {n} places: nothing is counted. Check the paper ballots, correct "
                      "this entry and save it again (A = {a}, B = {b}).", n=n, a=first, b=second)
            return "\n".join([head, *(note() for note in notes)])

        self._say(text, error=True)

    def _say(self, text: Callable[[], str], error: bool = False) -> None:
        """Show a message; it is kept as a function so that it follows a change of language."""
        self._message = text
        colour = "#b3261e" if error else "#2e7d32"
        self.message.setStyleSheet(f"color:{colour};")
        self.message.setText(text())


def _other(post: str | None) -> str:
    """The staff post that has not typed the batch yet."""
    return next((p for p in POSTS if p != post), POSTS[0])
