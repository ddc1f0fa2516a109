"""Widgets of the expert terminal (评委终端), shared by the kiosk window and the networked terminal.

They show what they are given and emit what the expert entered; they never call
a service, so the kiosk connects them to the services on the host and a
networked terminal to its link. Each has ``clear()`` — the next expert at the
screen must never see what the previous one entered — and ``retranslate()``.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QTableView,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from app.services.terminals import BallotItem, OpenBallot, ReviewItem
from ui.i18n import bridge, tr
from ui.models import Column, RowsModel

CHOICES = ("yes", "no", "abstain")
CHOICE_LABELS = {"yes": "Yes", "no": "No", "abstain": "Abstain"}

STYLE = """
QPushButton { padding: 8px 18px; min-height: 40px; }
QPushButton[choice]:checked { color: white; font-weight: bold; }
QPushButton[choice="yes"]:checked { background: #2e7d32; }
QPushButton[choice="no"]:checked { background: #b3261e; }
QPushButton[choice="abstain"]:checked { background: #5f6368; }
QPushButton#primary { background: #1a5fb4; color: white; font-weight: bold; }
QPushButton#primary:disabled { background: #9db4d3; }
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
        self.clear()

    def load(self, title: str, paragraphs: list[str], signed: bool, can_sign: bool) -> None:
        self.title.setText(title)
        self.text.setHtml("".join(f"<p style='line-height:150%; margin-bottom:10px'>{p}</p>" for p in paragraphs))
        self.signed = signed
        self.sign.setEnabled(can_sign and not signed)
        self.retranslate()

    def clear(self) -> None:
        self.title.clear()
        self.text.clear()
        self.signed = False
        self.sign.setEnabled(False)
        self.retranslate()

    def retranslate(self) -> None:
        english = bridge.language == "en"
        self.note.setText(tr("The commitment letter is the official Chinese text.") if english else "")
        self.note.setVisible(bool(self.note.text()))
        self.status.setText(tr("✓ You have signed the commitment letter.") if self.signed else "")
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
        total = sum(v for v in self.points().values() if v >= 0)
        self.caption.setText(tr("Score every item; “—” means not scored yet.") if self.code else "")
        self.total.setText(tr("Total: {total}", total=total) if self.code else "")
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


class BallotForm(QWidget):
    """The ballot of one round: per candidate 赞成 / 反对 / 弃权, none chosen at first (blank = abstain)."""

    review_requested = Signal()

    def __init__(self, ballot: OpenBallot) -> None:
        super().__init__()
        self.ballot = ballot
        layout = QVBoxLayout(self)
        self.title = heading()
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.marked = QLabel()
        rows = QWidget()
        grid = QGridLayout(rows)
        grid.setColumnStretch(0, 1)
        grid.setVerticalSpacing(6)
        self.labels: list[tuple[QLabel, BallotItem]] = []
        self.groups: dict[str, QButtonGroup] = {}
        self.buttons: dict[str, dict[str, QPushButton]] = {}
        for r, c in enumerate(ballot.candidates):
            label = QLabel()
            self.labels.append((label, c))
            grid.addWidget(label, r, 0)
            group = QButtonGroup(self)
            self.buttons[c.code] = {}
            for k, choice in enumerate(CHOICES):
                button = QPushButton()
                button.setCheckable(True)
                button.setProperty("choice", choice)
                button.setMinimumSize(104, 52)
                group.addButton(button)
                grid.addWidget(button, r, 1 + k)
                self.buttons[c.code][choice] = button
            group.buttonToggled.connect(self._update)
            self.groups[c.code] = group
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(rows)
        self.next = primary_button()
        self.next.clicked.connect(self.review_requested)
        layout.addWidget(self.title)
        layout.addWidget(self.hint)
        layout.addWidget(scroll, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.marked, 1)
        bottom.addWidget(self.next)
        layout.addLayout(bottom)
        self.retranslate()

    def choices(self) -> dict[str, str]:
        """The marks made so far; an unmarked candidate is left out (an abstention)."""
        out = {}
        for code, buttons in self.buttons.items():
            for choice, button in buttons.items():
                if button.isChecked():
                    out[code] = choice
        return out

    def _update(self) -> None:
        self.marked.setText(tr("Marked {n} of {total}; unmarked candidates count as abstentions.",
                               n=len(self.choices()), total=len(self.buttons)))

    def retranslate(self) -> None:
        b = self.ballot
        self.title.setText(tr("Ballot, round {n}", n=b.number) if b.kind == "first" else
                           tr("Runoff ballot, round {n}: {places} place(s)", n=b.number, places=b.places or 0))
        self.hint.setText(tr("Choose Yes, No or Abstain for each candidate. A candidate left unmarked "
                             "counts as an abstention. You will check your ballot before casting it."))
        for label, c in self.labels:
            label.setText(f"<b>{c.name}</b>　{c.code}<br><small>{c.unit} · {c.level} · {c.specialty}</small>" + (
                "" if c.eligible else f"<br><small style='color:#b3261e'>{tr('Did not pass the eligibility re-check')}"
                "</small>"))
        for buttons in self.buttons.values():
            for choice, button in buttons.items():
                button.setText(tr(CHOICE_LABELS[choice]))
        self.next.setText(tr("Check my ballot"))
        self._update()


class BallotConfirmation(QWidget):
    """The expert checks the ballot before casting it: it cannot be changed afterwards."""

    confirmed = Signal()
    back = Signal()

    def __init__(self, ballot: OpenBallot, choices: dict[str, str]) -> None:
        super().__init__()
        self.ballot, self.choices = ballot, dict(choices)
        layout = QVBoxLayout(self)
        self.title = heading()
        self.warning = QLabel()
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet("color:#b3261e; font-weight:bold;")
        self.counts = QLabel()
        sized(self.counts, 18, bold=True)
        self.summary = QLabel()
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.summary.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.summary)
        self.change, self.cast = QPushButton(), primary_button()
        self.change.clicked.connect(self.back)
        self.cast.clicked.connect(self.confirmed)
        for widget in (self.title, self.counts, self.warning):
            layout.addWidget(widget)
        layout.addWidget(scroll, 1)
        row = QHBoxLayout()
        row.addWidget(self.change)
        row.addStretch(1)
        row.addWidget(self.cast)
        layout.addLayout(row)
        self.retranslate()

    def retranslate(self) -> None:
        colours = {"yes": "#2e7d32", "no": "#b3261e", "abstain": "#5f6368"}
        rows = []
        for c in self.ballot.candidates:
            choice = self.choices.get(c.code)
            mark = tr(CHOICE_LABELS[choice or "abstain"]) + ("" if choice else tr(" (unmarked)"))
            rows.append(f"<tr><td style='padding:4px 24px 4px 0'>{c.name}　{c.code}</td>"
                        f"<td style='padding:4px 0; color:{colours[choice or 'abstain']}'><b>{mark}</b></td></tr>")
        self.summary.setText(f"<table>{''.join(rows)}</table>")
        n = {k: sum(1 for c in self.ballot.candidates if self.choices.get(c.code, "abstain") == k) for k in CHOICES}
        self.title.setText(tr("Check your ballot"))
        self.counts.setText(tr("Yes {yes} · No {no} · Abstain {abstain}", **n))
        self.warning.setText(tr("Once cast, your ballot cannot be changed. Nobody can see how you voted."))
        self.change.setText(tr("Go back and change"))
        self.cast.setText(tr("Cast my ballot"))

    def clear(self) -> None:
        self.choices = {}
        self.summary.clear()
        self.counts.clear()


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
