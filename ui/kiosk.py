"""The kiosk expert terminal (评委终端): a window on the host where experts take turns.

Each expert unlocks it with a one-time code the secretary issued
(:mod:`ui.terminal_codes`) and sees only their own tasks: the commitment letter
at step 1, their candidates to score and question at step 3, the ballot at
step 7. *Lock* — or two minutes without a touch — ends the session and clears
every widget, so the next expert never sees what the previous one entered; a
cast ballot is never shown again. Every act goes through the expert desk
(:class:`app.services.desk.ExpertDesk`) with the session's token: the engine takes the expert
from the session and checks the candidate is theirs and not one they must recuse from.
Changes go through :func:`ui.ops.run_op`; refusals appear in the kiosk's own message area
(the main window may be on another screen).

Kiosk mode (:meth:`KioskWindow.enter`, how the main window opens it): an expert once raised the
secretary's window from the kiosk seat and issued themselves another expert's code. So the kiosk
takes the whole screen — full screen, frameless (no title bar, no close button), kept on top and
application-modal — and the windows it guards (the main window) are disabled and hidden until a
staff member of the plan signs in with their own code at the kiosk's *Staff* door
(:class:`StaffDoor`): to issue a code (the code dialog, over the kiosk, shows it to that staff
member only and signs them out when closed) or to leave kiosk mode. Inside the program
:class:`KioskGuard` swallows every input and shortcut meant for another window, hides a guarded
window again the moment anything shows it, and hands the focus back to the kiosk whenever
another window of the program is activated; closing the kiosk (Alt+F4, the window manager's
close) is refused, minimising restores it, and a one-second watch re-takes full screen and focus.

What a Qt program cannot stop: the operating system's own keys — Alt+Tab, the Windows key,
Ctrl+Alt+Del, switching virtual desktops — are handled by the window manager before the program
sees them. The kiosk then takes the focus back within a second where the window manager allows
it (X11 window managers do; Windows may only flash the taskbar button), and the program's own
windows stay hidden and disabled whatever the system shows, so an expert who switches away
finds no usable secretary window — only other programs, which a kiosk laptop should not have
open (lock the session down at the OS level too: a kiosk user account, or Windows'
assigned access, is the way to stop the system keys themselves).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import shiboken6
from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.errors import RuleViolation
from app.services import Conclave
from app.services.staff import StaffSession
from app.services.terminals import ExpertTasks, Session, TerminalService, commitment_letter
from ui.i18n import bridge, headline, rule_title, tr
from ui.ops import run_op
from ui.staff_sign_in import StaffFields, post_text
from ui.terminal_codes import IssueCodeDialog, LockScreen
from ui.terminal_widgets import STYLE, BallotConfirmation, BallotForm, CommitmentView, ReviewPanel, heading, sized

IDLE_MS = 120_000
WATCH_MS = 1_000          # in kiosk mode: how often the kiosk checks it still has the screen and the focus
#: Input that a window other than the kiosk (and its own dialogs) never receives in kiosk mode.
_BLOCKED = {QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonRelease, QEvent.Type.MouseButtonDblClick,
            QEvent.Type.KeyPress, QEvent.Type.KeyRelease, QEvent.Type.Shortcut, QEvent.Type.ShortcutOverride,
            QEvent.Type.Wheel, QEvent.Type.TouchBegin, QEvent.Type.TouchUpdate, QEvent.Type.TouchEnd,
            QEvent.Type.ContextMenu, QEvent.Type.TabletPress, QEvent.Type.DragEnter, QEvent.Type.Drop}
DONE_MS = 8_000
_ACTIVITY = {QEvent.Type.MouseButtonPress, QEvent.Type.KeyPress, QEvent.Type.Wheel, QEvent.Type.TouchBegin}
_COLOURS = {"info": ("#e8f4ea", "#1e5e22"), "refused": ("#fdecea", "#8c1d18")}


class KioskWindow(QWidget):
    """Experts in turn at the host laptop: lock screen, then only the unlocked expert's own tasks."""

    def __init__(self, app: Conclave, meeting_id: int, idle_ms: int = IDLE_MS) -> None:
        super().__init__()
        self.app, self.meeting_id = app, meeting_id
        self.terminals: TerminalService = app.terminals    # the sessions the voting service casts from
        self.meeting_title = app.views.meeting(meeting_id).title
        self.session: Session | None = None
        self.tasks: ExpertTasks | None = None
        self.ballot_form: BallotForm | None = None
        self.confirmation: BallotConfirmation | None = None
        self.setStyleSheet("QWidget { font-size: 15pt; }" + STYLE)
        layout = QVBoxLayout(self)
        self.top = TopBar()
        self.top.lock.clicked.connect(lambda: self.lock())
        self.top.staff.clicked.connect(self.open_staff_door)
        self.locked_down = False                 # in kiosk mode (see enter)
        self.guarded: list[QWidget] = []         # the windows kiosk mode hid and disabled
        self.guard: KioskGuard | None = None
        self.staff_door: StaffDoor | None = None
        self.code_dialog: IssueCodeDialog | None = None
        self.watch = QTimer(self)
        self.watch.setInterval(WATCH_MS)
        self.watch.timeout.connect(self.reclaim)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setContentsMargins(12, 8, 12, 8)
        self.message.hide()
        self.stack = QStackedWidget()
        layout.addWidget(self.top)
        layout.addWidget(self.message)
        layout.addWidget(self.stack, 1)
        self.lock_screen = LockScreen()
        self.lock_screen.unlock_requested.connect(self.unlock)
        self.home = HomePage()
        self.home.open_ballot.connect(self.open_ballot)
        self.home.finish.connect(lambda: self.lock())
        self.back_buttons: list[QPushButton] = []
        self.commitment = CommitmentView()
        self.commitment.sign_requested.connect(self.sign)
        self.commitment_page = self._with_back(self.commitment)
        self.review = ReviewPanel()
        self.review_page = self._with_back(self.review)
        self.review.score.submitted.connect(self.save_scores)
        self.review.question.submitted.connect(self.add_question)
        self.home.open_commitment.connect(lambda: self.stack.setCurrentWidget(self.commitment_page))
        self.home.open_review.connect(lambda: self.stack.setCurrentWidget(self.review_page))
        self.ballot_page = QWidget()
        self.ballot_layout = QVBoxLayout(self.ballot_page)
        self.ballot_layout.setContentsMargins(0, 0, 0, 0)
        self.done = DonePage()
        self.done.finish.clicked.connect(lambda: self.lock())
        for page in (self.lock_screen, self.home, self.commitment_page, self.review_page, self.ballot_page, self.done):
            self.stack.addWidget(page)
        self.idle = QTimer(self)
        self.idle.setSingleShot(True)
        self.idle.setInterval(idle_ms)
        self.idle.timeout.connect(lambda: self.lock(tr("The terminal was idle and has been locked.")))
        self.done_timer = QTimer(self)
        self.done_timer.setSingleShot(True)
        self.done_timer.setInterval(DONE_MS)
        self.done_timer.timeout.connect(lambda: self.lock())
        bridge.language_changed.connect(self.retranslate)
        self.resize(1280, 800)
        self.lock()

    def _with_back(self, widget: QWidget) -> QWidget:
        page = QWidget()
        column = QVBoxLayout(page)
        column.addWidget(widget, 1)
        back = QPushButton()
        back.clicked.connect(self.go_home)
        column.addWidget(back, 0, Qt.AlignmentFlag.AlignLeft)
        self.back_buttons.append(back)
        return page

    # -- messages -----------------------------------------------------------------
    def say(self, kind: str, text: str) -> None:
        background, colour = _COLOURS.get(kind, _COLOURS["refused"])
        self.message.setStyleSheet(f"background:{background}; color:{colour}; font-weight:bold;")
        self.message.setText(text)
        self.message.setVisible(bool(text))

    def refused(self, exc: RuleViolation) -> None:
        colon, semicolon = ("：", "；") if bridge.language == "zh" else (": ", "; ")
        self.say("refused", rule_title(exc.rule) + colon + semicolon.join(headline(v) for v in exc.violations))

    def failed(self) -> None:
        """An unexpected error: the expert is told to call the staff (the details are in the main
        window's message bar, not on the kiosk)."""
        self.say("refused", tr("An unexpected error occurred and nothing was recorded. Please tell the staff."))

    # -- locking ------------------------------------------------------------------
    def unlock(self, member_code: str, code: str) -> None:
        self.lock_screen.code.clear()
        self.say("info", "")
        run_op(lambda: self.terminals.unlock(self.meeting_id, member_code, code), self._unlocked, self.refused,
               on_error=self.failed)

    def _unlocked(self, session: Session) -> None:
        if self.session is not None:          # someone else is already at the screen
            self.terminals.lock(session.token)
            return
        self.session = session
        self.lock_screen.clear()
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)
        self.idle.start()
        self.go_home()

    def lock(self, note: str = "") -> None:
        """End the session and wipe every widget that held the expert's work."""
        if self.session is not None:
            self.terminals.lock(self.session.token)
        self.session, self.tasks = None, None
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
        self.idle.stop()
        self.done_timer.stop()
        self._drop_ballot()
        self.commitment.clear()
        self.review.clear()
        self.home.clear()
        self.lock_screen.clear()
        self.lock_screen.set_members([m for m in self.app.views.members(self.meeting_id) if m.checked_in])
        self.say("info", note)
        self.stack.setCurrentWidget(self.lock_screen)
        self.retranslate()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Any touch, key or wheel inside the kiosk restarts the idle countdown."""
        if event.type() in _ACTIVITY and isinstance(watched, QWidget) and watched.window() is self:
            self.idle.start()
        return False

    # -- tasks --------------------------------------------------------------------
    def _current(self, token: str) -> bool:
        return self.session is not None and self.session.token == token

    def _job(self, call: Any) -> tuple[str, Any]:
        """The session's token, and ``call(token)`` to run off the UI thread: the expert desk
        (:class:`app.services.desk.ExpertDesk`) takes the expert from the session — a locked
        session is refused there, and nothing here names the expert."""
        assert self.session is not None
        token = self.session.token
        return token, lambda: call(token)

    def go_home(self) -> None:
        if self.session is None:
            return
        try:
            self.tasks = self.terminals.tasks(self.session.token)
        except RuleViolation as exc:
            self.lock()
            self.refused(exc)
            return
        t = self.tasks
        title, paragraphs = commitment_letter(t.committee, t.meeting)
        self.commitment.load(title, paragraphs, t.commitment_signed, t.commitment_open)
        self.review.load(t.rubric, t.review)
        self.home.load(t)
        self.stack.setCurrentWidget(self.home)
        self.retranslate()

    def sign(self) -> None:
        token, job = self._job(lambda t: self.app.desk.sign_commitment(t))
        run_op(job, lambda _r: self._after(token, tr("You have signed the commitment letter.")), self.refused,
               on_error=self.failed)

    def save_scores(self, code: str, points: dict[str, int]) -> None:
        token, job = self._job(lambda t: self.app.desk.record_scores(t, code, points))
        run_op(job, lambda _r: self._after(token, tr("Scores saved for {code}.", code=code), code), self.refused,
               on_error=self.failed)

    def add_question(self, code: str, text: str, answer: str) -> None:
        token, job = self._job(lambda t: self.app.desk.add_question(t, code, text, answer))
        run_op(job, lambda _r: self._after(token, tr("Question added for {code}.", code=code), code), self.refused,
               on_error=self.failed)

    def _after(self, token: str, note: str, code: str | None = None) -> None:
        if not self._current(token):
            return
        self.go_home()
        if code is not None:
            self.review.select(code)
            self.stack.setCurrentWidget(self.review_page)
        self.say("info", note)

    # -- the ballot -----------------------------------------------------------------
    def open_ballot(self) -> None:
        if self.tasks is None or self.tasks.ballot is None:
            return
        self._drop_ballot()
        self.ballot_form = BallotForm(self.tasks.ballot)
        self.ballot_form.review_requested.connect(self.check_ballot)
        self.ballot_layout.addWidget(self.ballot_form)
        self.stack.setCurrentWidget(self.ballot_page)

    def check_ballot(self) -> None:
        if self.ballot_form is None:
            return
        self.confirmation = BallotConfirmation(self.ballot_form.ballot, self.ballot_form.choices())
        self.confirmation.back.connect(self._back_to_ballot)
        self.confirmation.confirmed.connect(self.cast)
        self.ballot_form.hide()
        self.ballot_layout.addWidget(self.confirmation)

    def _back_to_ballot(self) -> None:
        if self.confirmation is not None:
            self.confirmation.clear()
            self.confirmation.deleteLater()
            self.confirmation = None
        if self.ballot_form is not None:
            self.ballot_form.show()

    def cast(self) -> None:
        if self.confirmation is None or self.session is None:
            return
        rnd, choices, token = self.confirmation.ballot.round_id, dict(self.confirmation.choices), self.session.token
        self.confirmation.cast.setEnabled(False)

        def job() -> None:             # the engine takes the voter from the session, never from here
            self.app.desk.cast(token, rnd, choices)
        run_op(job, lambda _r: self._cast_done(token), lambda exc: self._cast_refused(token, exc),
               on_error=lambda: self._cast_failed(token))

    def _cast_done(self, token: str) -> None:
        if not self._current(token):
            return
        self.lock()                     # the ballot is in the box: nothing of it stays on screen
        self.stack.setCurrentWidget(self.done)
        self.done_timer.start()

    def _cast_refused(self, token: str, exc: RuleViolation) -> None:
        if self._current(token):
            self._drop_ballot()
            self.go_home()
        self.refused(exc)

    def _cast_failed(self, token: str) -> None:
        """Nothing was recorded (the cast is one transaction): the expert may vote again."""
        if self._current(token):
            self._drop_ballot()
            self.go_home()
        self.failed()

    def _drop_ballot(self) -> None:
        for widget in (self.confirmation, self.ballot_form):
            if widget is not None:
                if isinstance(widget, BallotConfirmation):
                    widget.clear()
                widget.hide()
                widget.setParent(None)
                widget.deleteLater()
        self.confirmation, self.ballot_form = None, None

    # -- language and closing --------------------------------------------------------
    def retranslate(self, _language: str = "") -> None:
        self.setWindowTitle(tr("Expert terminal"))
        self.top.retranslate(self.session, self.meeting_title)
        self.lock_screen.retranslate()
        self.home.retranslate()
        self.commitment.retranslate()
        self.review.retranslate()
        self.done.retranslate()
        for back in self.back_buttons:
            back.setText(tr("← My tasks"))
        for widget in (self.ballot_form, self.confirmation):
            if widget is not None:
                widget.retranslate()

    def closeEvent(self, event: QCloseEvent) -> None:
        """Closing the kiosk locks it: no session survives the window. In kiosk mode it cannot be
        closed at all (Alt+F4, the window manager): only a staff member leaves it (:meth:`leave`)."""
        if self.locked_down:
            event.ignore()
            QTimer.singleShot(0, self.reclaim)
            return
        self.lock()
        super().closeEvent(event)

    # -- kiosk mode --------------------------------------------------------------------
    def enter(self, guarded: Sequence[QWidget] = ()) -> None:
        """Take the whole screen until a staff member leaves kiosk mode: full screen, frameless, on
        top, application-modal; ``guarded`` (the main window) and every window they own are
        disabled and hidden meanwhile."""
        owners = [w for w in guarded if w is not None]
        hidden = [w for w in QApplication.topLevelWidgets()
                  if w is not self and w.isVisible() and any(_owned_by(w, g) for g in owners)]
        for w in hidden:
            if isinstance(w, IssueCodeDialog):      # a staff member's open code dialog: signed out, closed
                w.close()
        self.guarded = list(dict.fromkeys([*owners, *(w for w in hidden if w.isVisible())]))
        for w in self.guarded:
            w.setEnabled(False)
            w.hide()
        self.locked_down = True
        self.hide()
        self.setWindowFlags(self.windowFlags() | Qt.WindowType.FramelessWindowHint
                            | Qt.WindowType.WindowStaysOnTopHint)
        self.setWindowModality(Qt.WindowModality.ApplicationModal)
        self.guard = KioskGuard(self)
        qt_app = QApplication.instance()
        if qt_app is not None:
            qt_app.installEventFilter(self.guard)
        self.showFullScreen()
        self.raise_()
        self.activateWindow()
        self.watch.start()

    def owns(self, widget: QWidget | None) -> bool:
        """Whether ``widget`` is the kiosk or one of its own dialogs (the staff door, the code dialog)."""
        return widget is not None and _owned_by(widget, self)

    def reclaim(self) -> None:
        """Kiosk mode holds: the guarded windows hidden, the kiosk full screen and, unless one of
        its own dialogs has it, the focus."""
        if not self.locked_down or not shiboken6.isValid(self):
            return
        for w in self.guarded:
            if shiboken6.isValid(w) and w.isVisible():
                w.hide()
        if not self.isVisible() or self.isMinimized() or not self.isFullScreen():
            self.showFullScreen()
        active = QApplication.activeWindow()
        if active is None or not self.owns(active):
            self.raise_()
            self.activateWindow()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if getattr(self, "locked_down", False) and event.type() in (QEvent.Type.WindowStateChange,
                                                                   QEvent.Type.ActivationChange):
            QTimer.singleShot(0, self.reclaim)       # minimised, or another window took the focus

    def open_staff_door(self) -> None:
        """A staff member signs in with their own code: then they may issue a code or leave kiosk mode."""
        if self.staff_door is not None and shiboken6.isValid(self.staff_door) and self.staff_door.isVisible():
            self.staff_door.raise_()
            return
        door = StaffDoor(self.app, self.meeting_id, self)
        door.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        door.issue_requested.connect(self.issue_codes)
        door.leave_requested.connect(self.leave)
        self.staff_door = door
        door.open()

    def issue_codes(self, session: StaffSession) -> None:
        """The code dialog over the kiosk, for the staff member who signed in (it signs them out when closed)."""
        self.lock()                                  # no expert's work stays behind the staff member's dialog
        dialog = IssueCodeDialog(self.app, self.meeting_id, self, staff_session=session)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.code_dialog = dialog
        dialog.open()

    def leave(self, session: StaffSession) -> None:
        """A staff member signed in at the door leaves kiosk mode: the guarded windows come back."""
        try:
            self.app.staff.leave_kiosk(session.token)     # refused if signed out meanwhile; audited
        except RuleViolation as exc:
            self.refused(exc)
            return
        finally:
            self.app.staff.sign_out(session.token)
        self._unguard()
        self.close()

    def _unguard(self) -> None:
        self.locked_down = False
        self.watch.stop()
        qt_app = QApplication.instance()
        if self.guard is not None and qt_app is not None:
            qt_app.removeEventFilter(self.guard)
        self.guard = None
        for w in self.guarded:
            if shiboken6.isValid(w):
                w.setEnabled(True)
                w.show()
        self.guarded = []


class TopBar(QWidget):
    """Whose terminal this is right now, and the Lock button."""

    def __init__(self) -> None:
        super().__init__()
        row = QHBoxLayout(self)
        row.setContentsMargins(4, 0, 4, 0)
        self.title, self.who, self.lock, self.staff = heading(18), QLabel(), QPushButton(), QPushButton()
        self.staff.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.staff.setStyleSheet("font-size: 11pt; padding: 4px 10px;")
        row.addWidget(self.title, 1)
        row.addWidget(self.who)
        row.addWidget(self.lock)
        row.addWidget(self.staff)

    def retranslate(self, session: Session | None, meeting: str) -> None:
        self.title.setText(meeting)
        self.who.setText(tr("Unlocked for {name}", name=session.member_name) if session else tr("Locked"))
        self.lock.setText(tr("Lock"))
        self.lock.setVisible(session is not None)
        self.staff.setText(tr("Staff"))
        self.staff.setToolTip(tr("For the staff of the plan: issue a code, or leave kiosk mode "
                                 "(needs your own staff code)"))


class HomePage(QWidget):
    """The unlocked expert's own tasks, and nothing else."""

    open_commitment, open_review, open_ballot, finish = Signal(), Signal(), Signal(), Signal()

    def __init__(self) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        self.greeting, self.status = heading(24), QLabel()
        self.status.setWordWrap(True)
        layout.addWidget(self.greeting)
        self.buttons: list[QPushButton] = []
        for signal in (self.open_commitment, self.open_review, self.open_ballot):
            button = QPushButton()
            button.setProperty("task", True)
            sized(button, 20)
            button.clicked.connect(signal)
            layout.addWidget(button)
            self.buttons.append(button)
        layout.addWidget(self.status)
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
        sign, review, ballot = self.buttons
        self.greeting.setText(tr("Welcome, {name}", name=t.name) if t else "")
        sign.setVisible(bool(t and t.commitment_open))
        sign.setText(tr("Commitment letter — signed ✓") if t and t.commitment_signed else
                     tr("Read and sign the commitment letter"))
        review.setVisible(bool(t and t.review_open))
        review.setText(tr("Score and draft questions: {n} candidate(s)", n=len(t.review) if t else 0))
        ballot.setVisible(bool(t and t.ballot))
        ballot.setText(tr("Vote: ballot round {n}", n=t.ballot.number if t and t.ballot else 0))
        notes = []
        if t and t.voted_round:
            notes.append(tr("You have voted in round {n}. A ballot cannot be changed.", n=t.voted_round))
        if t and t.off_roll_round:
            notes.append(tr("You are not on the roll of round {n}.", n=t.off_roll_round))
        if t and not any(b.isVisibleTo(self) for b in self.buttons):
            notes.append(tr("There is nothing for you to do at this terminal now."))
        self.status.setText("\n".join(notes))
        self.done.setText(tr("Finish and lock"))


