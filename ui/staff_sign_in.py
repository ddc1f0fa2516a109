"""Staff sign-in on the host (工作人员登录): which of the plan's two staff members, and their own code.

The engine takes the person from a staff session (:mod:`app.services.staff`), never from a
typed name, so the interface asks for the post — the secretary or the supervisor, shown with
the names the plan gives them — and that person's code. :class:`StaffFields` is the pair of
fields, used inside the paper-ballot entry (:mod:`ui.paper_entry`) and in
:class:`StaffSignInDialog`, which the ballot page opens before the roll is ticked for a paper
ballot. :class:`StaffCodeDialog` is where a staff member sets (or changes) their code.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.errors import RuleViolation
from app.services import Conclave
from app.services.staff import MIN_CODE, StaffSession
from ui.i18n import bridge, headline, tr
from ui.ops import run_op

POSTS = ("secretary", "supervisor")
_POST_LABEL = {"secretary": "Secretary", "supervisor": "Supervisor (纪检监察)"}


def post_text(post: str, name: str) -> str:
    """``李文静 — Secretary``: a staff post with the name the plan gives it."""
    return tr("{name} — {post}", name=name or tr("(not named)"), post=tr(_POST_LABEL[post]))


class StaffFields(QWidget):
    """Who is signing in (one of the plan's two staff posts) and their code."""

    def __init__(self, app: Conclave, meeting_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.app, self.meeting_id = app, meeting_id
        self.post = QComboBox()
        self.post.setMinimumWidth(260)
        self.code = QLineEdit()
        self.code.setEchoMode(QLineEdit.EchoMode.Password)
        self.code.setMinimumWidth(160)
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        self.post_label, self.code_label = QLabel(), QLabel()
        form.addRow(self.post_label, self.post)
        form.addRow(self.code_label, self.code)
        self.retranslate()
        bridge.language_changed.connect(self.retranslate)

    def retranslate(self, _language: str = "") -> None:
        m = self.app.views.meeting(self.meeting_id)
        names = {"secretary": m.secretary or "", "supervisor": m.supervisor or ""}
        chosen = self.chosen()
        self.post.clear()
        for post in POSTS:
            self.post.addItem(post_text(post, names[post]), post)
        self.choose(chosen)
        self.post_label.setText(tr("Staff member"))
        self.code_label.setText(tr("Staff code"))
        self.code.setPlaceholderText(tr("Your own staff code"))

    def chosen(self) -> str:
        return str(self.post.currentData() or POSTS[0])

    def choose(self, post: str | None) -> None:
        self.post.setCurrentIndex(max(0, self.post.findData(post or POSTS[0])))

    def take_code(self) -> str:
        """The code typed, cleared from the field at once (it is never kept by the interface)."""
        code = self.code.text()
        self.code.clear()
        return code


class StaffSignInDialog(QDialog):
    """Sign a staff member in; ``signed_in`` carries the session (the page keeps only its token)."""

    signed_in = Signal(object)

    def __init__(self, app: Conclave, meeting_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.app, self.meeting_id = app, meeting_id
        layout = QVBoxLayout(self)
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        layout.addWidget(self.intro)
        self.fields = StaffFields(app, meeting_id, self)
        layout.addWidget(self.fields)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color:#b3261e;")
        layout.addWidget(self.message)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.sign_in)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.fields.code.returnPressed.connect(self.sign_in)
        self.resize(520, 220)
        self.retranslate()
        bridge.language_changed.connect(self.retranslate)

    def retranslate(self, _language: str = "") -> None:
        self.setWindowTitle(tr("Staff sign-in"))
        self.intro.setText(tr("A paper ballot handed in is ticked on the roll by a staff member named in the plan, "
                              "signed in with their own code: the record names who ticked it."))
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(tr("Sign in"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("Cancel"))

    def sign_in(self) -> None:
        post, code = self.fields.chosen(), self.fields.take_code()
        self.buttons.setEnabled(False)
        run_op(lambda: self.app.staff.sign_in(self.meeting_id, post, code), self._done, self._refused,
               on_error=lambda: self.buttons.setEnabled(True))

    def _done(self, session: StaffSession) -> None:
        self.buttons.setEnabled(True)
        self.signed_in.emit(session)
        self.accept()

    def _refused(self, exc: RuleViolation) -> None:
        self.buttons.setEnabled(True)
        self.message.setText("\n".join(headline(v) for v in exc.violations))


class StaffCodeDialog(QDialog):
    """A staff member sets their own code (or changes it, giving the current one)."""

    def __init__(self, app: Conclave, meeting_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.app, self.meeting_id = app, meeting_id
        layout = QVBoxLayout(self)
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        layout.addWidget(self.intro)
        self.fields = StaffFields(app, meeting_id, self)
        layout.addWidget(self.fields)
        form = QFormLayout()
        self.new_code, self.again = QLineEdit(), QLineEdit()
        for field in (self.new_code, self.again):
            field.setEchoMode(QLineEdit.EchoMode.Password)
        self.new_label, self.again_label = QLabel(), QLabel()
        form.addRow(self.new_label, self.new_code)
        form.addRow(self.again_label, self.again)
        layout.addLayout(form)
        self.message = QLabel()
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Close)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.resize(560, 300)
        self.retranslate()
        bridge.language_changed.connect(self.retranslate)

    def retranslate(self, _language: str = "") -> None:
        self.setWindowTitle(tr("Staff codes"))
        self.intro.setText(tr("Each staff member of the plan sets a code of their own, at least {n} characters, "
                              "and keeps it to themselves: the paper ballots are typed twice, once by each, "
                              "each signed in with their own code. To change a code, give the current one "
                              "as well.", n=MIN_CODE))
        self.fields.code_label.setText(tr("Current code (to change it)"))
        self.new_label.setText(tr("New code"))
        self.again_label.setText(tr("New code again"))
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText(tr("Save code"))
        self.buttons.button(QDialogButtonBox.StandardButton.Close).setText(tr("Close"))

    def save(self) -> None:
        post, current = self.fields.chosen(), self.fields.take_code()
        new, again = self.new_code.text(), self.again.text()
        self.new_code.clear()
        self.again.clear()
        if new != again:
            self._say(tr("The two new codes differ: type the new code twice."), error=True)
            return
        has = self.app.staff.has_code(self.meeting_id, post)
        run_op(lambda: self.app.staff.set_code(self.meeting_id, post, new, current if has else None),
               lambda _r: self._say(tr("Code saved for {who}.", who=self.fields.post.currentText())),
               lambda exc: self._say("\n".join(headline(v) for v in exc.violations), error=True))

    def _say(self, text: str, error: bool = False) -> None:
        self.message.setStyleSheet(f"color:{'#b3261e' if error else '#2e7d32'};")
        self.message.setText(text)
