"""The expert terminal's screens and the host's LAN screens for ``conclave screenshots``: the terminal
as an expert meets it (connect, sign in, own tasks, the commitment letter, scoring with the rubric,
a question to review, the ballot, its confirmation, the screen after the cast), a 1,500-candidate
ballot with its bulk actions on a provincial-size meeting built for it, the serving panel with a
pairing code and its QR (a real host on loopback), the live board during a vote, and the staff
sign-in that issuing codes needs. Each factory gets a copy of the demo meeting at its stage
(:func:`ui.screenshots.dialogs`)."""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

FIRST_EXPERT = "P004"           # 何桂兰, G1: she reviews and scores in the demo


def _code(app: Any, mid: int, member: str) -> str:
    """A one-time code for ``member``, issued as the secretary does: signed in with her own code."""
    from app.demo import DEMO_STAFF_CODES

    clerk = app.staff.sign_in(mid, "secretary", DEMO_STAFF_CODES["secretary"]).token
    try:
        return str(app.terminals.issue_code(clerk, mid, member))
    finally:
        app.staff.sign_out(clerk)


def _terminal(app: Any, mid: int, member: str | None = None, task: str | None = None) -> Any:
    """The terminal on the host laptop's engine; ``member`` signed in, ``task`` opened."""
    from ui.expert_backend import LocalBackend
    from ui.screenshots import _settle
    from ui.terminal_app import TerminalWindow

    window = TerminalWindow(LocalBackend(app, mid))
    if member is not None:
        window.unlock(member, _code(app, mid, member))
        _settle()
    if task is not None:
        window._open_task(task)
    return window


def _open_round(app: Any, mid: int) -> list[str]:
    from app.demo import DEMO_ROUND_PASSPHRASE

    voters = [m.code for m in app.views.members(mid) if m.role == "expert"]
    app.voting.open_first_round("M01", mid, voters, passphrase=DEMO_ROUND_PASSPHRASE)
    return voters


def connect(app: Any, mid: int, window: Any) -> Any:
    """A terminal never paired: the host's address, its fingerprint and the pairing code to type."""
    from pathlib import Path

    from ui.terminal_app import TerminalWindow, remote_connect

    return TerminalWindow(None, connect=remote_connect(Path(app.store.path).with_name("terminal-journal")))


def sign_in(app: Any, mid: int, window: Any) -> Any:
    return _terminal(app, mid)


def commitment(app: Any, mid: int, window: Any) -> Any:
    app.setup.check_in("秘书", mid, FIRST_EXPERT)            # checked in at the door, the letter not yet signed
    return _terminal(app, mid, FIRST_EXPERT, "commitment")


def _assigned(app: Any, mid: int) -> None:
    """Step 3 under way: the first expert is the primary reviewer of two candidates of her group."""
    group = next(m.group for m in app.views.members(mid) if m.code == FIRST_EXPERT)
    for c in [c for c in app.views.candidates(mid) if c.eligible and c.group == group][:2]:
        app.review.assign_reviewer("秘书", mid, c.code, FIRST_EXPERT)


def tasks(app: Any, mid: int, window: Any) -> Any:
    _assigned(app, mid)
    return _terminal(app, mid, FIRST_EXPERT)


def scoring(app: Any, mid: int, window: Any) -> Any:
    _assigned(app, mid)
    terminal = _terminal(app, mid, FIRST_EXPERT, "review")
    terminal.review.view.selectRow(0)
    return terminal


def question_review(app: Any, mid: int, window: Any) -> Any:
    for m in (m for m in app.views.members(mid) if m.role == "expert"):
        session = app.terminals.unlock(mid, m.code, _code(app, mid, m.code))
        waiting = app.terminals.tasks(session.token).questions_to_review
        app.terminals.lock(session.token)
        if any(not q.reviewed for q in waiting):
            terminal = _terminal(app, mid, m.code, "questions")
            terminal.questions.view.selectRow(0)
            return terminal
    raise LookupError("the demo at step 3 has a question to review")


def ballot(app: Any, mid: int, window: Any) -> Any:
    voters = _open_round(app, mid)
    terminal = _terminal(app, mid, voters[0], "ballot")
    terminal.ballot.choose(terminal.ballot.ballot.candidates[0].code, "yes")
    return terminal