class DonePage(QWidget):
    """After casting: says so, and shows nothing of what was chosen."""

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

    def retranslate(self) -> None:
        self.title.setText(tr("Your ballot has been cast."))
        self.text.setText(tr("Thank you. The terminal is locked; please hand it to the next expert."))
        self.finish.setText(tr("OK"))


def _owned_by(widget: QWidget, owner: QWidget) -> bool:
    """Whether ``widget``'s window is ``owner`` or a window opened from it (a dialog, a popup)."""
    w: QWidget | None = widget.window()
    while w is not None:
        if w is owner:
            return True
        parent = w.parentWidget()
        w = parent.window() if parent is not None else None
    return False


class KioskGuard(QObject):
    """In kiosk mode, installed on the whole program: no input or shortcut reaches a window that is
    not the kiosk's; a guarded window shown again is hidden again; another window activated hands
    the focus back to the kiosk."""

    def __init__(self, kiosk: KioskWindow) -> None:
        super().__init__(kiosk)
        self.kiosk = kiosk
        self.refused = 0                 # input swallowed (what a test checks, and a count to show)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kiosk = self.kiosk
        if not kiosk.locked_down:
            return False
        kind = event.type()
        if isinstance(watched, QAction):                 # a menu or toolbar action's shortcut
            if kind == QEvent.Type.Shortcut and not any(
                    isinstance(o, QWidget) and kiosk.owns(o) for o in watched.associatedObjects()):
                self.refused += 1
                return True
            return False
        if not isinstance(watched, QWidget) or kiosk.owns(watched):
            return False
        if kind in _BLOCKED:
            self.refused += 1
            QTimer.singleShot(0, kiosk.reclaim)
            return True
        if watched.isWindow() and kind in (QEvent.Type.Show, QEvent.Type.WindowActivate):
            QTimer.singleShot(0, kiosk.reclaim)          # hide it again / take the focus back
        return False


