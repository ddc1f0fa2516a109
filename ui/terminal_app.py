"""``conclave terminal``: the expert terminal (评委终端) as a program of its own, on a laptop of the office LAN.

The expert terminal window; the kiosk on the host (:class:`ui.kiosk.KioskWindow`) is this very
window with kiosk mode around it, so both show the same screens — the widgets of
:mod:`ui.terminal_widgets`. It talks to an :class:`~ui.expert_backend.ExpertBackend`: the host
over TLS (:class:`~ui.expert_backend.RemoteBackend`) or, for the kiosk and the tests, the engine
in process (:class:`~ui.expert_backend.LocalBackend`).

What a person goes through, one page at a time:

1. **Connect** (only a terminal not yet paired): the host's address, its certificate's
   fingerprint and the one-time pairing code, all three read off the chair's serving panel. The
   fingerprint is what makes the link safe — the terminal trusts the certificate with exactly
   that fingerprint and nothing else — so it is typed, never fetched.
2. **Sign in**: the expert's number (or their name, where the other end lists them) and the
   one-time code a signed-in staff member issued to them.
3. **My tasks**: only this expert's own — the commitment letter at step 1, the candidates they
   score and question, questions of other experts to review, the open ballot round.
4. **Ballot → check → cast**: the large ballot (groups, search, bulk marks), the confirmation
   listing every choice, then a page that says the ballot was received and shows nothing of it.

*Lock* — or two minutes without a touch — ends the session and wipes every page. The status
line at the bottom says whether the host answered last time and how many entries wait on this
terminal's disk; waiting entries are sent again every few seconds (the host answers a repeat
with "duplicate" and writes nothing, :meth:`app.services.stations.StationService.submit`).
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import socket
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, QThreadPool, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QShowEvent
from PySide6.QtWidgets import (
    QApplication,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.errors import RuleViolation
from app.services.terminals import CODE_DIGITS, ExpertTasks, commitment_letter
from ui.expert_backend import KEPT_RULES, ExpertBackend, LinkStatus, RemoteBackend
from ui.i18n import bridge, headline, rule_title, tr
from ui.ops import run_op as _run_op
from ui.terminal_codes import CodeEntry, LockScreen
from ui.terminal_widgets import (
    STYLE,
    CommitmentView,
    LargeBallot,
    LargeConfirmation,
    QuestionReviewPanel,
    ReviewPanel,
    heading,
    primary_button,
    sized,
)

#: The terminal's refusals are the expert's: shown in its own message area only (see run_op's said_here).
_run = functools.partial(_run_op, said_here=True)

IDLE_MS = 120_000
TICK_MS = 3_000
_ACTIVITY = {QEvent.Type.MouseButtonPress, QEvent.Type.KeyPress, QEvent.Type.Wheel, QEvent.Type.TouchBegin}
_COLOURS = {"info": ("#e8f4ea", "#1e5e22"), "refused": ("#fdecea", "#8c1d18"), "waiting": ("#fff4d6", "#6b4e00")}

#: Pairs a new terminal: (address, fingerprint, pairing code, terminal name) -> its backend. Runs
#: off the interface thread (it opens a TLS connection).
Connect = Callable[[str, str, str, str], ExpertBackend]


class TerminalWindow(QWidget):
    """The expert terminal: connect (once), sign in, own tasks, ballot; one expert at a time."""

    def __init__(self, backend: ExpertBackend | None = None, connect: Connect | None = None,
                 idle_ms: int = IDLE_MS, tick_ms: int = TICK_MS) -> None:
        super().__init__()
        self.backend, self.connect_with = backend, connect
        self.token: str | None = None
        self.tasks: ExpertTasks | None = None
        self.ballot: LargeBallot | None = None
        self.confirmation: LargeConfirmation | None = None
        self.setStyleSheet("QWidget { font-size: 15pt; }" + STYLE)
        layout = QVBoxLayout(self)
        self.top = QHBoxLayout()
        self.title, self.who, self.lock_button = heading(18), QLabel(), QPushButton()
        self.lock_button.clicked.connect(lambda: self.lock())
        self.top.addWidget(self.title, 1)
        self.top.addWidget(self.who)
        self.top.addWidget(self.lock_button)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setContentsMargins(12, 8, 12, 8)
        self.message.hide()
        self.stack = QStackedWidget()
        self.status = QLabel()
        self.status.setStyleSheet("color:#444; font-size:12pt;")
        layout.addLayout(self.top)
        layout.addWidget(self.message)
        layout.addWidget(self.stack, 1)
        layout.addWidget(self.status)

        self.connect_page = ConnectPage()
        self.connect_page.pair_requested.connect(self.pair)
        self.sign_in = SignInPage()
        self.sign_in.unlock_requested.connect(self.unlock)
        self.home = TasksPage()
        self.home.open_page.connect(self._open_task)
        self.home.finish.connect(lambda: self.lock())
        self.back_buttons: list[QPushButton] = []
        self.commitment = CommitmentView()
        self.commitment.sign_requested.connect(self.sign)
        self.review = ReviewPanel()
        self.review.score.submitted.connect(self.save_scores)
        self.review.question.submitted.connect(self.add_question)
        self.questions = QuestionReviewPanel()
        self.questions.review_requested.connect(self.review_question)
        self.pages = {"commitment": self._with_back(self.commitment), "review": self._with_back(self.review),
                      "questions": self._with_back(self.questions)}
        self.ballot_page = QWidget()
        self.ballot_layout = QVBoxLayout(self.ballot_page)
        self.ballot_layout.setContentsMargins(0, 0, 0, 0)
        self.done = CastPage()
        self.done.finish.clicked.connect(lambda: self.lock())
        for page in (self.connect_page, self.sign_in, self.home, *self.pages.values(), self.ballot_page, self.done):
            self.stack.addWidget(page)

        self.idle = QTimer(self)
        self.idle.setSingleShot(True)
        self.idle.setInterval(idle_ms)
        self.idle.timeout.connect(lambda: self.lock(tr("The terminal was idle and has been locked.")))
        self.ticker = QTimer(self)
        self.ticker.setInterval(tick_ms)
        self.ticker.timeout.connect(self.tick)
        self.ticking = False
        bridge.language_changed.connect(self.retranslate)
        self.listening = True            # to the language: a closed window stops (its link may be closed)
        self.resize(1366, 768)
        if backend is None:
            self.stack.setCurrentWidget(self.connect_page)
            self.retranslate()
        else:
            self.lock()
            self.ticker.start()

    def _with_back(self, widget: QWidget) -> QWidget:
        page = QWidget()
        column = QVBoxLayout(page)
        column.addWidget(widget, 1)
        back = QPushButton()
        back.clicked.connect(self.go_home)
        column.addWidget(back, 0, Qt.AlignmentFlag.AlignLeft)
        self.back_buttons.append(back)
        return page

    # -- messages -----------------------------------------------------------------------
    def say(self, kind: str, text: str) -> None:
        background, colour = _COLOURS.get(kind, _COLOURS["refused"])
        self.message.setStyleSheet(f"background:{background}; color:{colour}; font-weight:bold;")
        self.message.setText(text)
        self.message.setVisible(bool(text))

    def refused(self, exc: RuleViolation) -> None:
        colon, semicolon = ("：", "；") if bridge.language == "zh" else (": ", "; ")
        self.say("refused", rule_title(exc.rule) + colon + semicolon.join(headline(v) for v in exc.violations))
        self.show_status()

    def failed(self) -> None:
        self.say("refused", tr("An unexpected error occurred and nothing was recorded. Please tell the staff."))

    def show_status(self) -> None:
        if self.backend is None:
            self.status.setText(tr("Not connected to a host yet."))
            return
        s: LinkStatus = self.backend.status()
        if s.local:
            self.status.setText(tr("On the host laptop: every entry is recorded at once."))
            return
        where = f" {s.where}" if s.where else ""
        link = tr("Connected to the host{where}", where=where) if s.connected else \
            tr("Host not reachable{where}: entries are kept on this terminal", where=where)
        self.status.setText(link + " · " + tr("Entries waiting to be sent: {n}", n=s.pending))

    # -- pairing --------------------------------------------------------------------------
    def pair(self, address: str, fingerprint: str, code: str, name: str) -> None:
        connect = self.connect_with
        if connect is None:
            return
        self.connect_page.busy(True)
        self.say("info", "")
        _run(lambda: connect(address, fingerprint, code, name), self._paired, self._pair_refused,
               on_error=self._pair_failed)

    def _paired(self, backend: ExpertBackend) -> None:
        self.connect_page.busy(False)
        self.connect_page.clear()
        self.backend = backend
        self.lock(tr("This terminal is paired with the host. Experts can sign in now."))
        self.ticker.start()

    def _pair_refused(self, exc: RuleViolation) -> None:
        self.connect_page.busy(False)
        self.refused(exc)

    def _pair_failed(self) -> None:
        self.connect_page.busy(False)
        self.failed()

    # -- signing in and locking -------------------------------------------------------------
    def unlock(self, member_code: str, code: str) -> None:
        backend = self.backend
        if backend is None:
            return
        self.sign_in.forget_code()          # the code is used once: it never stays on screen
        self.say("info", "")
        _run(lambda: backend.unlock(member_code, code), self._unlocked, self.refused, on_error=self.failed)

    def _unlocked(self, token: str) -> None:
        if self.token is not None and self.backend is not None:     # someone else is already signed in
            self.backend.lock(token)
            return
        self.token = token
        self.sign_in.clear()
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)
        self.idle.start()
        self.go_home()

    def lock(self, note: str = "") -> None:
        """End the session and wipe every page that held the expert's work."""
        if self.token is not None and self.backend is not None:
            token, backend = self.token, self.backend
            if getattr(backend, "remote", False):          # the host may take seconds to answer
                _run(lambda: backend.lock(token), on_refused=lambda _e: None)
            else:
                with contextlib.suppress(RuleViolation):
                    backend.lock(token)
        self.token, self.tasks = None, None
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
        self.idle.stop()
        self._drop_ballot()
        self.commitment.clear()
        self.review.clear()
        self.questions.clear()
        self.home.clear()
        self.sign_in.clear()
        if self.backend is not None:
            self.sign_in.set_members(self._members())
            self.stack.setCurrentWidget(self.sign_in)
        self.say("info", note)
        self.retranslate()

    def _members(self) -> tuple[tuple[str, str], ...] | None:
        try:
            return self.backend.members() if self.backend is not None else None
        except RuleViolation:
            return None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Any touch, key or wheel inside the terminal restarts the idle countdown."""
        if event.type() in _ACTIVITY and isinstance(watched, QWidget) and watched.window() is self:
            self.idle.start()
        return False

    # -- tasks ----------------------------------------------------------------------------
    def _current(self, token: str) -> bool:
        return self.token == token

    def go_home(self) -> None:
        token, backend = self.token, self.backend
        if token is None or backend is None:
            return
        _run(lambda: backend.tasks(token), lambda t: self._show_tasks(token, t),
               lambda exc: self._tasks_refused(token, exc), on_error=self.failed)

    def _tasks_refused(self, token: str, exc: RuleViolation) -> None:
        if self._current(token):
            self.lock()
        self.refused(exc)

    def _show_tasks(self, token: str, tasks: ExpertTasks, page: str | None = None) -> None:
        if not self._current(token):
            return
        self.tasks = t = tasks
        title, paragraphs = commitment_letter(t.committee, t.meeting)
        self.commitment.load(title, paragraphs, t.commitment_signed, t.commitment_open)
        self.review.load(t.rubric, t.review)
        self.questions.load(tuple(getattr(t, "questions_to_review", ())))
        self.home.load(t)
        self.stack.setCurrentWidget(self.pages[page] if page else self.home)
        self.retranslate()

    def _open_task(self, name: str) -> None:
        if name == "ballot":
            self.open_ballot()
        elif name in self.pages:
            self.stack.setCurrentWidget(self.pages[name])

    def _act(self, call: Callable[[ExpertBackend, str], Any], note: str, page: str | None = None,
             then: Callable[[], None] | None = None) -> None:
        """Run one entry for the signed-in expert; afterwards their tasks are read again."""
        token, backend = self.token, self.backend
        if token is None or backend is None:
            return

        def job() -> ExpertTasks:
            call(backend, token)
            return backend.tasks(token)

        def done(tasks: ExpertTasks) -> None:
            self._show_tasks(token, tasks, page)
            if then is not None:
                then()
            self.say("info", note)
            self.show_status()

        _run(job, done, lambda exc: self._entry_refused(token, exc), on_error=self.failed)

    def _entry_refused(self, token: str, exc: RuleViolation) -> None:
        if exc.rule in KEPT_RULES and self._current(token):
            self.say("waiting", tr("The host did not answer. Your entry is kept on this terminal and will be "
                                   "sent as soon as the host is back; you do not need to enter it again."))
            self.show_status()
            return
        self.refused(exc)

    def sign(self) -> None:
        self._act(lambda b, t: b.sign_commitment(t), tr("You have signed the commitment letter."), "commitment")

    def save_scores(self, code: str, points: Mapping[str, int]) -> None:
        self._act(lambda b, t: b.record_scores(t, code, points), tr("Scores saved for {code}.", code=code),
                  "review", lambda: self.review.select(code))

    def add_question(self, code: str, text: str, answer: str) -> None:
        def show() -> None:
            self.review.select(code)
            self.review.tabs.setCurrentIndex(1)

        self._act(lambda b, t: b.add_question(t, code, text, answer), tr("Question added for {code}.", code=code),
                  "review", show)

    def review_question(self, question_id: int) -> None:
        self._act(lambda b, t: b.review_question(t, question_id), tr("Your review of the question is recorded."),
                  "questions", lambda: self.questions.select(question_id))

    # -- the ballot -------------------------------------------------------------------------
    def open_ballot(self) -> None:
        if self.tasks is None or self.tasks.ballot is None:
            return
        self._drop_ballot()
        self.ballot = LargeBallot(self.tasks.ballot)
        self.ballot.review_requested.connect(self.check_ballot)
        self.ballot_layout.addWidget(self.ballot)
        self.stack.setCurrentWidget(self.ballot_page)

    def check_ballot(self) -> None:
        if self.ballot is None:
            return
        self.confirmation = LargeConfirmation(self.ballot.ballot, self.ballot.choices())
        self.confirmation.back.connect(self._back_to_ballot)
        self.confirmation.confirmed.connect(self.cast)
        self.ballot.hide()
        self.ballot_layout.addWidget(self.confirmation)

    def _back_to_ballot(self) -> None:
        if self.confirmation is not None:
            self.confirmation.clear()
            self.confirmation.hide()
            self.confirmation.deleteLater()
            self.confirmation = None
        if self.ballot is not None:
            self.ballot.show()

    def cast(self) -> None:
        if self.confirmation is None or self.token is None or self.backend is None:
            return
        rnd, choices = self.confirmation.ballot.round_id, dict(self.confirmation.choices)
        token, backend = self.token, self.backend
        self.confirmation.cast.setEnabled(False)
        _run(lambda: backend.cast(token, rnd, choices), lambda _r: self._cast_done(token, received=True),
               lambda exc: self._cast_refused(token, exc), on_error=lambda: self._cast_failed(token))

    def _cast_done(self, token: str, received: bool) -> None:
        if not self._current(token):
            return
        self.lock()                     # the ballot is sent (or kept to send): nothing of it stays on screen
        self.done.set_received(received)
        self.stack.setCurrentWidget(self.done)
        self.show_status()

    def _cast_refused(self, token: str, exc: RuleViolation) -> None:
        if exc.rule in KEPT_RULES:      # journalled before sending: it goes when the host is back
            self._cast_done(token, received=False)
            return
        if self._current(token):
            self._drop_ballot()
            self.go_home()
        self.refused(exc)

    def _cast_failed(self, token: str) -> None:
        if self._current(token):
            self._drop_ballot()
            self.go_home()
        self.failed()

    def _drop_ballot(self) -> None:
        for widget in (self.confirmation, self.ballot):
            if widget is not None:
                widget.clear()
                widget.hide()
                widget.setParent(None)
                widget.deleteLater()
        self.confirmation, self.ballot = None, None

    # -- the link ---------------------------------------------------------------------------
    def tick(self) -> None:
        """Every few seconds: send what waits on this terminal, tell the host it is here (and who
        is signed in), and show the link's state. Off the interface thread."""
        backend = self.backend
        beat = getattr(backend, "tick", None)
        if backend is None or beat is None or self.ticking:
            self.show_status()
            return
        self.ticking = True
        token = self.token

        def finished(*_: object) -> None:
            self.ticking = False
            self.show_status()

        _run(lambda: beat(token), finished, finished, on_error=finished)

    # -- language and closing -----------------------------------------------------------------
    def retranslate(self, _language: str = "") -> None:
        self.setWindowTitle(tr("Expert terminal"))
        self.title.setText(self.tasks.meeting if self.tasks else tr("Expert terminal"))
        self.who.setText(tr("Signed in: {name}", name=self.tasks.name) if self.tasks else
                         tr("Signed in: {name}", name="…") if self.token else "")
        self.lock_button.setText(tr("Lock"))
        self.lock_button.setVisible(self.token is not None)
        self.connect_page.retranslate()
        self.sign_in.retranslate()
        self.home.retranslate()
        self.commitment.retranslate()
        self.review.retranslate()
        self.questions.retranslate()
        self.done.retranslate()
        for back in self.back_buttons:
            back.setText(tr("← My tasks"))
        for widget in (self.ballot, self.confirmation):
            if widget is not None:
                widget.retranslate()
        self.show_status()

    def closeEvent(self, event: QCloseEvent) -> None:
        """Closing the terminal signs the expert out: no session survives the window. A closed window no
        longer follows the language: the program closes its link to the host after it, and a language
        switched then must not ask a closed journal for its count."""
        self.ticker.stop()
        self.lock()
        if self.listening:
            bridge.language_changed.disconnect(self.retranslate)
            self.listening = False
        super().closeEvent(event)

    def showEvent(self, event: QShowEvent) -> None:
        if not self.listening:           # shown again after a close: follow the language again, from now
            bridge.language_changed.connect(self.retranslate)
            self.listening = True
            self.retranslate()
        super().showEvent(event)


