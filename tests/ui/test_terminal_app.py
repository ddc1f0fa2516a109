"""The expert terminal window (``conclave terminal``) against the engine in process (LocalBackend):
sign in, own tasks, scores and questions, question review, the large ballot to the confirmation and
the cast, and a screen that keeps nothing of it afterwards."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from app.domain import Step
from app.lan.host import Host, pairing_qr_text
from app.services import Conclave
from tests.sessions import ROUND_PASSPHRASE, SECRETARY, Staff
from tests.sessions import issue as issue_code
from ui.expert_backend import LocalBackend, RemoteBackend
from ui.i18n import bridge
from ui.terminal_app import TerminalWindow, remote_connect
from ui.terminal_widgets import LargeBallot, LargeConfirmation

from .conftest import OpenMeeting, wait_ops
from .test_kiosk import experts, texts_on_screen


def issue(app: Conclave, mid: int, member: str) -> str:
    """A one-time code for ``member``, issued by the secretary signed in with their own code."""
    return issue_code(app, mid, member)


def open_terminal(qtbot, app: Conclave, mid: int) -> TerminalWindow:
    window = TerminalWindow(LocalBackend(app, mid))
    qtbot.addWidget(window)
    window.show()
    return window


def sign_in(qtbot, window: TerminalWindow, member: str, code: str) -> None:
    """As an expert would: tap the name, the digits on the pad, Unlock; wait for the tasks."""
    screen = window.sign_in.by_name
    screen.choose(member)
    for digit in code:
        qtbot.mouseClick(screen.code.keys[digit], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(screen.unlock, Qt.MouseButton.LeftButton)
    wait_ops(qtbot)


def test_an_expert_signs_in_and_casts_a_ballot_with_a_bulk_action(qtbot, meeting_at: OpenMeeting) -> None:
    app, mid = meeting_at(Step.PLENARY)
    voters = experts(app, mid)
    rid = app.voting.open_first_round("M01", mid, voters, passphrase=ROUND_PASSPHRASE)
    window = open_terminal(qtbot, app, mid)
    a = voters[0]
    assert window.stack.currentWidget() is window.sign_in and window.sign_in.stack.currentWidget() is \
        window.sign_in.by_name                                       # in process, the names are offered
    sign_in(qtbot, window, a, "000000")
    assert window.token is None and "验证码" in window.message.text()   # refused, in Chinese
    sign_in(qtbot, window, a, issue(app, mid, a))
    assert window.token is not None and window.stack.currentWidget() is window.home
    assert window.home.buttons["ballot"].isVisible() and not window.home.buttons["review"].isVisible()
    assert "本机终端" in window.status.text()

    qtbot.mouseClick(window.home.buttons["ballot"], Qt.MouseButton.LeftButton)
    form = window.ballot
    assert isinstance(form, LargeBallot) and form.choices() == {}
    cands = [c.code for c in app.views.candidates(mid) if c.code in {i.code for i in form.ballot.candidates}]
    form.show_group(None)
    qtbot.mouseClick(form.bulk["yes"], Qt.MouseButton.LeftButton)   # every candidate 赞成 …
    form.choose(cands[0], "no")                                     # … but one
    qtbot.mouseClick(form.next, Qt.MouseButton.LeftButton)
    check = window.confirmation
    assert isinstance(check, LargeConfirmation) and len(check.listed()) == len(cands)
    qtbot.mouseClick(check.cast, Qt.MouseButton.LeftButton)
    wait_ops(qtbot)

    rnd = app.views.rounds(mid)[0]
    assert rnd.id == rid and rnd.voted == (a,) and rnd.ballots == 1
    assert window.stack.currentWidget() is window.done and "已投出" in window.done.title.text()
    assert window.token is None
    QApplication.processEvents()
    assert not window.findChildren(LargeBallot) and not window.findChildren(LargeConfirmation)
    shown = "\n".join(texts_on_screen(window))
    for c in app.views.candidates(mid):
        assert c.name not in shown and c.code not in shown
    qtbot.mouseClick(window.done.finish, Qt.MouseButton.LeftButton)
    assert window.stack.currentWidget() is window.sign_in

    # the same expert again: no ballot, and the note says they voted
    sign_in(qtbot, window, a, issue(app, mid, a))
    assert not window.home.buttons["ballot"].isVisibleTo(window.home)
    assert "已在第1轮投票" in window.home.notes.text()
    qtbot.mouseClick(window.lock_button, Qt.MouseButton.LeftButton)
    assert window.token is None and window.home.tasks is None


def test_scores_and_questions_checked_as_typed(qtbot, meeting_at: OpenMeeting) -> None:
    app, mid = meeting_at(Step.ELIGIBILITY)
    me = next(m for m in app.views.members(mid) if m.role == "expert")
    mine = [c for c in app.views.candidates(mid) if c.eligible and c.group == me.group][:1]
    for c in mine:
        app.review.assign_reviewer(SECRETARY, mid, c.code, me.code)
    window = open_terminal(qtbot, app, mid)
    sign_in(qtbot, window, me.code, issue(app, mid, me.code))
    qtbot.mouseClick(window.home.buttons["review"], Qt.MouseButton.LeftButton)
    panel = window.review
    assert [r.code for r in panel.model.rows] == [c.code for c in mine]
    panel.view.selectRow(0)
    spins = list(panel.score.spins.values())
    assert panel.score.total.text() == "合计：—（尚未评分）"            # not "合计：0分" before anything is scored
    spins[0].setValue(12)
    assert panel.score.total.text() == f"目前合计：12分（尚有{len(spins) - 1}项未评分）"
    for spin in spins:
        spin.setValue(spin.maximum() + 50)                           # typed beyond the range: held at its maximum
    assert all(s.value() == s.maximum() for s in spins)
    assert panel.score.total.text() == f"合计：{sum(s.maximum() for s in spins)}分"
    qtbot.mouseClick(panel.score.save, Qt.MouseButton.LeftButton)
    wait_ops(qtbot)
    assert "已保存" in window.message.text()
    assert window.tasks is not None and window.tasks.review[0].points == {
        name: top for name, top in window.tasks.rubric}
    panel.question.text.setPlainText("请谈谈该技术的适应证。")
    panel.question.answer.setPlainText("要点：适应证与风险防范。")
    qtbot.mouseClick(panel.question.add, Qt.MouseButton.LeftButton)
    wait_ops(qtbot)
    assert window.tasks.review[0].questions == 1 and "已为" in window.message.text()
    window.lock()
    assert panel.model.rows == [] and panel.score.spins == {}


def test_a_question_is_reviewed_by_another_expert(qtbot, meeting_at: OpenMeeting) -> None:
    app, mid = meeting_at(Step.PRIMARY_REVIEW)
    window = open_terminal(qtbot, app, mid)
    reviewer = None
    for m in experts(app, mid):
        session = app.terminals.unlock(mid, m, issue(app, mid, m))
        waiting = app.terminals.tasks(session.token).questions_to_review
        app.terminals.lock(session.token)
        if any(not q.reviewed for q in waiting):
            reviewer = m
            break
    assert reviewer is not None, "the demo at step 4 has questions to review"
    sign_in(qtbot, window, reviewer, issue(app, mid, reviewer))
    assert window.home.buttons["questions"].isVisible()
    qtbot.mouseClick(window.home.buttons["questions"], Qt.MouseButton.LeftButton)
    panel = window.questions
    row = next(i for i, q in enumerate(panel.model.rows) if not q.reviewed)
    question = panel.model.rows[row]
    panel.view.selectRow(row)
    assert panel.question.toPlainText() == question.text and panel.answer.toPlainText() == question.answer
    setter = next(q.setter_name for q in app.views.questions(mid) if q.id == question.id)
    assert setter and panel.question_label.text() == f"面试题（命题人：{setter}）"      # whose question it is
    qtbot.mouseClick(panel.reviewed, Qt.MouseButton.LeftButton)
    wait_ops(qtbot)
    assert "审核" in window.message.text()
    assert next(q for q in window.tasks.questions_to_review if q.id == question.id).reviewed
    assert panel.current is not None and panel.current.id == question.id and not panel.reviewed.isEnabled()
    window.lock()


# -- over TLS on loopback, against a real host ------------------------------------------------
def test_a_terminal_pairs_over_tls_votes_and_keeps_its_ballot_while_the_host_is_down(
        qtbot, meeting_at: OpenMeeting, tmp_path) -> None:
    app, mid = meeting_at(Step.PLENARY)
    voters = experts(app, mid)
    rid = app.voting.open_first_round("M01", mid, voters, passphrase=ROUND_PASSPHRASE)
    host = Host(app, mid, "127.0.0.1", 0)
    host.start()
    try:
        offer = app.stations.open_pairing(Staff(app, mid).secretary)
        window = TerminalWindow(None, connect=remote_connect(tmp_path / "journal"), tick_ms=60_000)
        qtbot.addWidget(window)
        window.show()
        page = window.connect_page
        assert window.stack.currentWidget() is page and not page.pair.isEnabled()
        page.address.setText(host.address)
        page.fingerprint.setText("00" * 32)                           # a look-alike host: refused
        page.code.setText(offer.code)
        page.name.setText("第2号终端")
        qtbot.mouseClick(page.pair, Qt.MouseButton.LeftButton)
        wait_ops(qtbot)
        assert window.backend is None and "指纹" in window.message.text()
        page.fingerprint.setText(host.fingerprint)
        qtbot.mouseClick(page.pair, Qt.MouseButton.LeftButton)
        wait_ops(qtbot)
        assert isinstance(window.backend, RemoteBackend) and window.stack.currentWidget() is window.sign_in

        a = voters[0]
        code = issue(app, mid, a)
        if window.sign_in.stack.currentWidget() is window.sign_in.by_number:
            qtbot.keyClicks(window.sign_in.member, a)
            qtbot.keyClicks(window.sign_in.code.field, code)
            qtbot.mouseClick(window.sign_in.unlock, Qt.MouseButton.LeftButton)
            wait_ops(qtbot)
        else:
            sign_in(qtbot, window, a, code)
        assert window.token is not None and window.home.buttons["ballot"].isVisible()
        assert "已连接主机" in window.status.text()
        window.open_ballot()
        assert window.ballot is not None
        window.ballot.show_group(None)
        window.ballot.mark_unmarked("yes")
        window.check_ballot()

        host.stop()                                                    # the link drops before the cast
        assert window.confirmation is not None
        qtbot.mouseClick(window.confirmation.cast, Qt.MouseButton.LeftButton)
        wait_ops(qtbot)
        assert window.stack.currentWidget() is window.done and not window.done.received
        assert "暂存" in window.done.title.text() and window.backend.status().pending == 1
        assert "待发送条目：1" in window.status.text() and app.views.rounds(mid)[0].ballots == 0

        host = Host(app, mid, "127.0.0.1", int(host.address.rsplit(":", 1)[1]))
        host.start()                                                   # the host is back: the ballot goes, once
        window.tick()
        wait_ops(qtbot)
        window.tick()
        wait_ops(qtbot)
        assert window.backend.status().pending == 0 and "待发送条目：0" in window.status.text()
        rnd = app.views.rounds(mid)[0]
        assert rnd.id == rid and rnd.voted == (a,) and rnd.ballots == 1
        window.close()
        wait_ops(qtbot)
        window.backend.client.close()
        # the program ends the link after the window: a language switched now (another window, the next
        # test) must not reach the closed window's closed journal
        bridge.set_language("en")
        bridge.set_language("zh")
    finally:
        host.stop()


def test_a_scanned_pairing_qr_code_fills_the_connect_page(qtbot) -> None:
    window = TerminalWindow(None, connect=lambda *_a: None)  # type: ignore[arg-type,return-value]
    qtbot.addWidget(window)
    page = window.connect_page
    assert window.stack.currentWidget() is page and "尚未连接主机" in window.status.text()
    fingerprint = "ab" * 32
    qtbot.keyClicks(page.address, pairing_qr_text("192.168.1.10:8443", fingerprint, "K7P2QX"))  # a scanner types
    qtbot.waitUntil(lambda: not page.scan_timer.isActive())
    assert page.address.text() == "192.168.1.10:8443" and page.code.text() == "K7P2QX"
    assert page.fingerprint.text().replace(":", "").replace(" ", "").lower() == fingerprint
    assert page.pair.isEnabled()