class StaffDoor(QDialog):
    """The kiosk's door for the staff of the plan: sign in with your own code, then issue a code
    for an expert or leave kiosk mode. An expert without a staff code gets no further."""

    issue_requested, leave_requested = Signal(object), Signal(object)

    def __init__(self, app: Conclave, meeting_id: int, parent: QWidget) -> None:
        super().__init__(parent)
        self.app, self.meeting_id = app, meeting_id
        self.session: StaffSession | None = None
        layout = QVBoxLayout(self)
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        layout.addWidget(self.intro)
        self.fields = StaffFields(app, meeting_id, self)
        self.fields.code.returnPressed.connect(self.sign_in)
        layout.addWidget(self.fields)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color:#b3261e;")
        layout.addWidget(self.message)
        self.who = QLabel()
        self.who.setWordWrap(True)
        layout.addWidget(self.who)
        self.sign_in_button, self.issue, self.leave, self.cancel = (QPushButton() for _ in range(4))
        self.sign_in_button.clicked.connect(self.sign_in)
        self.issue.clicked.connect(lambda: self._hand_over(self.issue_requested))
        self.leave.clicked.connect(lambda: self._hand_over(self.leave_requested))
        self.cancel.clicked.connect(self.reject)
        row = QHBoxLayout()
        for button in (self.sign_in_button, self.issue, self.leave):
            row.addWidget(button)
        row.addStretch(1)
        row.addWidget(self.cancel)
        layout.addLayout(row)
        self.resize(620, 300)
        self._show_state()
        bridge.language_changed.connect(self.retranslate)

    def sign_in(self) -> None:
        post, code = self.fields.chosen(), self.fields.take_code()
        self.sign_in_button.setEnabled(False)
        run_op(lambda: self.app.staff.sign_in(self.meeting_id, post, code), self._signed_in, self._refused,
               on_error=lambda: self.sign_in_button.setEnabled(True))

    def _signed_in(self, session: StaffSession) -> None:
        self.session = session
        self.message.clear()
        self._show_state()

    def _refused(self, exc: RuleViolation) -> None:
        self.sign_in_button.setEnabled(True)
        self.message.setText("\n".join(headline(v) for v in exc.violations))

    def _show_state(self) -> None:
        signed = self.session is not None
        self.fields.setVisible(not signed)
        self.sign_in_button.setVisible(not signed)
        self.sign_in_button.setEnabled(True)
        self.who.setVisible(signed)
        self.issue.setVisible(signed)
        self.leave.setVisible(signed)
        self.retranslate()

    def _hand_over(self, signal: Any) -> None:
        """The session goes to what the staff member chose (it signs them out); the door closes."""
        session, self.session = self.session, None
        self.accept()
        if session is not None:
            signal.emit(session)

    def done(self, result: int) -> None:
        if self.session is not None:          # closed without choosing: signed out
            self.app.staff.sign_out(self.session.token)
            self.session = None
        super().done(result)

    def retranslate(self, _language: str = "") -> None:
        self.setWindowTitle(tr("Staff sign-in"))
        self.intro.setText(tr("Staff of the plan only: sign in with your own staff code to issue a one-time code "
                              "for an expert, or to leave kiosk mode."))
        s = self.session
        self.who.setText(tr("Signed in: {who}", who=post_text(s.post.value, s.name)) if s else "")
        self.sign_in_button.setText(tr("Sign in"))
        self.issue.setText(tr("Issue a one-time code"))
        self.leave.setText(tr("Leave kiosk mode"))
        self.cancel.setText(tr("Cancel"))