class ConnectPage(QWidget):
    """Pairing a terminal with the host: address, fingerprint and pairing code off the host's screen."""

    pair_requested = Signal(str, str, str, str)

    def __init__(self) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        self.heading = heading(24)
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.address, self.fingerprint, self.code, self.name = QLineEdit(), QLineEdit(), QLineEdit(), QLineEdit()
        self.scan_timer = QTimer(self)               # a scanner types the QR text a character at a time
        self.scan_timer.setSingleShot(True)
        self.scan_timer.setInterval(400)
        self.scan_timer.timeout.connect(self._scanned)
        self.address.textChanged.connect(lambda _t: self.scan_timer.start())
        self.address.returnPressed.connect(self._scanned)
        self.code.setMaxLength(32)
        self.name.setMaxLength(64)
        self.name.setText(socket.gethostname()[:64])
        sized(self.fingerprint, 13)
        self.labels = [QLabel() for _ in range(4)]
        form = QFormLayout()
        for label, field in zip(self.labels, (self.address, self.fingerprint, self.code, self.name), strict=True):
            form.addRow(label, field)
            field.textChanged.connect(self._update)
        self.pair = primary_button()
        self.pair.clicked.connect(self._submit)
        layout.addWidget(self.heading)
        layout.addWidget(self.intro)
        layout.addLayout(form)
        layout.addWidget(self.pair, 0, Qt.AlignmentFlag.AlignRight)
        layout.addStretch(1)
        self.working = False
        self.retranslate()

    def _scanned(self) -> None:
        """A QR code read by a scanner (which types like a keyboard) into the address field: once
        it stops typing (or sends Enter), its address, fingerprint and pairing code go to their fields."""
        from app.lan.host import QR_SCHEME, parse_pairing_qr

        self.scan_timer.stop()
        text = self.address.text()
        if not text.strip().startswith(QR_SCHEME + ":"):
            return
        try:
            address, fingerprint, code = parse_pairing_qr(text)
        except RuleViolation:
            return
        self.address.setText(address)
        self.fingerprint.setText(fingerprint)
        self.code.setText(code)

    def _update(self) -> None:
        ready = all(f.text().strip() for f in (self.address, self.fingerprint, self.code, self.name))
        self.pair.setEnabled(ready and not self.working)

    def _submit(self) -> None:
        if self.pair.isEnabled():
            self.pair_requested.emit(self.address.text().strip(), self.fingerprint.text().strip(),
                                     self.code.text().strip(), self.name.text().strip())

    def busy(self, working: bool) -> None:
        self.working = working
        self._update()

    def clear(self) -> None:
        self.code.clear()

    def retranslate(self) -> None:
        self.heading.setText(tr("Connect this terminal to the meeting's host"))
        self.intro.setText(tr("On the host laptop the chair turns serving on; its screen shows the host's address, "
                              "its certificate fingerprint and a one-time pairing code (also as a QR code). "
                              "Type all three as shown, or scan the QR code into the address field. The "
                              "fingerprint makes sure this terminal talks only to the meeting's host: a wrong one "
                              "is refused."))
        for label, text in zip(self.labels, ("Host address", "Certificate fingerprint", "Pairing code",
                                             "Name of this terminal"), strict=True):
            label.setText(tr(text))
        self.address.setPlaceholderText(tr("e.g. 192.168.1.10:8443"))
        self.fingerprint.setPlaceholderText(tr("groups of hex digits, as the host shows them"))
        self.pair.setText(tr("Pair with the host"))
        self._update()


