"""Widgets of the expert terminal (评委终端), shared by the kiosk window and the networked terminal.

They show what they are given and emit what the expert entered; they never call
a service, so the kiosk connects them to the services on the host and a
networked terminal to its link. Each has ``clear()`` — the next expert at the
screen must never see what the previous one entered — and ``retranslate()``.

The ballot is :class:`LargeBallot` with :class:`LargeConfirmation`, for a municipal committee's
few dozen candidates as for a provincial committee's up to 1,500 — one table model over the whole
ballot, grouped by level and the group's recommendation, searchable, with bulk marks of the
unmarked ("mark all unmarked in this group 赞成"), and a confirmation that lists every choice.
(Three buttons a candidate, the kiosk's first ballot, were unusable at 1,500 rows and are gone.)
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QSignalBlocker, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTableView,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from app.services.terminals import BallotItem, OpenBallot, ReviewItem
from ui.i18n import bridge, tr
from ui.models import Column, Index, RowsModel

CHOICES = ("yes", "no", "abstain")
CHOICE_LABELS = {"yes": "Yes", "no": "No", "abstain": "Abstain"}

STYLE = """
QPushButton { padding: 8px 18px; min-height: 40px; }
QPushButton[choice]:checked { color: white; font-weight: bold; }
QPushButton[choice="yes"]:checked { background: #2e7d32; }
QPushButton[choice="no"]:checked { background: #b3261e; }
QPushButton[choice="abstain"]:checked { background: #5f6368; }
QPushButton#primary { background: #1a5fb4; color: white; font-weight: bold; }
QPushButton#primary:disabled { background: #dde3ea; color: #5f6b7a; }   /* readable while waiting */
QPushButton[task="true"] { min-height: 76px; }
QPushButton[member]:checked { background: #1a5fb4; color: white; font-weight: bold; }
QSpinBox { min-height: 44px; border: 1px solid #8a8a8a; border-radius: 3px; background: white; padding: 0 6px; }
QSpinBox::up-button, QSpinBox::down-button { width: 36px; }
"""


def sized(widget: QWidget, points: int, bold: bool = False) -> QWidget:
    """A larger font for one widget (a style sheet, so that the kiosk's base size does not override it)."""
    widget.setStyleSheet(f"font-size: {points}pt;" + (" font-weight: bold;" if bold else ""))
    return widget


def heading(points: int = 22) -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    sized(label, points, bold=True)
    return label


def primary_button() -> QPushButton:
    button = QPushButton()
    button.setObjectName("primary")
    return button


class CommitmentView(QWidget):
    """The commitment letter (评委承诺书) in full, and the expert's signature."""

    sign_requested = Signal()

    def __init__(self) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        self.title = heading(24)
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.text = QTextBrowser()
        sized(self.text, 17)
        self.status = QLabel()
        self.sign = primary_button()
        self.sign.clicked.connect(self.sign_requested)
        layout.addWidget(self.title)
        layout.addWidget(self.note)
        layout.addWidget(self.text, 1)
        row = QHBoxLayout()
        row.addWidget(self.status, 1)
        row.addWidget(self.sign)
        layout.addLayout(row)
        self.signed = False
        self.can_sign = False
        # signed once read to its end: the button says "I have read the letter", and the letter is longer
        # than the screen — the end counts as reached when the letter fits, or once scrolled to its bottom
        self.read_to_end = False
        bar = self.text.verticalScrollBar()
        bar.rangeChanged.connect(lambda _lo, _hi: self._reading())
        bar.valueChanged.connect(lambda _v: self._reading())
        self.clear()

    def load(self, title: str, paragraphs: list[str], signed: bool, can_sign: bool) -> None:
        self.title.setText(title)
        self.read_to_end = False
        self.text.setHtml("".join(f"<p style='line-height:150%; margin-bottom:10px'>{p}</p>" for p in paragraphs))
        self.text.verticalScrollBar().setValue(0)
        self.signed, self.can_sign = signed, can_sign
        self._reading()

    def clear(self) -> None:
        self.title.clear()
        self.text.clear()
        self.signed = self.can_sign = self.read_to_end = False
        self._reading()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._reading()                      # a letter short enough to fit is read once shown

    def _reading(self) -> None:
        bar = self.text.verticalScrollBar()
        if self.text.isVisible() and self.text.toPlainText() and bar.value() >= bar.maximum():
            self.read_to_end = True          # on screen (hidden, the letter has no height yet: nothing read)
        self.sign.setEnabled(self.can_sign and not self.signed and self.read_to_end)
        self.retranslate()

    def retranslate(self) -> None:
        english = bridge.language == "en"
        self.note.setText(tr("The commitment letter is the official Chinese text.") if english else "")
        self.note.setVisible(bool(self.note.text()))
        if self.signed:
            self.status.setText(tr("✓ You have signed the commitment letter."))
        elif self.can_sign and not self.read_to_end:
            self.status.setText(tr("Read the letter to its end to sign it."))
        else:
            self.status.setText("")
        self.sign.setText(tr("I have read the letter and sign it"))


class ScoreForm(QWidget):
    """One expert's score sheet for one candidate: a spin box per rubric item, bounded by its maximum."""

    submitted = Signal(str, dict)

    def __init__(self) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        self.caption = QLabel()
        self.caption.setWordWrap(True)
        self.items = QGridLayout()
        self.items.setColumnStretch(0, 1)
        self.total = QLabel()
        sized(self.total, 18, bold=True)
        self.save = primary_button()
        self.save.clicked.connect(self._submit)
        bottom = QHBoxLayout()
        bottom.addWidget(self.total, 1)
        bottom.addWidget(self.save)
        layout.addWidget(self.caption)
        layout.addLayout(self.items)
        layout.addStretch(1)
        layout.addLayout(bottom)
        self.spins: dict[str, QSpinBox] = {}
        self.code = ""
        self.clear()

    def load(self, rubric: tuple[tuple[str, int], ...], item: ReviewItem) -> None:
        self.clear()
        self.code = item.code
        for row, (name, maximum) in enumerate(rubric):
            spin = QSpinBox()
            spin.setRange(-1, maximum)
            spin.setSpecialValueText("—")     # not scored yet: never a silent 0
            spin.setValue(item.points.get(name, -1))
            spin.setMinimumWidth(150)
            sized(spin, 18)
            spin.valueChanged.connect(self._update)
            self.items.addWidget(QLabel(name), row, 0)
            self.items.addWidget(spin, row, 1)
            self.items.addWidget(QLabel(f"/ {maximum}"), row, 2)
            self.spins[name] = spin
        self._update()

    def points(self) -> dict[str, int]:
        return {name: spin.value() for name, spin in self.spins.items()}

    def _update(self) -> None:
        values = self.points()
        self.save.setEnabled(bool(values) and all(v >= 0 for v in values.values()))
        self.retranslate()

    def _submit(self) -> None:
        if self.save.isEnabled():
            self.submitted.emit(self.code, self.points())

    def clear(self) -> None:
        while (item := self.items.takeAt(0)) is not None:
            widget = item.widget()
            if widget is not None:
                widget.hide()
                widget.deleteLater()
        self.spins = {}
        self.code = ""
        self._update()

    def retranslate(self) -> None:
        points = self.points()
        total = sum(v for v in points.values() if v >= 0)
        missing = sum(v < 0 for v in points.values())
        self.caption.setText(tr("Score every item; “—” means not scored yet.") if self.code else "")
        # "合计：0分" before anything was scored read as a score of nought
        if not self.code:
            self.total.setText("")
        elif missing == len(points):
            self.total.setText(tr("Total: — (not scored yet)"))
        elif missing:
            self.total.setText(tr("Total so far: {total} ({n} items not scored yet)", total=total, n=missing))
        else:
            self.total.setText(tr("Total: {total}", total=total))
        self.save.setText(tr("Save scores"))
        self.save.setVisible(bool(self.code))


class QuestionForm(QWidget):
    """An interview question with its standard answer (命题), drafted by the primary reviewer."""

    submitted = Signal(str, str, str)

    def __init__(self) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        self.count = QLabel()
        self.text_label, self.answer_label = QLabel(), QLabel()
        self.text, self.answer = QPlainTextEdit(), QPlainTextEdit()
        self.add = primary_button()
        self.add.clicked.connect(self._submit)
        for widget in (self.count, self.text_label, self.text, self.answer_label, self.answer):
            layout.addWidget(widget)
        layout.addWidget(self.add, 0, Qt.AlignmentFlag.AlignRight)
        self.text.textChanged.connect(self._update)
        self.answer.textChanged.connect(self._update)
        self.code, self.asked = "", 0
        self.clear()

    def load(self, item: ReviewItem) -> None:
        self.clear()
        self.code, self.asked = item.code, item.questions
        self.retranslate()

    def _update(self) -> None:
        self.add.setEnabled(bool(self.code and self.text.toPlainText().strip() and self.answer.toPlainText().strip()))

    def _submit(self) -> None:
        if self.add.isEnabled():
            self.submitted.emit(self.code, self.text.toPlainText(), self.answer.toPlainText())

    def clear(self) -> None:
        self.text.clear()
        self.answer.clear()
        self.code, self.asked = "", 0
        self._update()
        self.retranslate()

    def retranslate(self) -> None:
        self.count.setText(tr("Questions you have drafted for this candidate: {n}", n=self.asked)
                           if self.code else "")
        self.text_label.setText(tr("Interview question"))
        self.answer_label.setText(tr("Standard answer"))
        self.add.setText(tr("Add question"))


class ReviewPanel(QWidget):
    """Step 3 for one expert: the candidates they review (主审), a score sheet and question drafting."""

    def __init__(self) -> None:
        super().__init__()
        self.model = RowsModel([
            Column("Code", lambda r: r.code), Column("Name", lambda r: r.name),
            Column("Scored", lambda r: "✓" if r.points else "—"),
            Column("Questions drafted", lambda r: r.questions, align_right=True)], self)
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.view.horizontalHeader().setStretchLastSection(True)
        self.view.verticalHeader().hide()
        self.view.verticalHeader().setDefaultSectionSize(44)
        self.view.selectionModel().selectionChanged.connect(lambda *_: self._show_selected())
        self.title = heading(18)
        self.score, self.question = ScoreForm(), QuestionForm()
        self.tabs = QTabWidget()
        self.tabs.addTab(self.score, "")
        self.tabs.addTab(self.question, "")
        self.empty = QLabel()
        self.empty.setWordWrap(True)
        right = QVBoxLayout()
        right.addWidget(self.title)
        right.addWidget(self.tabs, 1)
        left = QVBoxLayout()
        left.addWidget(self.empty)
        left.addWidget(self.view, 1)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addLayout(left, 2)
        row.addLayout(right, 3)
        self.rubric: tuple[tuple[str, int], ...] = ()
        self.retranslate()

    def load(self, rubric: tuple[tuple[str, int], ...], items: tuple[ReviewItem, ...]) -> None:
        self.rubric = rubric
        self.model.set_rows(items)
        self._show_selected()
        self.retranslate()

    def select(self, code: str) -> None:
        for i, r in enumerate(self.model.rows):
            if r.code == code:
                self.view.selectRow(i)

    def _show_selected(self) -> None:
        rows = self.view.selectionModel().selectedRows()
        if not rows:
            self.score.clear()
            self.question.clear()
            self.title.clear()
            self.tabs.setEnabled(False)
            return
        item: ReviewItem = self.model.row(rows[0].row())
        self.title.setText(f"{item.name}　{item.code}　{item.unit} · {item.level} · {item.specialty}")
        self.score.load(self.rubric, item)
        self.question.load(item)
        self.tabs.setEnabled(True)

    def clear(self) -> None:
        self.load((), ())

    def retranslate(self) -> None:
        self.tabs.setTabText(0, tr("Scores"))
        self.tabs.setTabText(1, tr("Interview questions"))
        self.empty.setText(tr("Choose a candidate you review.") if self.model.rows else
                           tr("No candidate has been assigned to you for review."))
        self.score.retranslate()
        self.question.retranslate()


# -- the large ballot (a provincial committee: up to 1,500 candidates) ----------------------------
#: The order of the levels on a ballot (a level not listed comes after, by name).
LEVEL_ORDER = {"正高": 0, "副高": 1, "中级": 2, "初级": 3}
#: The group's recommendation as stored (:class:`app.domain.Recommendation` values), in ballot order.
#: An ineligible candidate (step 2) has no group opinion: it stays on the ballot to be voted down, marked
#: as such (rules: "marked as such on every ballot"), in a group of its own after the others.
GROUP_ORDER = {"recommend": 0, "plenary": 1, "reject": 2, "ineligible": 3}
GROUP_LABELS = {"recommend": "Unanimously recommended", "plenary": "To the plenary", "reject": "Not recommended",
                "ineligible": "Ineligible (re-check)", None: "No group opinion"}
CHOICE_COLOURS = {"yes": "#2e7d32", "no": "#b3261e", "abstain": "#5f6368"}
#: The first column of the three choice columns of :class:`BallotModel`.
CHOICE_COLUMN = 5

GroupKey = tuple[str, str | None]


def group_of(item: BallotItem) -> str | None:
    """The group's recommendation of ``item`` (``None`` on an engine that does not give it), or
    ``"ineligible"`` for a candidate who did not pass the eligibility re-check."""
    if not getattr(item, "eligible", True):
        return "ineligible"
    return getattr(item, "group", None)


def score_of(item: BallotItem) -> float | None:
    return getattr(item, "score", None)


def group_key(item: BallotItem) -> GroupKey:
    return item.level, group_of(item)


def _group_sort(key: GroupKey) -> tuple[int, str, int, str]:
    level, group = key
    return LEVEL_ORDER.get(level, 99), level, GROUP_ORDER.get(group or "", 9), group or ""


def group_title(key: GroupKey) -> str:
    level, group = key
    return f"{level} · {tr(GROUP_LABELS.get(group, GROUP_LABELS[None]))}" if group in GROUP_LABELS else \
        f"{level} · {group}"


class BallotModel(QAbstractTableModel):
    """Every candidate of a ballot and the expert's mark for each, shown a group (or a search) at a time.

    One model over the whole ballot, the rows on screen being the index list ``shown``: a
    1,500-candidate ballot is 1,500 small tuples, not 4,500 buttons. The three choice columns
    are clicked (:meth:`toggle`); a click on the chosen one unmarks it.
    """

    HEADERS = ("Code", "Name", "Unit · level · specialty", "Group opinion", "Score", "Yes", "No", "Abstain")

    def __init__(self, ballot: OpenBallot, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.items = sorted(ballot.candidates, key=lambda c: _group_sort(group_key(c)))
        self.keys: list[GroupKey] = sorted({group_key(c) for c in self.items}, key=_group_sort)
        self.choices: dict[str, str] = {}
        self.group: GroupKey | None = None
        self.search = ""
        self.shown: list[int] = list(range(len(self.items)))

    # -- filtering ------------------------------------------------------------------
    def set_filter(self, group: GroupKey | None, search: str) -> None:
        self.beginResetModel()
        self.group, self.search = group, search.strip().casefold()
        needle = self.search
        self.shown = [i for i, c in enumerate(self.items)
                      if (group is None or group_key(c) == group)
                      and (not needle or needle in c.code.casefold() or needle in c.name.casefold())]
        self.endResetModel()

    def item(self, row: int) -> BallotItem:
        return self.items[self.shown[row]]

    def unmarked_shown(self) -> list[str]:
        return [self.items[i].code for i in self.shown if self.items[i].code not in self.choices]

    def marked_shown(self) -> list[str]:
        return [self.items[i].code for i in self.shown if self.items[i].code in self.choices]

    def counts(self, key: GroupKey | None) -> tuple[int, int]:
        """(candidates, of them unmarked) in group ``key`` (``None``: the whole ballot)."""
        codes = [c.code for c in self.items if key is None or group_key(c) == key]
        return len(codes), sum(1 for code in codes if code not in self.choices)

    # -- marking --------------------------------------------------------------------
    def toggle(self, row: int, choice: str) -> None:
        code = self.item(row).code
        if self.choices.get(code) == choice:
            del self.choices[code]
        else:
            self.choices[code] = choice
        self._changed_rows([row])

    def mark(self, codes: list[str], choice: str | None) -> None:
        """Mark ``codes`` as ``choice`` (``None``: unmark them)."""
        for code in codes:
            if choice is None:
                self.choices.pop(code, None)
            else:
                self.choices[code] = choice
        self._changed_rows(range(len(self.shown)))

    def _changed_rows(self, rows: Sequence[int] | range) -> None:
        if len(rows):
            self.dataChanged.emit(self.index(min(rows), CHOICE_COLUMN),
                                  self.index(max(rows), CHOICE_COLUMN + len(CHOICES) - 1))

    def clear(self) -> None:
        self.beginResetModel()
        self.choices = {}
        self.items, self.shown, self.keys = [], [], []
        self.endResetModel()

    # -- Qt -------------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.shown)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.shown):
            return None
        c, col = self.item(index.row()), index.column()
        if col >= CHOICE_COLUMN:
            choice = CHOICES[col - CHOICE_COLUMN]
            chosen = self.choices.get(c.code) == choice
            if role == Qt.ItemDataRole.DisplayRole:
                return ("● " if chosen else "○ ") + tr(CHOICE_LABELS[choice])
            if role == Qt.ItemDataRole.BackgroundRole and chosen:
                return QBrush(QColor(CHOICE_COLOURS[choice]))
            if role == Qt.ItemDataRole.ForegroundRole and chosen:   # unchosen: the text's own colour, not a
                return QBrush(QColor("white"))                      # grey that read as switched off
            if role == Qt.ItemDataRole.TextAlignmentRole:
                return int(Qt.AlignmentFlag.AlignCenter)
            if role == Qt.ItemDataRole.AccessibleTextRole:
                return tr(CHOICE_LABELS[choice]) + (tr(" (chosen)") if chosen else "")
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            if col == 0:
                return c.code
            if col == 1:
                return c.name
            if col == 2:
                return f"{c.unit} · {c.level} · {c.specialty}" + (
                    "" if c.eligible else "　" + tr("Did not pass the eligibility re-check"))
            if col == 3:
                return tr(GROUP_LABELS[group_of(c)]) if group_of(c) in GROUP_LABELS else str(group_of(c))
            s = score_of(c)
            return "—" if s is None else f"{s:.2f}"
        if role == Qt.ItemDataRole.ForegroundRole and col in (2, 3) and not c.eligible:
            return QBrush(QColor("#b3261e"))
        if role == Qt.ItemDataRole.TextAlignmentRole and col == 4:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.HEADERS):
            return tr(self.HEADERS[section])
        return str(section + 1) if orientation == Qt.Orientation.Vertical else None

    def retranslate(self) -> None:
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(self.HEADERS) - 1)
        if self.shown:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.shown) - 1, len(self.HEADERS) - 1))


class LargeBallot(QWidget):
    """The ballot of one round for any number of candidates: groups, search, bulk marks.

    Signal ``review_requested`` (the expert wants to check it), read by :meth:`choices`. Left, the groups — each level
    by its group's recommendation (一致同意推荐 / 提交大会审议 / 不同意推荐), with how many are still
    unmarked; right, the candidates of the chosen group (or every group, or a search by name or
    code) with the group's recommendation and score beside each name, and the three marks.
    A bulk action marks only the *unmarked* candidates listed, says how many in its label, and
    the expert still ends on the confirmation listing every choice.
    """

    review_requested = Signal()

    def __init__(self, ballot: OpenBallot) -> None:
        super().__init__()
        self.ballot = ballot
        self.model = BallotModel(ballot, self)
        layout = QVBoxLayout(self)
        self.title = heading()
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.groups = QListWidget()
        self.groups.setFixedWidth(300)
        self.groups.setWordWrap(True)
        self.groups.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.groups.setSpacing(2)
        sized(self.groups, 13)
        self.groups.currentRowChanged.connect(lambda _r: self._group_chosen())
        self.before_search: int | None = None      # the group listed when a search began
        self.search = QLineEdit()
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(lambda _t: self._filter())
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.verticalHeader().hide()
        sized(self.view, 13)                   # more rows on a laptop screen; still a finger's height
        self.view.verticalHeader().setDefaultSectionSize(38)
        self.view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)    # never ResizeToContents: 1,500 rows
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        for column, width in ((0, 80), (1, 96), (3, 160), (4, 86)):
            self.view.setColumnWidth(column, width)
        for k in range(len(CHOICES)):
            self.view.setColumnWidth(CHOICE_COLUMN + k, 100)
        self.view.clicked.connect(self._clicked)
        self.bulk_label = QLabel()
        self.bulk_label.setWordWrap(True)
        self.bulk: dict[str, QPushButton] = {}
        bulk_row = QHBoxLayout()
        bulk_row.addWidget(self.bulk_label, 1)
        for choice in CHOICES:
            button = QPushButton()
            button.setProperty("bulk", choice)
            button.clicked.connect(lambda _=False, ch=choice: self.mark_unmarked(ch))
            bulk_row.addWidget(button)
            self.bulk[choice] = button
        self.unmark = QPushButton()
        self.unmark.clicked.connect(self.unmark_shown)
        bulk_row.addWidget(self.unmark)
        right = QVBoxLayout()
        right.addWidget(self.search)
        right.addWidget(self.view, 1)
        right.addLayout(bulk_row)
        body = QHBoxLayout()
        body.addWidget(self.groups, 0)
        body.addLayout(right, 1)
        self.marked = QLabel()
        self.marked.setWordWrap(True)
        self.next = primary_button()
        self.next.clicked.connect(self.review_requested)
        bottom = QHBoxLayout()
        bottom.addWidget(self.marked, 1)
        bottom.addWidget(self.next)
        layout.addWidget(self.title)
        layout.addWidget(self.hint)
        layout.addLayout(body, 1)
        layout.addLayout(bottom)
        self.retranslate()
        self.groups.setCurrentRow(1 if len(self.model.keys) > 1 else 0)

    def _fit_group_column(self) -> None:
        """The recommendation column as wide as the longest label this ballot shows, in this language and
        font (fitted to every label, the English one of the ineligible squeezed the unit column to
        "Jnit · level · specialt" on a ballot with none)."""
        metrics = self.view.fontMetrics()
        shown = {group for _level, group in self.model.keys}
        self.view.setColumnWidth(3, 24 + max(metrics.horizontalAdvance(tr(label)) for group, label
                                             in GROUP_LABELS.items() if group in shown or group is None))

    def showEvent(self, event: QShowEvent) -> None:
        self._fit_group_column()         # the font of the window's style sheet is known only once shown
        super().showEvent(event)

    # -- reading and marking -----------------------------------------------------------
    def choices(self) -> dict[str, str]:
        """The marks made so far; an unmarked candidate is left out (an abstention)."""
        return dict(self.model.choices)

    def current_group(self) -> GroupKey | None:
        row = self.groups.currentRow()
        return self.model.keys[row - 1] if 1 <= row <= len(self.model.keys) else None

    def show_group(self, key: GroupKey | None) -> None:
        self.groups.setCurrentRow(0 if key is None else 1 + self.model.keys.index(key))

    def choose(self, code: str, choice: str) -> None:
        """Mark one candidate (as a click on its cell would), whatever is listed."""
        self.model.choices[code] = choice
        self.model.mark([], None)
        self._update()

    def _clicked(self, index: QModelIndex) -> None:
        if index.column() >= CHOICE_COLUMN:
            self.model.toggle(index.row(), CHOICES[index.column() - CHOICE_COLUMN])
            self._update()

    def mark_unmarked(self, choice: str) -> None:
        self.model.mark(self.model.unmarked_shown(), choice)
        self._update()

    def unmark_shown(self) -> None:
        self.model.mark(self.model.marked_shown(), None)
        self._update()

    def _group_chosen(self) -> None:
        """A group picked while a search is typed ends the search: the group is what is listed."""
        if self.search.text().strip() and self.groups.currentRow() != 0:
            self.before_search = None
            with QSignalBlocker(self.search):
                self.search.clear()
        self._filter()

    def _filter(self) -> None:
        # a search looks through every group (an expert looking for a name does not know its group), and
        # the list on the left says so: "全部申报人" while searching, the group listed before once cleared —
        # a group left highlighted above the search's results from every group read as that group's
        searching = bool(self.search.text().strip())
        with QSignalBlocker(self.groups):
            if searching and self.groups.currentRow() != 0:
                self.before_search = self.groups.currentRow()
                self.groups.setCurrentRow(0)
            elif not searching and self.before_search is not None:
                self.groups.setCurrentRow(self.before_search)
                self.before_search = None
        self.model.set_filter(None if searching else self.current_group(), self.search.text())
        self._update()

    def _update(self) -> None:
        total, unmarked = self.model.counts(None)
        self.marked.setText(tr("Marked {n} of {total}; unmarked candidates count as abstentions.",
                               n=total - unmarked, total=total))
        for row in range(min(self.groups.count(), len(self.model.keys) + 1)):
            key = None if row == 0 else self.model.keys[row - 1]
            n, left = self.model.counts(key)
            name = tr("All candidates") if key is None else group_title(key)
            text = tr("{group}\n1 candidate, {left} unmarked", group=name, left=left) if n == 1 else \
                tr("{group}\n{n} candidates, {left} unmarked", group=name, n=n, left=left)
            self.groups.item(row).setText(text)
        listed = len(self.model.unmarked_shown())
        self.bulk_label.setText(tr("Mark the {n} unmarked candidate(s) listed here as:", n=listed))
        for choice, button in self.bulk.items():
            button.setText(tr(CHOICE_LABELS[choice]))
            button.setEnabled(listed > 0)
        self.unmark.setEnabled(bool(self.model.marked_shown()))

    def clear(self) -> None:
        self.groups.blockSignals(True)
        self.model.clear()
        self.groups.clear()
        self.groups.blockSignals(False)

    def retranslate(self) -> None:
        b = self.ballot
        self.title.setText(tr("Ballot, round {n}", n=b.number) if b.kind == "first" else
                           tr("Runoff ballot, round {n}: {places} place(s)", n=b.number, places=b.places or 0))
        self.hint.setText(tr("Choose a group on the left, or search. Click Yes, No or Abstain beside each "
                             "candidate (click again to unmark), or mark every unmarked candidate listed at once. "
                             "Unmarked candidates count as abstentions. You will check your ballot before "
                             "casting it."))
        self.search.setPlaceholderText(tr("Search by name or code, e.g. 魏明轩 or C001"))
        self.unmark.setText(tr("Unmark those listed"))
        self.next.setText(tr("Check my ballot"))
        self.model.retranslate()
        self._fit_group_column()
        if self.groups.count() != len(self.model.keys) + 1:
            self.groups.clear()
            for _ in range(len(self.model.keys) + 1):
                self.groups.addItem(QListWidgetItem())
        self._update()


class LargeConfirmation(QWidget):
    """The expert checks every choice before casting: counts, then each candidate with their mark.

    Signals ``confirmed`` and ``back``; the list is a table over every candidate of the ballot, in
    the ballot's groups, which can be narrowed to one mark to check it.
    """

    confirmed = Signal()
    back = Signal()

    def __init__(self, ballot: OpenBallot, choices: dict[str, str]) -> None:
        super().__init__()
        self.ballot, self.choices = ballot, dict(choices)
        self.rows = sorted(ballot.candidates, key=lambda c: _group_sort(group_key(c)))
        layout = QVBoxLayout(self)
        self.title = heading()
        self.warning = QLabel()
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet("color:#b3261e; font-weight:bold;")
        self.counts = QLabel()
        sized(self.counts, 18, bold=True)
        self.only = QComboBox()
        self.only.currentIndexChanged.connect(lambda _i: self._filter())
        self.model = RowsModel([
            Column("Code", lambda c: c.code), Column("Name", lambda c: c.name),
            Column("Level · group recommendation", lambda c: group_title(group_key(c))),
            Column("Your choice", self._mark, colour=lambda c: CHOICE_COLOURS[self.choices.get(c.code, "abstain")])],
            self)
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.view.verticalHeader().setDefaultSectionSize(32)
        self.view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.view.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.view.setColumnWidth(0, 100)
        self.view.setColumnWidth(1, 140)
        self.view.setColumnWidth(3, 180)
        self.change, self.cast = QPushButton(), primary_button()
        self.change.clicked.connect(self.back)
        self.cast.clicked.connect(self.confirmed)
        top = QHBoxLayout()
        top.addWidget(self.counts, 1)
        top.addWidget(self.only)
        layout.addWidget(self.title)
        layout.addLayout(top)
        layout.addWidget(self.warning)
        layout.addWidget(self.view, 1)
        row = QHBoxLayout()
        row.addWidget(self.change)
        row.addStretch(1)
        row.addWidget(self.cast)
        layout.addLayout(row)
        self.retranslate()

    def _mark(self, c: BallotItem) -> str:
        choice = self.choices.get(c.code)
        return tr(CHOICE_LABELS[choice or "abstain"]) + ("" if choice else tr(" (unmarked)"))

    def _filter(self) -> None:
        only = self.only.currentData()
        self.model.set_rows([c for c in self.rows if only is None or self.choices.get(c.code, "abstain") == only])

    def listed(self) -> list[tuple[str, str]]:
        """(code, mark as shown) of every row listed — what the expert reads before casting."""
        return [(c.code, self._mark(c)) for c in self.model.rows]

    def retranslate(self) -> None:
        n = {k: sum(1 for c in self.rows if self.choices.get(c.code, "abstain") == k) for k in CHOICES}
        self.title.setText(tr("Check your ballot"))
        self.counts.setText(tr("Yes {yes} · No {no} · Abstain {abstain}", **n))
        self.warning.setText(tr("Once cast, your ballot cannot be changed. Nobody can see how you voted."))
        self.change.setText(tr("Go back and change"))
        self.cast.setText(tr("Cast my ballot"))
        current = self.only.currentIndex()
        self.only.blockSignals(True)
        self.only.clear()
        self.only.addItem(tr("Show every candidate ({n})", n=len(self.rows)), None)
        for choice in CHOICES:
            self.only.addItem(tr("Show only: {choice} ({n})", choice=tr(CHOICE_LABELS[choice]), n=n[choice]), choice)
        self.only.setCurrentIndex(max(0, current))
        self.only.blockSignals(False)
        self._filter()

    def clear(self) -> None:
        self.choices, self.rows = {}, []
        self.model.set_rows([])
        self.counts.clear()


class QuestionReviewPanel(QWidget):
    """Questions another expert drafted, for this expert to review (审核): the question, its standard
    answer, and *Reviewed*. The engine refuses a review of one's own question or of a candidate
    this expert is in conflict with; the list shows only what the engine gave this expert."""

    review_requested = Signal(int)

    def __init__(self) -> None:
        super().__init__()
        self.model = RowsModel([
            Column("Code", lambda q: q.candidate), Column("Name", lambda q: q.candidate_name),
            Column("Interview question", lambda q: q.text.replace("\n", " ")[:40]),
            Column("Reviewed", lambda q: "✓" if q.reviewed else "—")], self)
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.view.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.view.verticalHeader().hide()
        self.view.verticalHeader().setDefaultSectionSize(44)
        self.view.selectionModel().selectionChanged.connect(lambda *_: self._show_selected())
        self.empty = QLabel()
        self.empty.setWordWrap(True)
        self.who = heading(18)
        self.question_label, self.answer_label = QLabel(), QLabel()
        self.question, self.answer = QTextBrowser(), QTextBrowser()
        self.state = QLabel()
        self.reviewed = primary_button()
        self.reviewed.clicked.connect(self._submit)
        left = QVBoxLayout()
        left.addWidget(self.empty)
        left.addWidget(self.view, 1)
        right = QVBoxLayout()
        for widget in (self.who, self.question_label, self.question, self.answer_label, self.answer):
            right.addWidget(widget)
        bottom = QHBoxLayout()
        bottom.addWidget(self.state, 1)
        bottom.addWidget(self.reviewed)
        right.addLayout(bottom)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addLayout(left, 2)
        row.addLayout(right, 3)
        self.current: Any = None
        self.retranslate()

    def load(self, items: tuple[Any, ...]) -> None:
        self.model.set_rows(items)
        self._show_selected()

    def select(self, question_id: int) -> None:
        for i, q in enumerate(self.model.rows):
            if q.id == question_id:
                self.view.selectRow(i)

    def _show_selected(self) -> None:
        rows = self.view.selectionModel().selectedRows()
        self.current = self.model.row(rows[0].row()) if rows else None
        q = self.current
        self.question.setPlainText(q.text if q else "")
        self.answer.setPlainText(q.answer if q else "")
        self.reviewed.setEnabled(bool(q and not q.reviewed))
        self.retranslate()

    def _submit(self) -> None:
        if self.current is not None and self.reviewed.isEnabled():
            self.review_requested.emit(int(self.current.id))

    def clear(self) -> None:
        self.load(())

    def retranslate(self) -> None:
        self.empty.setText(tr("Choose a question to review.") if self.model.rows else
                           tr("No question is waiting for your review."))
        q = self.current
        self.who.setText(f"{q.candidate_name}　{q.candidate}" if q else "")
        # who set it: the review (审题) is of another expert's question, recorded by name (实名, traceable)
        self.question_label.setText(tr("Interview question (set by {name})", name=q.setter) if q and q.setter
                                    else tr("Interview question"))
        self.answer_label.setText(tr("Standard answer"))
        self.state.setText(tr("✓ You have reviewed this question.") if self.current and self.current.reviewed
                           else "")
        self.reviewed.setText(tr("I have reviewed the question and its answer"))
