"""The kiosk expert terminal: unlock with a one-time code, own tasks only, the large ballot and question
review of the LAN terminal (the same window, over the engine in process), a secret ballot that leaves no trace."""

from __future__ import annotations

import ast
import dataclasses
import json
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTextBrowser,
    QWidget,
)
from sqlalchemy import select

import app.services.terminals as terminals_module
from app.demo import build_demo
from app.domain import Step
from app.errors import RuleViolation
from app.services import Conclave
from app.services.terminals import TerminalService
from app.storage.schema import audit_event
from tests.sessions import CHEAP, ROUND_PASSPHRASE, STAFF_CODES, Staff, secretary
from tests.spy import Spy, distinct_ballots, use_control
from ui.catalog import ZH
from ui.i18n import bridge
from ui.kiosk import KioskWindow
from ui.main_window import MainWindow
from ui.ops import messages
from ui.terminal_codes import IssueCodeDialog
from ui.terminal_widgets import CHOICE_COLUMN, CHOICES, LargeBallot, LargeConfirmation

from .conftest import OpenMeeting, wait_ops

SECRETARY = "人事科 李文静"


def open_kiosk(qtbot, app: Conclave, mid: int, **kw: object) -> tuple[KioskWindow, TerminalService]:
    """The kiosk, and the terminal service whose sessions the voting service casts from."""
    kiosk = KioskWindow(app, mid, **kw)
    qtbot.addWidget(kiosk)
    kiosk.show()
    return kiosk, app.terminals