class SignInPage(QWidget):
    """An expert signs in: their name (where the other end lists them) or their expert number, and
    the one-time code a staff member issued to them."""

    unlock_requested = Signal(str, str)

    def __init__(self) -> None:
        super().__init__()
        self.by_name = LockScreen()
        self.by_name.unlock_requested.connect(self.unlock_requested)
        self.by_number = QWidget()
        column = QVBoxLayout(self.by_number)
        self.title = heading(26)
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.number_label, self.code_label = heading(17), heading(17)
        self.member = QLineEdit()
        self.member.setMaxLength(40)
        sized(self.member, 24)
        self.code = CodeEntry()
        self.unlock = primary_button()
        self.unlock.setMinimumHeight(60)
        sized(self.unlock, 18, bold=True)
        self.unlock.clicked.connect(self._submit)
        self.code.submitted.connect(self._submit)
        self.member.textChanged.connect(self._update)
        self.code.field.textChanged.connect(self._update)
        left, right = QVBoxLayout(), QVBoxLayout()
        left.addWidget(self.number_label)
        left.addWidget(self.member)
        left.addStretch(1)
        right.addWidget(self.code_label)
        right.addWidget(self.code)
        right.addWidget(self.unlock)
        right.addStretch(1)
        row = QHBoxLayout()
        row.addLayout(left, 3)
        row.addSpacing(24)
        row.addLayout(right, 2)
        column.addWidget(self.title)
        column.addLayout(row, 1)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.by_name)
        self.stack.addWidget(self.by_number)
        QVBoxLayout(self).addWidget(self.stack)
        self.set_members(None)

    def set_members(self, members: tuple[tuple[str, str], ...] | None) -> None:
        """Name buttons when the other end lists the experts, else a field for the expert's number."""
        if members:
            self.by_name.set_members([_Member(code, name) for code, name in members])  # type: ignore[misc]
            self.stack.setCurrentWidget(self.by_name)
        else:
            self.stack.setCurrentWidget(self.by_number)
        self.retranslate()

    def _update(self) -> None:
        self.unlock.setEnabled(bool(self.member.text().strip()) and len(self.code.code()) == CODE_DIGITS)

    def _submit(self) -> None:
        if self.unlock.isEnabled():
            self.unlock_requested.emit(self.member.text().strip(), self.code.code())

    def forget_code(self) -> None:
        self.by_name.code.clear()
        self.code.clear()
        self._update()

    def clear(self) -> None:
        self.by_name.clear()
        self.member.clear()
        self.code.clear()
        self._update()

    def retranslate(self) -> None:
        self.by_name.retranslate()
        self.title.setText(tr("Expert terminal — locked"))
        self.number_label.setText(tr("1. Type your expert number (the staff member tells it with your code)"))
        self.member.setPlaceholderText(tr("e.g. P003"))
        self.code_label.setText(tr("2. Type the one-time code the secretary gave you"))
        self.unlock.setText(tr("Unlock"))
        self.code.retranslate()
        self._update()