def confirmation(app: Any, mid: int, window: Any) -> Any:
    voters = _open_round(app, mid)
    terminal = _terminal(app, mid, voters[0], "ballot")
    terminal.ballot.show_group(None)
    terminal.ballot.mark_unmarked("yes")
    terminal.ballot.choose(terminal.ballot.ballot.candidates[1].code, "no")
    terminal.check_ballot()
    return terminal


def cast(app: Any, mid: int, window: Any) -> Any:
    from ui.screenshots import _settle

    terminal = confirmation(app, mid, window)
    terminal.cast()
    _settle()
    return terminal


def provincial_ballot(app: Any, mid: int, window: Any) -> Any:
    """A provincial-size meeting (1,500 candidates, 25 experts) built in the same file, at its ballot: the
    ballot grouped by level and group opinion, a search typed, one group marked 赞成 in one go."""
    from app.bench import BENCH_ROUND_PASSPHRASE, STAFF_CODE, Timer, build_to_ballot

    big = build_to_ballot(app, 1500, 25, random.Random(7), Timer())
    app.voting.open_first_round("bench", big.meeting_id, big.experts, passphrase=BENCH_ROUND_PASSPHRASE)
    app.staff.set_code(big.meeting_id, "secretary", STAFF_CODE)
    clerk = app.staff.sign_in(big.meeting_id, "secretary", STAFF_CODE).token
    code = app.terminals.issue_code(clerk, big.meeting_id, big.experts[0])
    app.staff.sign_out(clerk)
    from ui.expert_backend import LocalBackend
    from ui.screenshots import _settle
    from ui.terminal_app import TerminalWindow

    terminal = TerminalWindow(LocalBackend(app, big.meeting_id))
    terminal.unlock(big.experts[0], code)
    _settle()
    terminal.open_ballot()
    form = terminal.ballot
    assert form is not None, "the bench meeting's round is open: the expert has a ballot"
    form.show_group(form.current_group())
    form.mark_unmarked("yes")
    form.choose(big.codes[3], "no")
    form.search.setText("申报人12")
    return terminal


def serving(app: Any, mid: int, window: Any) -> Any:
    """The serving panel on loopback, a pairing code just given by the signed-in secretary."""
    from app.demo import DEMO_STAFF_CODES
    from app.lan.host import Host
    from ui.screenshots import _settle
    from ui.serving import ServingPanel

    panel = ServingPanel(app, mid, host_factory=lambda a, m, bind, _port: Host(a, m, bind, 0),
                         interfaces=lambda: [("lo", "127.0.0.1")])
    panel.resize(1100, 760)
    panel.toggle_serving()
    if panel.host is not None:            # on a free port of loopback for the picture: the field says which
        panel.port.setValue(int(panel.host.address.rsplit(":", 1)[1]))
    panel.staff = app.staff.sign_in(mid, "secretary", DEMO_STAFF_CODES["secretary"])
    panel.open_pairing()
    _settle()
    return panel


def live_board(app: Any, mid: int, window: Any) -> Any:
    """The projector's board during a vote: who has voted (4 of 13), never how."""
    from ui.live_board import LiveBoard

    voters = _open_round(app, mid)
    rnd = app.views.rounds(mid)[0]
    for member in voters[:4]:
        session = app.terminals.unlock(mid, member, _code(app, mid, member))
        app.voting.cast(session.token, rnd.id, {})
    board = LiveBoard(app, mid)
    board.resize(1280, 720)
    return board


def staff_sign_in(app: Any, mid: int, window: Any) -> Any:
    from ui.staff_sign_in import StaffSignInDialog

    return StaffSignInDialog(app, mid, window)


SCREENSHOT_DIALOGS: list[tuple[str, int, Callable[[Any, int, Any], Any]]] = [
    ("terminal-connect", 6, connect), ("terminal-sign-in", 6, sign_in),
    ("terminal-commitment", 0, commitment), ("terminal-tasks", 2, tasks), ("terminal-scoring", 2, scoring),
    ("terminal-question-review", 3, question_review), ("terminal-ballot", 6, ballot),
    ("terminal-confirmation", 6, confirmation), ("terminal-cast", 6, cast),
    ("terminal-ballot-1500", 6, provincial_ballot),
    ("dialog-serving", 6, serving), ("window-live-board", 6, live_board),
    ("dialog-staff-sign-in", 6, staff_sign_in),
]