def unlock(qtbot, kiosk: KioskWindow, member: str, code: str) -> None:
    """As an expert would: tap the name, tap the digits on the pad, tap Unlock."""
    kiosk.lock_screen.choose(member)
    for digit in code:
        qtbot.mouseClick(kiosk.lock_screen.code.keys[digit], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(kiosk.lock_screen.unlock, Qt.MouseButton.LeftButton)
    wait_ops(qtbot)


def click_choice(qtbot, form: LargeBallot, code: str, choice: str) -> None:
    """As an expert would: the Yes / No / Abstain cell beside the candidate, in the list of every candidate."""
    form.show_group(None)
    row = next(r for r in range(form.model.rowCount()) if form.model.item(r).code == code)
    index = form.model.index(row, CHOICE_COLUMN + CHOICES.index(choice))
    form.view.scrollTo(index)
    qtbot.mouseClick(form.view.viewport(), Qt.MouseButton.LeftButton, pos=form.view.visualRect(index).center())


def sign_in_staff(qtbot, dialog: IssueCodeDialog, post: str, code: str | None = None) -> None:
    """As the staff member would: choose their post, type their own code, press Sign in."""
    dialog.staff_fields.choose(post)
    qtbot.keyClicks(dialog.staff_fields.code, code if code is not None else STAFF_CODES[post])
    qtbot.mouseClick(dialog.sign_in_button, Qt.MouseButton.LeftButton)
    wait_ops(qtbot)


def experts(app: Conclave, mid: int) -> list[str]:
    return [m.code for m in app.views.members(mid) if m.role == "expert"]


def texts_on_screen(root: QWidget) -> list[str]:
    """Every text any widget of ``root`` holds, shown or not."""
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    out = [root.windowTitle()]
    for w in root.findChildren(QWidget):
        out.append(w.toolTip())
        if isinstance(w, QLabel | QAbstractButton | QLineEdit):
            out.append(w.text())
        if isinstance(w, QLineEdit):
            out.append(w.placeholderText())
        if isinstance(w, QPlainTextEdit | QTextBrowser):
            out.append(w.toPlainText())
    return out


# -- lock screen ----------------------------------------------------------------------
def test_number_pad_and_keyboard_fill_the_code_and_unlock_waits_for_name_and_six_digits(
        qtbot, meeting_at: OpenMeeting) -> None:
    app, mid = meeting_at(Step.PLENARY)
    kiosk, _ = open_kiosk(qtbot, app, mid)
    screen = kiosk.lock_screen
    for key in "12345":
        qtbot.mouseClick(screen.code.keys[key], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(screen.code.keys["back"], Qt.MouseButton.LeftButton)
    assert screen.code.code() == "1234" and not screen.unlock.isEnabled()
    qtbot.mouseClick(screen.code.keys["clear"], Qt.MouseButton.LeftButton)
    qtbot.keyClicks(screen.code.field, "98x7654321")          # the keyboard works too; only digits, six
    assert screen.code.code() == "987654"
    assert screen.code.field.echoMode() == QLineEdit.EchoMode.Password
    assert not screen.unlock.isEnabled()                       # no name chosen yet
    screen.choose(experts(app, mid)[0])
    assert screen.unlock.isEnabled()


def test_a_wrong_code_is_refused_in_the_kiosks_own_message_area(qtbot, meeting_at: OpenMeeting) -> None:
    app, mid = meeting_at(Step.PLENARY)
    kiosk, terminals = open_kiosk(qtbot, app, mid)
    a = experts(app, mid)[0]
    code = terminals.issue_code(secretary(app, mid), mid, a)
    posted = len(messages.history)
    unlock(qtbot, kiosk, a, f"{(int(code) + 1) % 10**6:06d}")
    assert kiosk.token is None and kiosk.stack.currentWidget() is kiosk.sign_in
    assert kiosk.message.isVisible() and "验证码不正确" in kiosk.message.text()
    assert len(messages.history) == posted       # the kiosk's own: not left on the secretary's window's bar
    assert "还可尝试4次" in kiosk.message.text()
    assert kiosk.lock_screen.code.code() == ""
    unlock(qtbot, kiosk, experts(app, mid)[1], code)         # A's code does not open B's terminal
    assert kiosk.token is None and "尚未" in kiosk.message.text()
    unlock(qtbot, kiosk, a, code)
    assert kiosk.token is not None and app.terminals.session(kiosk.token).member_code == a
    assert not kiosk.message.isVisible()


# -- the ballot -------------------------------------------------------------------------
def test_secret_ballot_at_the_kiosk(qtbot, meeting_at: OpenMeeting) -> None:
    app, mid = meeting_at(Step.PLENARY)
    voters = experts(app, mid)
    rid = app.voting.open_first_round("M01", mid, voters, passphrase=ROUND_PASSPHRASE)
    kiosk, terminals = open_kiosk(qtbot, app, mid)
    a, b = voters[0], voters[1]
    cands = app.views.candidates(mid)

    unlock(qtbot, kiosk, a, terminals.issue_code(secretary(app, mid), mid, a))
    assert kiosk.home.buttons["ballot"].isVisible()           # the ballot is A's task
    assert not any(kiosk.home.buttons[k].isVisible() for k in ("commitment", "review", "questions"))
    qtbot.mouseClick(kiosk.home.buttons["ballot"], Qt.MouseButton.LeftButton)
    form = kiosk.ballot
    assert isinstance(form, LargeBallot) and form.choices() == {}     # the large ballot, nothing chosen at first
    assert form.model.counts(None) == (len(cands), len(cands))        # every candidate unmarked
    chosen = {cands[0].code: "yes", cands[1].code: "no", cands[2].code: "abstain"}
    for code, choice in chosen.items():
        click_choice(qtbot, form, code, choice)
    assert form.choices() == chosen and "已标记3人" in form.marked.text()
    snapshot = kiosk.tasks.ballot
    qtbot.mouseClick(form.next, Qt.MouseButton.LeftButton)
    confirm = kiosk.confirmation
    assert isinstance(confirm, LargeConfirmation) and "不能更改" in confirm.warning.text()
    assert "赞成 1 · 反对 1 · 弃权 28" in confirm.counts.text()
    listed = dict(confirm.listed())                            # every candidate, with the mark as read
    assert len(listed) == len(cands) and listed[cands[0].code] == "赞成" and listed[cands[3].code] == "弃权（未标记）"
    qtbot.mouseClick(confirm.change, Qt.MouseButton.LeftButton)   # back to change, choices kept
    assert kiosk.confirmation is None and kiosk.ballot.choices() == chosen
    qtbot.mouseClick(kiosk.ballot.next, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(kiosk.confirmation.cast, Qt.MouseButton.LeftButton)
    wait_ops(qtbot)

    rnd = app.views.rounds(mid)[0]
    assert rnd.id == rid and rnd.voted == (a,) and rnd.ballots == 1
    assert kiosk.stack.currentWidget() is kiosk.done and "已投出" in kiosk.done.title.text()
    assert kiosk.token is None and kiosk.done_timer.isActive()   # the terminal locked itself
    # nothing of A's ballot remains in any widget
    assert not kiosk.findChildren(LargeBallot) and not kiosk.findChildren(LargeConfirmation)
    shown = "\n".join(texts_on_screen(kiosk))
    for c in cands:
        assert c.name not in shown and c.code not in shown
    assert all(v.model().rowCount() == 0 for v in kiosk.findChildren(QAbstractItemView) if v.model() is not None)
    qtbot.mouseClick(kiosk.done.finish, Qt.MouseButton.LeftButton)
    assert kiosk.stack.currentWidget() is kiosk.sign_in and kiosk.lock_screen.selected() is None

    # B finds a blank ballot
    unlock(qtbot, kiosk, b, terminals.issue_code(secretary(app, mid), mid, b))
    qtbot.mouseClick(kiosk.home.buttons["ballot"], Qt.MouseButton.LeftButton)
    assert kiosk.ballot is not form and kiosk.ballot.choices() == {}
    assert kiosk.ballot.model.counts(None) == (len(cands), len(cands))
    qtbot.mouseClick(kiosk.lock_button, Qt.MouseButton.LeftButton)
    assert kiosk.token is None and not kiosk.findChildren(LargeBallot)

    # A cannot vote again: no ballot offered, and the service refuses a forced one
    unlock(qtbot, kiosk, a, terminals.issue_code(secretary(app, mid), mid, a))
    assert not kiosk.home.buttons["ballot"].isVisibleTo(kiosk.home) and "已在第1轮投票" in kiosk.home.notes.text()
    kiosk.tasks = dataclasses.replace(kiosk.tasks, ballot=snapshot)
    kiosk.open_ballot()
    kiosk.check_ballot()
    kiosk.cast()
    wait_ops(qtbot)
    assert "已投过票" in kiosk.message.text() and kiosk.ballot is None
    assert app.views.rounds(mid)[0].ballots == 1
    kiosk.lock()

    # what went into the box is exactly what A confirmed (unmarked = abstain)
    staff = Staff(app, mid)
    for voter in voters[1:]:
        app.voting.mark_paper_vote(staff.secretary, rid, voter)
    app.voting.enter_paper_batch(staff.secretary, rid, "B1", [{} for _ in voters[1:]])
    app.voting.enter_paper_batch(staff.supervisor, rid, "B1", [{} for _ in voters[1:]],
                                 passphrase=ROUND_PASSPHRASE)
    counts = app.voting.close_round("M01", mid, rid, passphrase=ROUND_PASSPHRASE).counts[1]
    assert (counts[cands[0].code].yes, counts[cands[1].code].no) == (1, 1)
    assert sum(t.yes + t.no for t in counts.values()) == 2


def test_casting_is_refused_when_the_session_was_locked_meanwhile(qtbot, meeting_at: OpenMeeting) -> None:
    app, mid = meeting_at(Step.PLENARY)
    voters = experts(app, mid)
    app.voting.open_first_round("M01", mid, voters, passphrase=ROUND_PASSPHRASE)
    kiosk, terminals = open_kiosk(qtbot, app, mid)
    unlock(qtbot, kiosk, voters[0], terminals.issue_code(secretary(app, mid), mid, voters[0]))
    kiosk.open_ballot()
    kiosk.check_ballot()
    terminals.lock(kiosk.token)                               # e.g. the session ended elsewhere
    kiosk.cast()
    wait_ops(qtbot)
    assert app.views.rounds(mid)[0].ballots == 0 and "终端已锁定" in kiosk.message.text()


def test_idle_terminal_locks_itself(qtbot, meeting_at: OpenMeeting) -> None:
    app, mid = meeting_at(Step.PLENARY)
    kiosk, terminals = open_kiosk(qtbot, app, mid, idle_ms=200)
    a = experts(app, mid)[0]
    unlock(qtbot, kiosk, a, terminals.issue_code(secretary(app, mid), mid, a))
    token = kiosk.token
    assert kiosk.idle.isActive()
    qtbot.waitUntil(lambda: kiosk.token is None, timeout=3000)
    assert kiosk.stack.currentWidget() is kiosk.sign_in and "无操作" in kiosk.message.text()
    with pytest.raises(Exception, match="terminal"):
        terminals.session(token)


# -- step 1: the commitment ----------------------------------------------------------------
class _Stop(Exception):
    pass


@pytest.fixture
def before_signing(tmp_path: Path):
    """The demo meeting at step 1 with everybody checked in and nobody's commitment signed yet."""
    app = Conclave(tmp_path / "step1.sqlite3")

    def stop(*_a: object, **_k: object) -> None:
        raise _Stop

    app.review.sign_commitment = lambda *_a, **_k: None
    app.procedure.complete = stop
    with pytest.raises(_Stop):
        build_demo(app, out=lambda _s: None, until=Step.PREPARATORY)
    del app.review.sign_commitment, app.procedure.complete
    yield app, 1
    app.close()


def test_an_expert_signs_the_commitment_at_the_kiosk(qtbot, before_signing) -> None:
    app, mid = before_signing
    kiosk, terminals = open_kiosk(qtbot, app, mid)
    a = experts(app, mid)[0]
    unlock(qtbot, kiosk, a, terminals.issue_code(secretary(app, mid), mid, a))
    assert kiosk.home.buttons["commitment"].isVisible() and not kiosk.home.buttons["ballot"].isVisible()
    qtbot.mouseClick(kiosk.home.buttons["commitment"], Qt.MouseButton.LeftButton)
    assert kiosk.stack.currentWidget() is kiosk.pages["commitment"]
    letter = kiosk.commitment.text.toPlainText()
    assert kiosk.commitment.title.text() == "评委承诺书"
    assert all(word in letter for word in ("保密", "回避", "廉洁", "公正"))
    # signed once read to its end: the letter is longer than the kiosk's screen
    bar = kiosk.commitment.text.verticalScrollBar()
    assert bar.maximum() > 0 and not kiosk.commitment.sign.isEnabled()
    assert kiosk.commitment.status.text() == "请阅读承诺书至末尾后签署。"
    bar.setValue(bar.maximum())
    assert kiosk.commitment.sign.isEnabled() and kiosk.commitment.status.text() == ""
    qtbot.mouseClick(kiosk.commitment.sign, Qt.MouseButton.LeftButton)
    wait_ops(qtbot)
    assert next(m for m in app.views.members(mid) if m.code == a).commitment_signed
    assert "已签署" in kiosk.message.text() and "已签署" in kiosk.home.buttons["commitment"].text()
    kiosk.sign()                                             # a second signature is refused, shown here
    wait_ops(qtbot)
    assert "已签署评委承诺书" in kiosk.message.text() and "commitment" not in kiosk.message.text()   # in Chinese
    kiosk.lock()
    assert kiosk.commitment.text.toPlainText() == "" and not kiosk.commitment.sign.isEnabled()


# -- step 3: scores and questions -------------------------------------------------------------
def test_scores_and_questions_for_the_experts_own_candidates(qtbot, qtmodeltester, meeting_at: OpenMeeting) -> None:
    app, mid = meeting_at(Step.ELIGIBILITY)
    members = [m for m in app.views.members(mid) if m.role == "expert"]
    me = members[0]
    mine = [c for c in app.views.candidates(mid) if c.eligible and c.group == me.group][:2]
    for c in mine:
        app.review.assign_reviewer(SECRETARY, mid, c.code, me.code)
    kiosk, terminals = open_kiosk(qtbot, app, mid)
    unlock(qtbot, kiosk, me.code, terminals.issue_code(secretary(app, mid), mid, me.code))
    qtbot.mouseClick(kiosk.home.buttons["review"], Qt.MouseButton.LeftButton)
    panel = kiosk.review
    qtmodeltester.check(panel.model)
    assert [r.code for r in panel.model.rows] == [c.code for c in mine]       # only their own
    panel.view.selectRow(0)
    spins = panel.score.spins
    assert [s.maximum() for s in spins.values()] == [20, 40, 25, 15]
    assert all(s.value() == -1 for s in spins.values()) and not panel.score.save.isEnabled()
    for spin, value in zip(spins.values(), (18, 36, 20, 12), strict=True):
        spin.setValue(value)
    spins["学历资历"].setValue(99)                              # bounded by the item's maximum
    assert spins["学历资历"].value() == 20 and "88" in panel.score.total.text()
    qtbot.mouseClick(panel.score.save, Qt.MouseButton.LeftButton)
    wait_ops(qtbot)
    assert "已保存" in kiosk.message.text()
    tasks = terminals.tasks(kiosk.token)
    assert tasks.review[0].points == {"学历资历": 20, "工作业绩": 36, "科研成果": 20, "继续教育": 12}
    assert panel.score.code == mine[0].code and panel.score.spins["工作业绩"].value() == 36

    panel.question.text.setPlainText("请谈谈该技术的适应证。")
    panel.question.answer.setPlainText("要点：适应证与风险防范。")
    qtbot.mouseClick(panel.question.add, Qt.MouseButton.LeftButton)
    wait_ops(qtbot)
    assert terminals.tasks(kiosk.token).review[0].questions == 1
    assert panel.question.text.toPlainText() == "" and "1" in panel.question.count.text()

    # a conflict declared after the assignment: the service refuses, the kiosk shows why
    app.setup.declare_conflict(me.code, mid, me.code, mine[1].code, "近亲属")
    panel.select(mine[1].code)
    for spin in panel.score.spins.values():
        spin.setValue(1)
    qtbot.mouseClick(panel.score.save, Qt.MouseButton.LeftButton)
    wait_ops(qtbot)
    assert "须回避" in kiosk.message.text()
    with app.store.read() as conn:                              # through the expert desk, by session: audited
        refusals = conn.execute(select(audit_event.c.actor).where(audit_event.c.action == "desk.refused")).scalars()
        assert list(refusals) == [me.code]

    kiosk.lock()                                                # the next expert sees none of it
    assert panel.model.rows == [] and panel.score.spins == {} and panel.question.text.toPlainText() == ""


def test_an_expert_reviews_another_experts_question_at_the_kiosk(qtbot, meeting_at: OpenMeeting) -> None:
    app, mid = meeting_at(Step.PRIMARY_REVIEW)
    kiosk, terminals = open_kiosk(qtbot, app, mid)
    reviewer = None
    for m in experts(app, mid):
        session = terminals.unlock(mid, m, terminals.issue_code(secretary(app, mid), mid, m))
        waiting = terminals.tasks(session.token).questions_to_review
        terminals.lock(session.token)
        if any(not q.reviewed for q in waiting):
            reviewer = m
            break
    assert reviewer is not None, "the demo at step 4 has questions to review"
    unlock(qtbot, kiosk, reviewer, terminals.issue_code(secretary(app, mid), mid, reviewer))
    assert kiosk.home.buttons["questions"].isVisible() and "待审" in kiosk.home.buttons["questions"].text()
    qtbot.mouseClick(kiosk.home.buttons["questions"], Qt.MouseButton.LeftButton)
    assert kiosk.stack.currentWidget() is kiosk.pages["questions"]
    panel = kiosk.questions
    row = next(i for i, q in enumerate(panel.model.rows) if not q.reviewed)
    question = panel.model.rows[row]
    panel.view.selectRow(row)
    assert panel.question.toPlainText() == question.text and panel.answer.toPlainText() == question.answer
    qtbot.mouseClick(panel.reviewed, Qt.MouseButton.LeftButton)
    wait_ops(qtbot)
    assert "审核" in kiosk.message.text() and kiosk.stack.currentWidget() is kiosk.pages["questions"]
    assert next(q for q in terminals.tasks(kiosk.token).questions_to_review if q.id == question.id).reviewed
    assert panel.current is not None and panel.current.id == question.id and not panel.reviewed.isEnabled()
    with app.store.read() as conn:                              # through the expert desk, by session: audited
        reviews = conn.execute(select(audit_event.c.actor).where(audit_event.c.action == "question.review"))
        assert list(reviews.scalars()) == [reviewer]
    kiosk.lock()                                                # the next expert sees none of it
    assert panel.model.rows == [] and panel.question.toPlainText() == "" and panel.current is None


# -- the host's code dialog ---------------------------------------------------------------------
def test_issue_code_dialog_shows_the_code_once(qtbot, qtmodeltester, meeting_at: OpenMeeting) -> None:
    app, mid = meeting_at(Step.PLENARY)
    dialog = IssueCodeDialog(app, mid)
    qtbot.addWidget(dialog)
    dialog.show()
    sign_in_staff(qtbot, dialog, "secretary")
    qtmodeltester.check(dialog.model)
    assert not dialog.issue.isEnabled()
    dialog.view.selectRow(0)
    member = dialog.selected()
    assert member is not None and dialog.issue.isEnabled()
    qtbot.mouseClick(dialog.issue, Qt.MouseButton.LeftButton)
    wait_ops(qtbot)
    code = dialog.code_label.text().replace(" ", "")
    assert len(code) == 6 and code.isdigit() and member.name in dialog.for_label.text()
    assert app.terminals.unlock(mid, member.code, code).member_code == member.code
    qtbot.mouseClick(dialog.hide_button, Qt.MouseButton.LeftButton)
    assert code not in "\n".join(texts_on_screen(dialog)).replace(" ", "")


def test_language_switches_at_the_kiosk(qtbot, meeting_at: OpenMeeting) -> None:
    app, mid = meeting_at(Step.PLENARY)
    app.voting.open_first_round("M01", mid, experts(app, mid), passphrase=ROUND_PASSPHRASE)
    kiosk, terminals = open_kiosk(qtbot, app, mid)
    a = experts(app, mid)[0]
    unlock(qtbot, kiosk, a, terminals.issue_code(secretary(app, mid), mid, a))
    kiosk.open_ballot()
    assert "表决票" in kiosk.ballot.title.text()
    bridge.set_language("en")
    assert "Ballot, round 1" in kiosk.ballot.title.text() and kiosk.lock_button.text() == "Lock"
    assert kiosk.ballot.bulk["yes"].text() == "Yes" and kiosk.staff.text() == "Staff only"
    assert kiosk.ballot.model.headerData(CHOICE_COLUMN, Qt.Orientation.Horizontal) == "Yes"


def test_every_kiosk_string_has_its_chinese() -> None:
    root = Path(__file__).resolve().parents[2] / "ui"
    missing = []
    for name in ("kiosk.py", "terminal_app.py", "terminal_widgets.py", "terminal_codes.py"):
        for node in ast.walk(ast.parse((root / name).read_text("utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("tr", "Column")
                    and node.args and isinstance(node.args[0], ast.Constant) and node.args[0].value not in ZH):
                missing.append((name, node.args[0].value))
    assert not missing


@pytest.mark.parametrize("design", ["sealed", "control"])
def test_ballots_cast_at_the_real_kiosk_link_no_voter_to_a_choice(qtbot, meeting_at: OpenMeeting, design: str,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """Four experts vote at the kiosk, as they would; after each cast the file reader of
    tests/spy.py copies the database, its WAL and its -shm: no link. The control design (the
    ballot written in the clear) under the same reader: every cast links its voter."""
    monkeypatch.setitem(terminals_module._SCRYPT, "n", CHEAP)     # the codes are not what is tested here
    app, mid = meeting_at(Step.PLENARY)
    if design == "control":
        use_control(app)
    voters = experts(app, mid)
    cands = [c.code for c in app.views.candidates(mid)]
    ballots = distinct_ballots(voters, cands)
    rid = app.voting.open_first_round("M01", mid, voters, passphrase=ROUND_PASSPHRASE)
    kiosk, terminals = open_kiosk(qtbot, app, mid)
    spy = Spy.on(app.store.path, ballots, cands)
    spy.take()
    for voter in voters[3:7]:
        unlock(qtbot, kiosk, voter, terminals.issue_code(secretary(app, mid), mid, voter))
        qtbot.mouseClick(kiosk.home.buttons["ballot"], Qt.MouseButton.LeftButton)
        for code, choice in ballots[voter].items():
            click_choice(qtbot, kiosk.ballot, code, choice)
        assert kiosk.ballot.choices() == ballots[voter]
        qtbot.mouseClick(kiosk.ballot.next, Qt.MouseButton.LeftButton)
        qtbot.mouseClick(kiosk.confirmation.cast, Qt.MouseButton.LeftButton)
        wait_ops(qtbot)
        assert app.views.rounds(mid)[0].voted.count(voter) == 1
        spy.cast(voter)
        qtbot.mouseClick(kiosk.done.finish, Qt.MouseButton.LeftButton)
    assert app.views.rounds(mid)[0].id == rid
    assert spy.links() == (0 if design == "sealed" else 4 + 4)      # control: each cast, and their order


# -- kiosk mode: the whole screen, left only by a staff member ------------------------------------
def _issued(app: Conclave) -> list[tuple[str, dict]]:
    """The ``terminal.issue`` audit events: (actor, data)."""
    with app.store.read() as conn:
        return [(e.actor, json.loads(e.data)) for e in conn.execute(
            select(audit_event).where(audit_event.c.action == "terminal.issue").order_by(audit_event.c.seq))]


def open_kiosk_mode(qtbot, app: Conclave, mid: int) -> tuple[MainWindow, KioskWindow]:
    """The main window, shown, and the kiosk opened from it as the toolbar does (kiosk mode)."""
    window = MainWindow(app, mid)
    qtbot.addWidget(window)
    window.show()
    kiosk = window.open_terminal()
    assert isinstance(kiosk, KioskWindow)
    # (the test's own teardown may close it; in the program only a staff member can)
    qtbot.addWidget(kiosk, before_close_func=lambda k: (k._unguard(), window.close()))
    qtbot.waitUntil(kiosk.isVisible, timeout=3000)
    return window, kiosk


def test_in_kiosk_mode_the_main_window_cannot_be_raised_or_used(qtbot, meeting_at: OpenMeeting) -> None:
    app, mid = meeting_at(Step.PLENARY)
    window, kiosk = open_kiosk_mode(qtbot, app, mid)
    flags = kiosk.windowFlags()
    assert kiosk.isFullScreen() and flags & Qt.WindowType.FramelessWindowHint
    assert flags & Qt.WindowType.WindowStaysOnTopHint
    assert kiosk.windowModality() == Qt.WindowModality.ApplicationModal
    assert window.isHidden() and not window.isEnabled()

    window.show()                                    # raised by anything at all: hidden again at once
    window.raise_()
    window.activateWindow()
    qtbot.waitUntil(window.isHidden, timeout=3000)
    qtbot.waitUntil(lambda: QApplication.activeWindow() is kiosk, timeout=3000)

    # even forced back into use, it takes no input: no click, no key, no shortcut reaches it
    window.setEnabled(True)
    window.show()
    issue = window.toolbar.widgetForAction(window.tool_actions["Issue terminal code"])
    before = kiosk.guard.refused
    qtbot.mouseClick(issue, Qt.MouseButton.LeftButton)
    QTest.keyClick(window, Qt.Key.Key_O, Qt.KeyboardModifier.ControlModifier)      # File › Open meeting…
    QTest.keyClick(window.wizard, Qt.Key.Key_Tab)
    assert kiosk.guard.refused >= before + 3
    assert not [w for w in QApplication.topLevelWidgets() if isinstance(w, IssueCodeDialog)]
    assert window.files.dialog is None and window.files.start is None
    focus = QApplication.focusWidget()
    assert focus is None or kiosk.owns(focus)
    qtbot.waitUntil(window.isHidden, timeout=3000)
    assert _issued(app) == []

    # the kiosk itself cannot be closed or minimised away
    assert not kiosk.close() and kiosk.isVisible()
    kiosk.showMinimized()
    qtbot.waitUntil(lambda: kiosk.isFullScreen() and not kiosk.isMinimized(), timeout=3000)

    # and the expert at it works as before: unlock, vote
    a = experts(app, mid)[0]
    app.voting.open_first_round("M01", mid, experts(app, mid), passphrase=ROUND_PASSPHRASE)
    unlock(qtbot, kiosk, a, app.terminals.issue_code(secretary(app, mid), mid, a))
    assert kiosk.token is not None and kiosk.home.buttons["ballot"].isVisible()
    assert not kiosk.close() and kiosk.token is not None              # not even an unlocked expert closes it


def test_only_a_staff_members_own_sign_in_leaves_kiosk_mode(qtbot, meeting_at: OpenMeeting) -> None:
    app, mid = meeting_at(Step.PLENARY)
    window, kiosk = open_kiosk_mode(qtbot, app, mid)
    qtbot.mouseClick(kiosk.staff, Qt.MouseButton.LeftButton)
    door = kiosk.staff_door
    assert door is not None and door.isVisible() and kiosk.owns(door)
    assert not door.leave.isVisible() and not door.issue.isVisible()         # nothing before a sign-in
    door.fields.choose("secretary")
    qtbot.keyClicks(door.fields.code, "123456")                              # an expert guessing
    qtbot.mouseClick(door.sign_in_button, Qt.MouseButton.LeftButton)
    wait_ops(qtbot)
    assert "登录码不正确" in door.message.text() and not door.leave.isVisible()
    qtbot.mouseClick(door.cancel, Qt.MouseButton.LeftButton)
    assert kiosk.locked_down and window.isHidden() and not window.isEnabled()

    qtbot.mouseClick(kiosk.staff, Qt.MouseButton.LeftButton)
    door = kiosk.staff_door
    door.fields.choose("supervisor")
    qtbot.keyClicks(door.fields.code, STAFF_CODES["supervisor"])
    qtbot.mouseClick(door.sign_in_button, Qt.MouseButton.LeftButton)
    wait_ops(qtbot)
    assert door.leave.isVisible() and app.views.meeting(mid).supervisor in door.who.text()
    token = door.session.token
    qtbot.mouseClick(door.leave, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.isVisible() and window.isEnabled(), timeout=3000)
    assert not kiosk.locked_down and not kiosk.isVisible()
    with pytest.raises(RuleViolation):
        app.staff.session(token)                      # the staff member is signed out again
    with app.store.read() as conn:                    # and the record says who ended kiosk mode
        left = conn.execute(select(audit_event).where(audit_event.c.action == "kiosk.leave")).all()
    assert [(e.actor, json.loads(e.data)["staff"]) for e in left] == [(app.views.meeting(mid).supervisor, "supervisor")]
    assert window.close()


def test_kiosk_mode_signs_out_a_code_dialog_left_open_on_the_host(qtbot, meeting_at: OpenMeeting) -> None:
    app, mid = meeting_at(Step.PLENARY)
    window = MainWindow(app, mid)
    qtbot.addWidget(window)
    window.show()
    dialog = window.issue_code()
    assert isinstance(dialog, IssueCodeDialog)
    sign_in_staff(qtbot, dialog, "secretary")
    token = dialog.staff_session.token
    kiosk = window.open_terminal()
    qtbot.addWidget(kiosk, before_close_func=lambda k: (k._unguard(), window.close()))
    with pytest.raises(RuleViolation):
        app.staff.session(token)                      # nobody left signed in behind the kiosk
    assert kiosk not in kiosk.guarded and window in kiosk.guarded


def test_a_code_at_the_kiosk_needs_a_staff_sign_in_and_is_shown_to_that_staff_member_only(
        qtbot, meeting_at: OpenMeeting) -> None:
    app, mid = meeting_at(Step.PLENARY)
    # the host's code dialog: nothing to issue from before a staff member signs in
    dialog = IssueCodeDialog(app, mid)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.issuing.isHidden() and dialog.model.rowCount() == 0 and dialog.staff_session is None
    dialog.issue_code()
    sign_in_staff(qtbot, dialog, "secretary", "not-my-code")
    assert dialog.issuing.isHidden() and "登录码不正确" in dialog.gate_message.text()
    dialog.close()
    assert _issued(app) == []

    # at the kiosk: the staff door, then the code dialog over the kiosk
    window, kiosk = open_kiosk_mode(qtbot, app, mid)
    qtbot.mouseClick(kiosk.staff, Qt.MouseButton.LeftButton)
    door = kiosk.staff_door
    door.fields.choose("supervisor")
    qtbot.keyClicks(door.fields.code, STAFF_CODES["supervisor"])
    qtbot.mouseClick(door.sign_in_button, Qt.MouseButton.LeftButton)
    wait_ops(qtbot)
    qtbot.mouseClick(door.issue, Qt.MouseButton.LeftButton)
    codes = kiosk.code_dialog
    assert codes is not None and codes.isVisible() and kiosk.owns(codes) and not codes.issuing.isHidden()
    a = experts(app, mid)[0]
    row = next(i for i, m in enumerate(codes.model.rows) if m.code == a)
    codes.view.selectRow(row)
    qtbot.mouseClick(codes.issue, Qt.MouseButton.LeftButton)
    wait_ops(qtbot)
    code = codes.code_label.text().replace(" ", "")
    assert len(code) == 6 and code.isdigit()
    kiosk_texts = [t for w in kiosk.findChildren(QWidget) if not codes.isAncestorOf(w) and w is not codes
                   for t in ([w.text()] if isinstance(w, QLabel | QAbstractButton | QLineEdit) else [])]
    assert not any(code in t.replace(" ", "") for t in kiosk_texts)        # never on the kiosk's own screen
    m = app.views.meeting(mid)
    assert [(actor, data["staff"], data["member"]) for actor, data in _issued(app)] == [(m.supervisor, "supervisor", a)]
    token = codes.staff_session.token
    qtbot.mouseClick(codes.close_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not codes.isVisible(), timeout=3000)
    with pytest.raises(RuleViolation):
        app.staff.session(token)                      # closing the dialog signed the staff member out
    assert not any(code in t.replace(" ", "") for t in texts_on_screen(kiosk))
    assert kiosk.locked_down and window.isHidden()
    unlock(qtbot, kiosk, a, code)                     # the expert unlocks with what was read out
    assert kiosk.token is not None and app.terminals.session(kiosk.token).member_code == a