class _Member:
    """A name on the lock screen (what :meth:`LockScreen.set_members` reads of a member)."""

    def __init__(self, code: str, name: str) -> None:
        self.code, self.name = code, name


class TasksPage(QWidget):
    """The signed-in expert's own tasks, and nothing else."""

    open_page = Signal(str)
    finish = Signal()

    KEYS = ("commitment", "review", "questions", "ballot")

    def __init__(self) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        self.greeting, self.notes = heading(24), QLabel()
        self.notes.setWordWrap(True)
        layout.addWidget(self.greeting)
        self.buttons: dict[str, QPushButton] = {}
        for key in self.KEYS:
            button = QPushButton()
            button.setProperty("task", True)
            sized(button, 20)
            button.clicked.connect(lambda _=False, k=key: self.open_page.emit(k))
            layout.addWidget(button)
            self.buttons[key] = button
        layout.addWidget(self.notes)
        layout.addStretch(1)
        self.done = QPushButton()
        self.done.clicked.connect(self.finish)
        layout.addWidget(self.done, 0, Qt.AlignmentFlag.AlignRight)
        self.tasks: ExpertTasks | None = None

    def load(self, tasks: ExpertTasks) -> None:
        self.tasks = tasks
        self.retranslate()

    def clear(self) -> None:
        self.tasks = None
        self.retranslate()

    def retranslate(self) -> None:
        t = self.tasks
        b = self.buttons
        review_items = tuple(getattr(t, "questions_to_review", ())) if t else ()
        self.greeting.setText(tr("Welcome, {name}", name=t.name) if t else "")
        b["commitment"].setVisible(bool(t and t.commitment_open))
        b["commitment"].setText(tr("Commitment letter — signed ✓") if t and t.commitment_signed else
                                tr("Read and sign the commitment letter"))
        b["review"].setVisible(bool(t and t.review_open))
        b["review"].setText(tr("Score and draft questions: {n} candidate(s)", n=len(t.review) if t else 0))
        b["questions"].setVisible(bool(review_items))
        b["questions"].setText(tr("Review other experts' questions: {left} of {n} to do",
                                  left=sum(1 for q in review_items if not q.reviewed), n=len(review_items)))
        b["ballot"].setVisible(bool(t and t.ballot))
        b["ballot"].setText(tr("Vote: ballot round {n}", n=t.ballot.number if t and t.ballot else 0))
        notes = []
        if t and t.voted_round:
            notes.append(tr("You have voted in round {n}. A ballot cannot be changed.", n=t.voted_round))
        if t and t.off_roll_round:
            notes.append(tr("You are not on the roll of round {n}.", n=t.off_roll_round))
        if t and not any(button.isVisibleTo(self) for button in b.values()):
            notes.append(tr("There is nothing for you to do at this terminal now."))
        self.notes.setText("\n".join(notes))
        self.done.setText(tr("Finish and lock"))


