"""The kiosk expert terminal (评委终端): a window on the host where experts take turns.

The kiosk *is* the expert terminal of :mod:`ui.terminal_app` — the same window, the same screens,
one code — with the engine in this process (:class:`ui.expert_backend.LocalBackend`) as its other
end, and kiosk mode around it. Why one widget and not two: the kiosk's ballot was once three
buttons a candidate, unusable for a provincial meeting's 1,500 rows, and it had no question
review, while the networked terminal had both; two copies of one flow drift apart. So an expert at
the kiosk gets exactly what an expert at a LAN terminal gets: their name and the one-time code the
secretary issued (:mod:`ui.terminal_codes`), then only their own tasks — the commitment letter at
step 1, their candidates to score and question at step 3, other experts' questions to review, and
the large ballot (groups by level and recommendation, search, bulk marks of the unmarked) with a
confirmation listing every choice. *Lock* — or two minutes without a touch — ends the session and
clears every widget, so the next expert never sees what the previous one entered; a cast ballot
is never shown again, and the page that says so locks itself after a few seconds. Every act goes
through the expert desk (:class:`app.services.desk.ExpertDesk`) with the session's token: the
engine takes the expert from the session and checks the candidate is theirs and not one they must
recuse from. Refusals appear in the kiosk's own message area (the main window may be on another
screen).

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
    QVBoxLayout,
    QWidget,
)

from app.errors import RuleViolation
from app.services import Conclave
from app.services.staff import StaffSession
from ui.expert_backend import LocalBackend
from ui.i18n import bridge, headline, tr
from ui.ops import run_op
from ui.staff_sign_in import StaffFields, post_text
from ui.terminal_app import IDLE_MS, TerminalWindow
from ui.terminal_codes import IssueCodeDialog

WATCH_MS = 1_000          # in kiosk mode: how often the kiosk checks it still has the screen and the focus
#: Input that a window other than the kiosk (and its own dialogs) never receives in kiosk mode.
_BLOCKED = {QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonRelease, QEvent.Type.MouseButtonDblClick,
            QEvent.Type.KeyPress, QEvent.Type.KeyRelease, QEvent.Type.Shortcut, QEvent.Type.ShortcutOverride,
            QEvent.Type.Wheel, QEvent.Type.TouchBegin, QEvent.Type.TouchUpdate, QEvent.Type.TouchEnd,
            QEvent.Type.ContextMenu, QEvent.Type.TabletPress, QEvent.Type.DragEnter, QEvent.Type.Drop}
DONE_MS = 8_000


class KioskWindow(TerminalWindow):
    """Experts in turn at the host laptop: the expert terminal over the engine in process, plus the
    *Staff* door and kiosk mode. ``lock_screen`` is the name-and-code screen experts unlock at."""

    def __init__(self, app: Conclave, meeting_id: int, idle_ms: int = IDLE_MS) -> None:
        super().__init__(LocalBackend(app, meeting_id), idle_ms=idle_ms)
        self.app, self.meeting_id = app, meeting_id
        self.meeting_title = app.views.meeting(meeting_id).title
        self.lock_screen = self.sign_in.by_name
        self.done.local = True                   # no host to receive it: the ballot is in the box here
        self.staff = QPushButton()
        self.staff.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.staff.setStyleSheet("font-size: 11pt; padding: 4px 10px;")
        self.staff.clicked.connect(self.open_staff_door)
        self.top.addWidget(self.staff)
        self.locked_down = False                 # in kiosk mode (see enter)
        self.guarded: list[QWidget] = []         # the windows kiosk mode hid and disabled
        self.guard: KioskGuard | None = None
        self.staff_door: StaffDoor | None = None
        self.code_dialog: IssueCodeDialog | None = None
        self.watch = QTimer(self)
        self.watch.setInterval(WATCH_MS)
        self.watch.timeout.connect(self.reclaim)
        self.done_timer = QTimer(self)
        self.done_timer.setSingleShot(True)
        self.done_timer.setInterval(DONE_MS)
        self.done_timer.timeout.connect(lambda: self.lock())
        self.resize(1366, 768)
        self.retranslate()

    def lock(self, note: str = "") -> None:
        """End the session and wipe every page (:meth:`TerminalWindow.lock`); the cast page's timer stops."""
        timer = getattr(self, "done_timer", None)       # (the terminal locks once before this class is set up)
        if timer is not None:
            timer.stop()
        super().lock(note)

    def _cast_done(self, token: str, received: bool) -> None:
        """The ballot is in the box: the page that says so (and nothing of it) locks itself after a while."""
        super()._cast_done(token, received)
        if self.stack.currentWidget() is self.done:
            self.done_timer.start()

    def retranslate(self, _language: str = "") -> None:
        super().retranslate(_language)
        staff = getattr(self, "staff", None)
        if staff is None:
            return
        if self.tasks is None:                          # the meeting's name even while locked
            self.title.setText(self.meeting_title)
        staff.setText(tr("Staff only"))
        staff.setToolTip(tr("For the staff of the plan: issue a code, or leave kiosk mode "
                            "(needs your own staff code)"))

    def closeEvent(self, event: QCloseEvent) -> None:
        """Closing the kiosk locks it: no session survives the window. In kiosk mode it cannot be
        closed at all (Alt+F4, the window manager): only a staff member leaves it (:meth:`leave`)."""
        if self.locked_down:
            event.ignore()
            QTimer.singleShot(0, self.reclaim)
            return
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
               on_error=lambda: self.sign_in_button.setEnabled(True), said_here=True)

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
