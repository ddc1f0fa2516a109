"""Both ends of a one-time terminal code: the secretary issues it on the host, the expert types it in.

:class:`IssueCodeDialog` (host, secretary) lists the people of the meeting,
issues a code for one of them and shows it large, once: it is cleared when
hidden, after two minutes, or when the dialog closes, and never kept anywhere
in the interface. :class:`LockScreen` (kiosk or networked terminal) is where
the expert picks their name and types the code, on the keyboard or on the
big number pad of :class:`CodeEntry`.
"""

from __future__ import annotations

from PySide6.QtCore import QRegularExpression, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QRegularExpressionValidator
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.services import Conclave
from app.services.terminals import CODE_DIGITS, CODE_TTL, TerminalService
from app.views.panel import MemberView
from ui.i18n import headline, tr
from ui.models import Column, RowsModel
from ui.ops import run_op
from ui.scrolling import fit_to_screen
from ui.terminal_widgets import STYLE, heading, primary_button, sized

SHOW_CODE_MS = 120_000
ROLES = {"expert": "Expert", "chair": "Chair", "vice_chair": "Vice-chair"}
class CodeEntry(QWidget):
    """A one-time code: typed on the keyboard or on a big number pad (a kiosk may have no keyboard)."""

    submitted = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.field = QLineEdit()
        self.field.setEchoMode(QLineEdit.EchoMode.Password)
        self.field.setMaxLength(CODE_DIGITS)
        self.field.setValidator(QRegularExpressionValidator(QRegularExpression(rf"\d{{0,{CODE_DIGITS}}}")))
        self.field.setAlignment(Qt.AlignmentFlag.AlignCenter)
        sized(self.field, 28)
        self.field.returnPressed.connect(self.submitted)
        grid = QGridLayout(self)
        grid.setSpacing(8)
        grid.addWidget(self.field, 0, 0, 1, 3)
        self.keys: dict[str, QPushButton] = {}
        for i, key in enumerate([*"123456789", "clear", "0", "back"]):
            button = QPushButton("←" if key == "back" else key)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.setMinimumSize(110, 62)
            sized(button, 22 if key.isdigit() or key == "back" else 15)
            button.clicked.connect(lambda _=False, k=key: self.press(k))
            grid.addWidget(button, 1 + i // 3, i % 3)
            self.keys[key] = button
        self.retranslate()

    def press(self, key: str) -> None:
        text = self.field.text()
        if key == "back":
            self.field.setText(text[:-1])
        elif key == "clear":
            self.field.clear()
        elif len(text) < CODE_DIGITS:
            self.field.setText(text + key)

    def code(self) -> str:
        return self.field.text()

    def clear(self) -> None:
        self.field.clear()

    def retranslate(self) -> None:
        self.keys["clear"].setText(tr("Clear"))
        self.keys["back"].setToolTip(tr("Delete a digit"))
        self.field.setPlaceholderText(tr("{n}-digit code", n=CODE_DIGITS))


class LockScreen(QWidget):
    """The locked terminal: choose your name, type your one-time code, unlock."""

    unlock_requested = Signal(str, str)

    def __init__(self) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        self.title = heading(26)
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.step_name, self.step_code = heading(17), heading(17)
        self.names = QButtonGroup(self)
        self.names_box = QWidget()
        self.grid = QGridLayout(self.names_box)
        self.grid.setAlignment(Qt.AlignmentFlag.AlignTop)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.names_box)
        self.code = CodeEntry()
        self.code.submitted.connect(self._submit)
        self.code.field.textChanged.connect(self._update)
        self.names.buttonToggled.connect(self._update)
        self.unlock = primary_button()
        self.unlock.setMinimumHeight(60)
        sized(self.unlock, 18, bold=True)
        self.unlock.clicked.connect(self._submit)
        left, right = QVBoxLayout(), QVBoxLayout()
        left.addWidget(self.step_name)
        left.addWidget(scroll, 1)
        right.addWidget(self.step_code)
        right.addWidget(self.code)
        right.addWidget(self.unlock)
        right.addStretch(1)
        row = QHBoxLayout()
        row.addLayout(left, 3)
        row.addSpacing(24)
        row.addLayout(right, 2)
        layout.addWidget(self.title)
        layout.addLayout(row, 1)
        self.retranslate()

    def set_members(self, members: list[MemberView]) -> None:
        for button in self.names.buttons():
            self.names.removeButton(button)
            button.hide()
            button.deleteLater()
        for i, m in enumerate(members):
            button = QPushButton(m.name)
            button.setCheckable(True)
            button.setProperty("member", m.code)
            button.setMinimumHeight(56)
            sized(button, 17)
            self.names.addButton(button)
            self.grid.addWidget(button, i // 3, i % 3)
        self._update()

    def selected(self) -> str | None:
        button = self.names.checkedButton()
        return str(button.property("member")) if button is not None else None

    def choose(self, member_code: str) -> None:
        for button in self.names.buttons():
            if button.property("member") == member_code:
                button.setChecked(True)

    def _update(self) -> None:
        self.unlock.setEnabled(self.selected() is not None and len(self.code.code()) == CODE_DIGITS)

    def _submit(self) -> None:
        member = self.selected()
        if member is not None and len(self.code.code()) == CODE_DIGITS:
            self.unlock_requested.emit(member, self.code.code())

    def clear(self) -> None:
        self.names.setExclusive(False)
        for button in self.names.buttons():
            button.setChecked(False)
        self.names.setExclusive(True)
        self.code.clear()
        self._update()

    def retranslate(self) -> None:
        self.title.setText(tr("Expert terminal — locked"))
        self.step_name.setText(tr("1. Choose your name"))
        self.step_code.setText(tr("2. Type the one-time code the secretary gave you"))
        self.unlock.setText(tr("Unlock"))
        self.code.retranslate()


class IssueCodeDialog(QDialog):
    """The secretary issues a one-time code for an expert and reads it out; it is shown once."""

    def __init__(self, app: Conclave, meeting_id: int, parent: QWidget | None = None,
                 terminals: TerminalService | None = None) -> None:
        super().__init__(parent)
        self.app, self.meeting_id = app, meeting_id
        self.terminals = terminals or app.terminals
        self.setStyleSheet(STYLE)
        self.model = RowsModel([
            Column("Code", lambda m: m.code), Column("Name", lambda m: m.name),
            Column("Role", lambda m: tr(ROLES.get(m.role, m.role))), Column("Group", lambda m: m.group or ""),
            Column("Checked in", lambda m: "✓" if m.checked_in else ""),
            Column("Commitment signed", lambda m: "✓" if m.commitment_signed else "")], self)
        self.model.set_rows(app.views.members(meeting_id))
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.view.verticalHeader().hide()
        self.view.selectionModel().selectionChanged.connect(lambda *_: self._selected_changed())
        self.issue = primary_button()
        self.issue.clicked.connect(self.issue_code)
        self.for_label, self.note = QLabel(), QLabel()
        self.for_label.setWordWrap(True)
        self.note.setWordWrap(True)
        self.code_label = QLabel()
        self.code_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.code_label.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        sized(self.code_label, 56, bold=True)
        self.hide_button = QPushButton()
        self.hide_button.clicked.connect(self.hide_code)
        self.close_button = QPushButton()
        self.close_button.clicked.connect(self.close)
        panel = QVBoxLayout()
        for widget in (self.issue, self.for_label, self.code_label, self.note, self.hide_button):
            panel.addWidget(widget)
        panel.addStretch(1)
        panel.addWidget(self.close_button)
        row = QHBoxLayout(self)
        row.addWidget(self.view, 3)
        row.addLayout(panel, 2)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(SHOW_CODE_MS)
        self.timer.timeout.connect(self.hide_code)
        fit_to_screen(self, 1100, 600)
        self.hide_code()

    def selected(self) -> MemberView | None:
        rows = self.view.selectionModel().selectedRows()
        return self.model.row(rows[0].row()) if rows else None

    def _selected_changed(self) -> None:
        self.hide_code()

    def issue_code(self) -> None:
        member = self.selected()
        if member is None:
            return
        self.hide_code()
        actor = self.app.views.acting_secretary(self.meeting_id)
        run_op(lambda: self.terminals.issue_code(actor, self.meeting_id, member.code),
               lambda code: self._show(member, code),
               lambda exc: self.note.setText("\n".join(headline(v) for v in exc.violations)))

    def _show(self, member: MemberView, code: str) -> None:
        self.for_label.setText(tr("One-time code for {name} ({code}):", name=member.name, code=member.code))
        self.code_label.setText(f"{code[:3]} {code[3:]}")
        minutes = int(CODE_TTL.total_seconds() // 60)
        self.note.setText(tr("Tell it to the expert. It works once, for {name} only, within {minutes} minutes; "
                             "it is not kept anywhere and cannot be shown again.", name=member.name, minutes=minutes))
        self.hide_button.show()
        self.timer.start()

    def hide_code(self) -> None:
        """Forget the code on screen (the only place it ever was)."""
        self.timer.stop()
        self.code_label.clear()
        self.for_label.clear()
        self.note.setText(tr("Choose a person, then issue a code. A new code replaces the previous one."))
        self.hide_button.hide()
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(tr("Issue terminal code"))
        self.issue.setText(tr("Issue a one-time code"))
        self.issue.setEnabled(self.selected() is not None)
        self.hide_button.setText(tr("Hide the code"))
        self.close_button.setText(tr("Close"))

    def closeEvent(self, event: QCloseEvent) -> None:
        self.hide_code()
        super().closeEvent(event)

    def done(self, result: int) -> None:
        self.hide_code()
        super().done(result)