class CastPage(QWidget):
    """After casting: received by the host (or, at the kiosk, in the box), or kept here to be sent;
    nothing of what was chosen."""

    def __init__(self) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        self.title, self.text, self.finish = heading(28), QLabel(), QPushButton()
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.text.setWordWrap(True)
        layout.addWidget(self.title)
        layout.addWidget(self.text)
        layout.addWidget(self.finish, 0, Qt.AlignmentFlag.AlignCenter)
        layout.addStretch(1)
        self.received = True
        self.local = False           # the kiosk: the engine is in this program, no host to receive it

    def set_received(self, received: bool) -> None:
        self.received = received
        self.retranslate()

    def retranslate(self) -> None:
        if self.received and self.local:
            self.title.setText(tr("Your ballot has been cast."))
            self.text.setText(tr("Thank you. The terminal is locked; please hand it to the next expert."))
        elif self.received:
            self.title.setText(tr("Your ballot has been cast."))
            self.text.setText(tr("The host has received it. Thank you. The terminal is locked; "
                                 "please hand it to the next expert."))
        else:
            self.title.setText(tr("Your ballot is kept on this terminal."))
            self.text.setText(tr("The host did not answer. Your ballot will be sent as soon as the link is back "
                                 "(the status line below shows it); do not vote again. Please tell the staff."))
        self.finish.setText(tr("OK"))


