"""Both ends of a one-time terminal code: the secretary issues it on the host, the expert types it in.

:class:`IssueCodeDialog` (host, a staff member signed in with their own code)
lists the people of the meeting, issues a code for one of them and shows it large,
once, to that staff member: it is cleared when hidden, after a minute, when they sign
out or when the dialog closes, and never kept anywhere in the interface.
:class:`LockScreen` (kiosk or networked terminal) is where the expert picks their
name and types the code, on the keyboard or on the big number pad of :class:`CodeEntry`.
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

from app.errors import RuleViolation
from app.services import Conclave
from app.services.staff import StaffSession
from app.services.terminals import CODE_DIGITS, CODE_TTL, TerminalService
from app.views.panel import MemberView
from ui.i18n import bridge, headline, tr
from ui.models import Column, RowsModel
from ui.ops import run_op
from ui.scrolling import fit_to_screen
from ui.staff_sign_in import StaffFields, post_text
from ui.terminal_widgets import STYLE, heading, primary_button, sized

SHOW_CODE_MS = 60_000          # the code is wiped from the dialog after a minute
STAFF_IDLE_MS = 180_000        # the staff member is signed out after three minutes without issuing a code
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
    """A staff member of the plan, signed in with their own code, issues a one-time code for an
    expert and reads it out to them; the code is shown once, in this dialog only.

    Why the sign-in: an expert at the kiosk once raised the host window and issued themselves
    another expert's code. The dialog opens on the staff sign-in (:class:`ui.staff_sign_in.StaffFields`);
    the people and the Issue button appear only with a live staff session, which the engine
    takes the issuer from (:meth:`app.services.terminals.TerminalService.issue_code` — the audit
    event names them). The session is this dialog's: it ends (and the code is wiped) when the
    dialog closes, and after :data:`STAFF_IDLE_MS` without an issue. ``staff_session``: a
    session already opened for this dialog (the kiosk's staff door), handed over to it."""

    def __init__(self, app: Conclave, meeting_id: int, parent: QWidget | None = None,
                 terminals: TerminalService | None = None, staff_session: StaffSession | None = None) -> None:
        super().__init__(parent)
        self.app, self.meeting_id = app, meeting_id
        self.terminals = terminals or app.terminals
        self.staff_session: StaffSession | None = None
        self.setStyleSheet(STYLE)
        # -- the staff sign-in, shown until someone signs in
        self.sign_in_page = QWidget()
        gate = QVBoxLayout(self.sign_in_page)
        self.gate_intro = QLabel()
        self.gate_intro.setWordWrap(True)
        self.staff_fields = StaffFields(app, meeting_id, self.sign_in_page)
        self.staff_fields.code.returnPressed.connect(self.sign_in)
        self.sign_in_button = primary_button()
        self.sign_in_button.clicked.connect(self.sign_in)
        self.gate_message = QLabel()
        self.gate_message.setWordWrap(True)
        self.gate_message.setStyleSheet("color:#b3261e;")
        for widget in (self.gate_intro, self.staff_fields, self.sign_in_button, self.gate_message):
            gate.addWidget(widget)
        gate.addStretch(1)
        # -- issuing, only with a staff session
        self.issuing = QWidget()
        self.model = RowsModel([
            Column("Code", lambda m: m.code), Column("Name", lambda m: m.name),
            Column("Role", lambda m: tr(ROLES.get(m.role, m.role))), Column("Group", lambda m: m.group or ""),
            Column("Checked in", lambda m: "✓" if m.checked_in else ""),
            Column("Commitment signed", lambda m: "✓" if m.commitment_signed else "")], self)
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.view.verticalHeader().hide()
        self.view.selectionModel().selectionChanged.connect(lambda *_: self._selected_changed())
        self.signed_in_label = QLabel()
        self.signed_in_label.setWordWrap(True)
        self.sign_out_button = QPushButton()
        self.sign_out_button.clicked.connect(self.sign_out)
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
        panel = QVBoxLayout()
        for widget in (self.signed_in_label, self.sign_out_button, self.issue, self.for_label, self.code_label,
                       self.note, self.hide_button):
            panel.addWidget(widget)
        panel.addStretch(1)
        row = QHBoxLayout(self.issuing)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.view, 3)
        row.addLayout(panel, 2)
        self.close_button = QPushButton()
        self.close_button.clicked.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.sign_in_page, 1)
        layout.addWidget(self.issuing, 1)
        layout.addWidget(self.close_button, 0, Qt.AlignmentFlag.AlignRight)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(SHOW_CODE_MS)
        self.timer.timeout.connect(self.hide_code)
        self.staff_idle = QTimer(self)
        self.staff_idle.setSingleShot(True)
        self.staff_idle.setInterval(STAFF_IDLE_MS)
        self.staff_idle.timeout.connect(self.sign_out)
        bridge.language_changed.connect(self._language)
        fit_to_screen(self, 1100, 600)
        if staff_session is not None:
            self._signed_in(staff_session)
        else:
            self.sign_out()

    # -- the staff member ----------------------------------------------------------------
    def sign_in(self) -> None:
        post, code = self.staff_fields.chosen(), self.staff_fields.take_code()
        self.sign_in_button.setEnabled(False)
        run_op(lambda: self.app.staff.sign_in(self.meeting_id, post, code), self._signed_in, self._refused,
               on_error=lambda: self.sign_in_button.setEnabled(True))

    def _refused(self, exc: RuleViolation) -> None:
        self.sign_in_button.setEnabled(True)
        self.gate_message.setText("\n".join(headline(v) for v in exc.violations))

    def _signed_in(self, session: StaffSession) -> None:
        self.sign_in_button.setEnabled(True)
        if self.staff_session is not None:
            self.app.staff.sign_out(self.staff_session.token)
        self.staff_session = session
        self.gate_message.clear()
        self.model.set_rows(self.app.views.members(self.meeting_id))
        self.sign_in_page.hide()
        self.issuing.show()
        self.staff_idle.start()
        self.hide_code()

    def sign_out(self) -> None:
        """End the staff session: the code goes, the people go, the sign-in comes back."""
        self.hide_code()
        if self.staff_session is not None:
            self.app.staff.sign_out(self.staff_session.token)
        self.staff_session = None
        self.staff_idle.stop()
        self.model.set_rows([])
        self.issuing.hide()
        self.sign_in_page.show()
        self.staff_fields.code.clear()
        self.retranslate()

    # -- the code ------------------------------------------------------------------------
    def selected(self) -> MemberView | None:
        rows = self.view.selectionModel().selectedRows()
        return self.model.row(rows[0].row()) if rows else None

    def _selected_changed(self) -> None:
        self.hide_code()

    def issue_code(self) -> None:
        member, session = self.selected(), self.staff_session
        if member is None or session is None:         # no staff member signed in: no code
            return
        self.hide_code()
        self.staff_idle.start()
        run_op(lambda: self.terminals.issue_code(session.token, self.meeting_id, member.code),
               lambda code: self._show(member, code), self._issue_refused)

    def _issue_refused(self, exc: RuleViolation) -> None:
        if exc.rule.startswith("staff."):             # signed out meanwhile, or the plan names someone else
            self.sign_out()
            self.gate_message.setText("\n".join(headline(v) for v in exc.violations))
            return
        self.note.setText("\n".join(headline(v) for v in exc.violations))

    def _show(self, member: MemberView, code: str) -> None:
        if self.staff_session is None:                # signed out while the code was being made
            return
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

    def _language(self, _language: str = "") -> None:
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(tr("Issue terminal code"))
        self.gate_intro.setText(tr("Only a staff member named in the plan issues terminal codes, signed in with their "
                                   "own staff code: the record names who issued each code, and the code is shown "
                                   "here only, to them."))
        self.sign_in_button.setText(tr("Sign in"))
        s = self.staff_session
        self.signed_in_label.setText(tr("Signed in: {who}", who=post_text(s.post.value, s.name)) if s else "")
        self.sign_out_button.setText(tr("Sign out"))
        self.issue.setText(tr("Issue a one-time code"))
        self.issue.setEnabled(s is not None and self.selected() is not None)
        self.hide_button.setText(tr("Hide the code"))
        self.close_button.setText(tr("Close"))

    def closeEvent(self, event: QCloseEvent) -> None:
        self.sign_out()
        super().closeEvent(event)

    def done(self, result: int) -> None:
        self.sign_out()
        super().done(result)