# -- the program ------------------------------------------------------------------------------
def default_journal() -> Path:
    """Where a terminal keeps its pairing and its unsent entries: the user's data folder."""
    from platformdirs import user_data_path

    return user_data_path("conclave", appauthor=False) / "terminal"


def remote_connect(journal: Path) -> Connect:
    """Pairing over the LAN: a :class:`~app.lan.client.StationClient` pinned to the fingerprint typed."""

    def connect(address: str, fingerprint: str, code: str, name: str) -> ExpertBackend:
        from app.lan.client import StationClient

        client = StationClient(address, fingerprint, journal)
        client.pair(code, name)
        return RemoteBackend(client)
    return connect


def paired_backend(journal: Path) -> ExpertBackend | None:
    """The backend of a terminal paired earlier, if any: its journal (one file per host, named after
    the host's fingerprint) holds the host's address and certificate, the station's token and
    the entries not yet acknowledged — they are sent once the host answers."""
    import ssl

    from app.lan.client import StationClient
    from app.lan.journal import Journal
    from app.lan.tls import fingerprint_of_der

    for path in sorted(journal.glob("host-*.sqlite3"), key=lambda p: p.stat().st_mtime, reverse=True):
        kept = Journal(path)
        try:
            address, pem, token = kept.get("address"), kept.get("certificate"), kept.get("token")
        finally:
            kept.close()
        if address and pem and token:
            fingerprint = fingerprint_of_der(ssl.PEM_cert_to_DER_cert(pem))
            return RemoteBackend(StationClient(address, fingerprint, journal))
    return None


def main(argv: list[str] | None = None) -> int:
    """``conclave terminal [--journal DIR] [--lang zh|en]``: the expert terminal window."""
    parser = argparse.ArgumentParser(prog="conclave terminal", description="expert terminal on the office LAN")
    parser.add_argument("--journal", type=Path, default=None,
                        help="folder for this terminal's pairing and unsent entries")
    parser.add_argument("--lang", choices=("zh", "en"), default="zh")
    args = parser.parse_args(argv)
    journal = args.journal or default_journal()
    journal.mkdir(parents=True, exist_ok=True)
    qt = QApplication.instance() or QApplication(sys.argv[:1])
    from ui.fonts import apply_application_font

    apply_application_font(qt)  # type: ignore[arg-type]
    bridge.set_language(args.lang)
    window = TerminalWindow(paired_backend(journal), remote_connect(journal))
    window.show()
    code = int(qt.exec())
    QThreadPool.globalInstance().waitForDone()
    client = getattr(window.backend, "client", None)
    if client is not None:
        client.close()
    return code
