"""The whole demo meeting, steps 1–10, driven through the real main window's pages, offscreen.

Starts from the demo meeting only set up (drawn panel, groups, chair; step 1 next) and does
every step the way the secretary would: rows selected in the tables, combos and spin boxes
set, buttons clicked, the wizard's Next ("finish step and continue") clicked. Services are
only read, to assert — except the ballots other experts cast at their own terminals
(``app.voting.cast`` with each terminal's unlocked session; one expert votes at the kiosk
window through its widgets).
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, Qt, QTime
from PySide6.QtWidgets import QDialogButtonBox, QWizard

from app.demo import DEMO_STAFF_CODES, _ballots, load_demo_data
from app.domain import Recommendation, Role, Step
from app.sealing.keys import DEMO_PASSPHRASE
from app.services import Conclave
from tests.demo_templates import without_key
from tests.sessions import Terminals
from ui import ops
from ui.dialogs import ReopenDialog
from ui.main_window import MainWindow
from ui.paper_entry import PaperEntryDialog

from .conftest import OpenMeeting, round_passphrase, wait_ops
from .test_kiosk import click_choice

KEY = {"yes": "1", "no": "2", "abstain": "3"}
CONCLUSION = "经大会集体审议，业绩材料支撑不足，提交表决。"


# -- helpers --------------------------------------------------------------------------------
def click(qtbot, button) -> None:  # type: ignore[no-untyped-def]
    assert button.isEnabled(), button.text()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def next_button(window: MainWindow):  # type: ignore[no-untyped-def]
    return window.wizard.button(QWizard.WizardButton.NextButton)


def finish_step(qtbot, window: MainWindow, step: Step) -> Any:  # type: ignore[no-untyped-def]
    """Click Next on the step's page: the step is done (✓ in the sidebar), the next page shows."""
    assert window.wizard.currentId() == int(step)
    click(qtbot, next_button(window))
    wait_ops(qtbot)
    assert window.wizard.currentId() == int(step) + 1, window.message_bar.text.text()
    assert_done(window, step)
    page = window.wizard.currentPage()
    assert page.step == Step(int(step) + 1) and not page.locked()
    assert "▶" in window.wizard.sidebar.item(int(step) + 1).text()
    return page


def assert_done(window: MainWindow, step: Step) -> None:
    status = next(s for s in window.app.procedure.status(window.meeting_id) if s.step == step)
    assert status.done
    assert "✓" in window.wizard.sidebar.item(int(step)).text()


def select(view, code: str, key=lambda r: r.code) -> None:  # type: ignore[no-untyped-def]
    rows = view.model().rows
    view.selectRow(next(i for i, r in enumerate(rows) if key(r) == code))


def clean_options(combo) -> list[str]:  # type: ignore[no-untyped-def]
    """The people a combo offers with no note (conflict, absent, presides) beside the name."""
    return [combo.itemData(i) for i in range(combo.count()) if "（" not in combo.itemText(i)]


def candidates(app: Conclave, mid: int) -> dict[str, Any]:
    return {c.code: c for c in app.views.candidates(mid)}


def type_ballots(qtbot, dialog: PaperEntryDialog, ballots: list[dict[str, str]]) -> None:  # type: ignore[no-untyped-def]
    codes = [c for c, _ in dialog.grid_model.candidates]
    dialog.grid.setCurrentIndex(dialog.grid_model.index(0, 0))
    qtbot.keyClicks(dialog.grid, "".join(KEY[b.get(c, "abstain")] for b in ballots for c in codes))


def vote_at_the_kiosk(qtbot, window: MainWindow, voter: str, ballot: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    """The secretary, signed in with their own code, issues a one-time code on the host; the kiosk
    takes the screen; the expert unlocks it and votes; the secretary leaves kiosk mode at its Staff door."""
    window.tool_actions["Issue terminal code"].trigger()
    codes = window.windows[-1]
    codes.staff_fields.choose("secretary")
    codes.staff_fields.code.setText(DEMO_STAFF_CODES["secretary"])
    click(qtbot, codes.sign_in_button)
    wait_ops(qtbot)
    select(codes.view, voter)
    click(qtbot, codes.issue)
    wait_ops(qtbot)
    code = codes.code_label.text().replace(" ", "")
    assert len(code) == 6 and code.isdigit()
    click(qtbot, codes.close_button)
    window.tool_actions["Expert terminal"].trigger()
    kiosk = window.windows[-1]
    kiosk.lock_screen.choose(voter)
    for digit in code:
        click(qtbot, kiosk.lock_screen.code.keys[digit])
    click(qtbot, kiosk.lock_screen.unlock)
    wait_ops(qtbot)
    click(qtbot, kiosk.home.buttons["ballot"])
    form = kiosk.ballot
    assert form is not None and form.choices() == {}
    for cand, choice in ballot.items():
        click_choice(qtbot, form, cand, choice)
    assert form.choices() == ballot
    click(qtbot, form.next)
    click(qtbot, kiosk.confirmation.cast)
    wait_ops(qtbot)
    assert kiosk.stack.currentWidget() is kiosk.done and kiosk.token is None
    assert not kiosk.close() and window.isHidden()            # kiosk mode: only a staff member leaves it
    click(qtbot, kiosk.staff)
    door = kiosk.staff_door
    door.fields.choose("secretary")
    door.fields.code.setText(DEMO_STAFF_CODES["secretary"])
    click(qtbot, door.sign_in_button)
    wait_ops(qtbot)
    click(qtbot, door.leave)
    qtbot.waitUntil(lambda: window.isVisible() and window.isEnabled() and not kiosk.isVisible(), timeout=5000)


# -- the test -------------------------------------------------------------------------------
def test_the_whole_demo_meeting_through_the_pages(qtbot, tmp_path: Path, meeting_at: OpenMeeting) -> None:  # type: ignore[no-untyped-def]
    d = load_demo_data()
    yes, ineligible = d["votes"]["yes"], d["ineligible"]
    chair = d["presiding"][0]["code"]
    app, mid = meeting_at(0)                     # type: ignore[arg-type]   # set up only; step 1 next
    window = MainWindow(app, mid)
    qtbot.addWidget(window)
    window.show()
    bar = window.message_bar
    heard = len(ops.messages.history)
    members = app.views.members(mid)
    experts = [m for m in members if m.role == Role.EXPERT.value]
    group_of = {c.code: c.group for c in app.views.candidates(mid)}
    assert len(experts) == 13 and app.views.meeting(mid).current_step == Step.PREPARATORY

    # -- 1 预备会: the gate refuses until everyone has signed and the reader is named --------
    page = window.wizard.currentPage()
    assert window.wizard.currentId() == 1 and page.step == Step.PREPARATORY
    assert not next_button(window).isEnabled() and "主任委员尚未签到" in page.checklist.text()
    page.view.selectAll()
    click(qtbot, page.check_in_button)
    wait_ops(qtbot)
    assert all(m.checked_in for m in page.model.rows)
    assert not next_button(window).isEnabled() and not page.isComplete()
    text = page.checklist.text()
    assert "尚未签署评委承诺书" in text and "请指定宣读承诺书的评委代表" in text
    assert all(m.name in text for m in members)          # the checklist names who has not signed
    qtbot.mouseClick(next_button(window), Qt.MouseButton.LeftButton)     # a disabled Next does nothing
    assert window.wizard.currentId() == 1 and not app.procedure.status(mid)[0].done
    page.view.selectAll()
    click(qtbot, page.sign_button)
    wait_ops(qtbot)
    assert all(m.commitment_signed for m in page.model.rows)
    assert not next_button(window).isEnabled()           # still no reader
    page.reader.setCurrentIndex(page.reader.findData(experts[0].code))
    click(qtbot, page.reader_button)
    wait_ops(qtbot)
    assert experts[0].name in page.reader_now.text() and next_button(window).isEnabled()
    assert "✓" in page.checklist.text()
    page = finish_step(qtbot, window, Step.PREPARATORY)

    # -- 2 资格复审: C011 ineligible with a reason, the rest eligible in one go ----------------
    assert not next_button(window).isEnabled() and "尚未作出资格复审结论" in page.checklist.text()
    (bad, reason), = ineligible.items()
    select(page.view, bad)
    click(qtbot, page.ineligible_button)
    assert page.dialog is not None and not page.dialog.ok.isEnabled()      # no reason, no OK
    page.dialog.text.setPlainText(reason)
    click(qtbot, page.dialog.ok)
    wait_ops(qtbot)
    assert candidates(app, mid)[bad].eligible is False
    click(qtbot, page.rest_button)
    wait_ops(qtbot)
    decision, why = ([c.header for c in page.model.columns].index(h) for h in ("Eligibility", "Reason"))
    shown = {r.code: (page.model.index(i, decision).data(), page.model.index(i, why).data())
             for i, r in enumerate(page.model.rows)}
    assert shown[bad] == ("不合格", reason)
    assert sum(v[0] == "合格" for v in shown.values()) == 29 and not page.rest_button.isEnabled()
    page = finish_step(qtbot, window, Step.ELIGIBILITY)
    assert "合格29人，不合格1人" in window.wizard.sidebar.item(2).text()

    # -- 3 分工初评: a declared conflict and the chair refused; reviewers, scores, questions ----
    conflict = d["declared_conflict"]
    target = conflict["candidate"]
    assert len(page.model.rows) == 29 and bad not in {r.code for r in page.model.rows}
    conflicted = next(e.code for e in experts if e.group == group_of[target])   # as app/demo.py picks
    select(page.view, target)
    click(qtbot, page.conflict_button)
    dialog = page.dialog
    dialog.expert.setCurrentIndex(dialog.expert.findData(conflicted))
    assert not dialog.ok.isEnabled()
    dialog.reason.setPlainText(conflict["reason"])
    click(qtbot, dialog.ok)
    wait_ops(qtbot)
    select(page.view, target)
    index = page.reviewer.findData(conflicted)
    assert "须回避" in page.reviewer.itemText(index)
    page.reviewer.setCurrentIndex(index)
    click(qtbot, page.assign_button)
    wait_ops(qtbot)
    assert bar.isVisible() and "须回避" in bar.title.text() and "review.conflict" in bar.text.text()
    assert candidates(app, mid)[target].reviewer is None
    select(page.view, target)
    page.whole_panel.setChecked(True)
    page.reviewer.setCurrentIndex(page.reviewer.findData(chair))
    click(qtbot, page.assign_button)
    wait_ops(qtbot)
    assert "主任委员、副主任委员不参与评审打分" in bar.title.text() and "review.presiding" in bar.text.text()
    assert candidates(app, mid)[target].reviewer is None
    page.whole_panel.setChecked(False)
    bar.close_button.click()

    rubric = dict(d["plan"]["rubric"])
    rng = random.Random(20261120)
    for i, row in enumerate(list(page.model.rows)):
        code = row.code
        select(page.view, code)
        options = clean_options(page.reviewer)
        assert options and (code != target or conflicted not in options)
        page.reviewer.setCurrentIndex(page.reviewer.findData(options[i % len(options)]))
        click(qtbot, page.assign_button)
        wait_ops(qtbot)
        reviewer = candidates(app, mid)[code].reviewer
        assert reviewer == options[i % len(options)]
        click(qtbot, page.score_button)
        sheet = page.dialog
        assert sheet.scorer.currentData() == reviewer
        for item, spin in sheet.spins.items():
            spin.setValue(rng.randint(rubric[item] // 2, rubric[item]))
        click(qtbot, sheet.ok)
        wait_ops(qtbot)
        click(qtbot, page.question_button)
        question = page.dialog
        assert question.setter.currentData() == reviewer and not question.ok.isEnabled()
        question.text.setPlainText(f"请结合{row.c.specialty}临床实际，谈谈申报材料中所述技术的适应证与风险防范。")
        question.answer.setPlainText("要点：适应证的把握；并发症的识别与处置；质量控制与随访。")
        click(qtbot, question.ok)
        wait_ops(qtbot)
    done = page.model.rows
    assert len(done) == 29 and all(r.reviewer and r.sheet and r.questions == 1 for r in done)
    assert next(r for r in done if r.code == target).reviewer.code not in (conflicted, chair)
    page = finish_step(qtbot, window, Step.PRIMARY_REVIEW)

    # -- 4 面试: every question reviewed by a second expert; interviews of 5–10 minutes -------
    assert len(page.questions.rows) == 29
    for x in list(page.questions.rows):
        select(page.question_view, x.id, key=lambda r: r.id)
        assert page.reviewer.findData(x.setter) == -1            # the setter is never offered
        options = clean_options(page.reviewer)
        assert x.candidate != target or conflicted not in options
        page.reviewer.setCurrentIndex(page.reviewer.findData(options[0]))
        click(qtbot, page.review_button)
        wait_ops(qtbot)
    reviewed = page.questions.rows
    assert all(x.reviewer and x.reviewer != x.setter for x in reviewed)
    assert next(x for x in reviewed if x.candidate == target).reviewer != conflicted
    now = [1000.0]
    page.clock.now = lambda: now[0]
    for i, person in enumerate(list(page.interviews.rows)):
        select(page.interview_view, person.code)
        assert page.candidate.currentData() == person.code
        if i == 0:                                # timed by the clock
            click(qtbot, page.clock.start_button)
            assert not page.record_button.isEnabled()
            now[0] += 7 * 60 + 5
            click(qtbot, page.clock.stop_button)
            assert page.seconds() == 425
        else:                                     # the duration typed from the paper record
            page.duration.setTime(QTime(0, 5 + i % 5, 30))
        page.result.setText("回答切题，业绩真实")
        page.told.setChecked(True)
        click(qtbot, page.record_button)
        wait_ops(qtbot)
    assert all(p.interview and p.interview.result_told and 300 <= p.interview.seconds <= 600
               and p.interview.result == "回答切题，业绩真实" for p in page.interviews.rows)
    page = finish_step(qtbot, window, Step.INTERVIEW)

    # -- 5 小组评议: one opinion per eligible candidate --------------------------------------
    def planned(code: str) -> Recommendation:
        return Recommendation.RECOMMEND if yes[code] >= 9 else (
            Recommendation.REJECT if yes[code] < 7 else Recommendation.PLENARY)

    select(page.view, bad, key=lambda r: r.cand.code)
    assert not any(b.isEnabled() for b in page.buttons.values())      # the ineligible skip it
    for row in list(page.model.rows):
        if row.cand.eligible:
            select(page.view, row.cand.code, key=lambda r: r.cand.code)
            opinion = planned(row.cand.code)
            if opinion is not Recommendation.RECOMMEND:       # 不同意推荐 and 提交大会审议 wait for the reason
                assert not page.buttons[opinion].isEnabled()
                page.note.setText(f"{row.cand.name}的业绩佐证材料不足，组内意见不一")
            click(qtbot, page.buttons[opinion])
            wait_ops(qtbot)
    recs = {c.code: c.recommendation for c in candidates(app, mid).values()}
    assert recs == {code: (None if code == bad else planned(code).value) for code in yes}
    assert recs["C020"] == "reject"
    reasons = app.views.plenary_notes(mid)
    assert reasons["C020"].recommendation_note == "马佳怡的业绩佐证材料不足，组内意见不一"
    page = finish_step(qtbot, window, Step.GROUP)

    # -- reopen step 5 from its locked page: the chair, a written reason; one opinion changed --
    click(qtbot, window.wizard.button(QWizard.WizardButton.BackButton))
    page = window.wizard.currentPage()
    assert page.step == Step.GROUP and page.locked() and page.banner.isVisible()
    assert not any(b.isEnabled() for b in page.buttons.values())
    click(qtbot, page.reopen_button)
    reopen = page.findChild(ReopenDialog)
    assert reopen is not None and reopen.isVisible()
    reopen.chair.setCurrentIndex(reopen.chair.findData(chair))
    reopen.reason.setPlainText("第二组C020的小组评议意见应为提交大会审议，记录有误，需更正")
    click(qtbot, reopen.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok))
    wait_ops(qtbot)
    assert not reopen.isVisible()
    assert window.wizard.currentId() == int(Step.GROUP) and not page.locked() and not page.banner.isVisible()
    assert app.views.meeting(mid).current_step == Step.GROUP
    assert "▶" in window.wizard.sidebar.item(5).text() and "✓" not in window.wizard.sidebar.item(5).text()
    select(page.view, "C020", key=lambda r: r.cand.code)
    click(qtbot, page.buttons[Recommendation.PLENARY])
    wait_ops(qtbot)
    assert candidates(app, mid)["C020"].recommendation == "plenary"
    page = finish_step(qtbot, window, Step.GROUP)

    # -- 6 大会审议: a presenter and a conclusion for each disputed candidate -----------------
    disputed = [r.cand.code for r in page.model.rows]
    assert disputed == ["C005", "C020", "C027"] and not next_button(window).isEnabled()
    for code in disputed:
        select(page.view, code, key=lambda r: r.cand.code)
        assert page.presenter.count() >= 1
        page.presenter.setCurrentIndex(0)
        page.conclusion.setPlainText(CONCLUSION)
        click(qtbot, page.save)
        wait_ops(qtbot)
    assert all(r.note.presenter and r.note.conclusion == CONCLUSION for r in page.model.rows)
    page = finish_step(qtbot, window, Step.PLENARY)

    # -- 7 表决: 13 present; 10 vote electronically (one at the kiosk), 3 on paper ---------------
    assert page.stack.currentIndex() == 0 and len(page.presence.present()) == 13
    assert page.presider.currentData() == chair and app.views.vote_presider(mid) is None   # offered, not stored
    page.vote_day.setCurrentIndex(page.vote_day.count() - 1)     # the meeting's (last) day: the chair chooses it
    click(qtbot, page.start_button)
    round_passphrase(page)
    wait_ops(qtbot)
    presider = app.views.vote_presider(mid)
    assert presider is not None and presider.code == chair          # confirmed by opening the ballot
    rnd = app.views.rounds(mid)[0]
    assert page.stack.currentIndex() == 1 and len(rnd.voters) == 13
    ballots = _ballots(yes, 13, random.Random(7))
    vote_at_the_kiosk(qtbot, window, rnd.voters[0], ballots[0])
    terminals = Terminals(app, mid)
    for voter, ballot in zip(rnd.voters[1:10], ballots[1:10], strict=True):     # the other terminals
        terminals.cast(rnd.id, voter, ballot)
    qtbot.waitUntil(lambda: page.count.text() == "10 / 13", timeout=10000)
    for voter in rnd.voters[10:]:                                   # paper ballots handed in
        select(page.roll, voter)
        click(qtbot, page.mark_button)
        if page.staff_dialog is not None and page.staff_dialog.isVisible():   # the secretary signs in once
            page.staff_dialog.fields.code.setText(DEMO_STAFF_CODES["secretary"])
            page.staff_dialog.sign_in()
        wait_ops(qtbot)
    assert page.count.text() == "13 / 13" and app.views.rounds(mid)[0].ballots == 10

    paper = ballots[10:]
    click(qtbot, page.new_batch_button)                             # clerk A types the batch
    entry = page.paper_dialog
    assert entry is not None and entry.count.value() == 3
    entry.staff.choose("secretary")
    entry.staff.code.setText(DEMO_STAFF_CODES["secretary"])
    type_ballots(qtbot, entry, paper)
    click(qtbot, entry.save_button)
    wait_ops(qtbot)
    assert entry.status == "waiting" and app.views.rounds(mid)[0].ballots == 10
    click(qtbot, entry.close_button)
    qtbot.waitUntil(lambda: page.paper_dialog is None, timeout=5000)
    assert page.warning.isVisibleTo(page) and "B1" in page.warning.text()

    click(qtbot, page.again_button)                                 # clerk B, with a typing slip
    entry = page.paper_dialog
    assert entry is not None and entry.status == "waiting" and entry.grid_model.blanks() == 3 * 30
    typo = [dict(b) for b in paper]
    typo[1]["C002"] = "no" if typo[1]["C002"] == "yes" else "yes"
    assert entry.staff.chosen() == "supervisor"
    entry.staff.code.setText(DEMO_STAFF_CODES["supervisor"])
    type_ballots(qtbot, entry, typo)
    click(qtbot, entry.save_button)
    round_passphrase(entry)                                         # the supervisor opens the sealed copy
    wait_ops(qtbot)
    assert entry.status == "mismatch" and entry.diff_view.isVisibleTo(entry)
    assert [(x.ballot, x.candidate.split()[0]) for x in entry.diff_model.rows] == [("2", "C002")]
    assert (1, 1) in entry.grid_model.marked and "不一致" in entry.message.text()
    assert app.views.rounds(mid)[0].ballots == 10                   # nothing counted
    entry.grid.setCurrentIndex(entry.grid_model.index(1, 1))        # checked against the paper
    qtbot.keyClicks(entry.grid, KEY[paper[1]["C002"]])
    entry.staff.code.setText(DEMO_STAFF_CODES["supervisor"])
    click(qtbot, entry.save_button)
    round_passphrase(entry)
    wait_ops(qtbot)
    assert entry.status == "accepted" and app.views.rounds(mid)[0].ballots == 13
    click(qtbot, entry.close_button)
    qtbot.waitUntil(lambda: page.paper_dialog is None and not page.warning.isVisibleTo(page), timeout=5000)

    click(qtbot, page.close_button)
    assert page.confirm.isVisibleTo(page)
    click(qtbot, page.confirm_button)
    round_passphrase(page)
    wait_ops(qtbot)
    assert page.stack.currentIndex() == 2 and page.runoff_box.isVisibleTo(page)
    pending = app.views.results(mid).allocation.pending
    assert [(sorted(p.candidates), p.places) for p in pending] == [(["C024", "C029"], 1)]
    assert "C024" in page.runoff_text.text() and "C029" in page.runoff_text.text()
    assert "1" in page.runoff_text.text() and not next_button(window).isEnabled()
    assert "需再次投票" in page.checklist.text()
    by_code = {r.code: r for r in page.results_model.rows}
    assert all(by_code[c].tally.yes == n for c, n in yes.items())

    # -- the runoff: C024 8 yes, C029 5 yes, for the one place ------------------------------
    click(qtbot, page.runoff_button)
    assert page.stack.currentIndex() == 0 and len(page.presence.present()) == 13
    click(qtbot, page.start_button)
    round_passphrase(page)
    wait_ops(qtbot)
    runoff = app.views.rounds(mid)[1]
    assert runoff.kind == "runoff" and set(runoff.candidates) == {"C024", "C029"} and runoff.places == 1
    for voter, ballot in zip(runoff.voters, _ballots(d["votes"]["runoff_yes"], 13, random.Random(3)),
                             strict=True):
        terminals.cast(runoff.id, voter, ballot)
    qtbot.waitUntil(lambda: page.count.text() == "13 / 13", timeout=10000)
    click(qtbot, page.close_button)
    click(qtbot, page.confirm_button)
    round_passphrase(page)
    wait_ops(qtbot)
    assert not page.runoff_box.isVisibleTo(page) and page.round_choice.count() == 2
    cands = candidates(app, mid)
    assert sum(c.outcome == "passed" for c in cands.values()) == 24
    assert (cands["C029"].outcome, cands["C029"].reason) == ("failed", "pass_rate_cap")
    assert (cands["C015"].outcome, cands["C015"].reason) == ("failed", "quota")
    assert (cands[bad].outcome, cands[bad].reason) == ("failed", "ineligible")
    assert cands["C024"].outcome == "passed"
    failed = {c.code: c.reason for c in cands.values() if c.outcome != "passed"}
    assert set(failed) == {"C005", "C011", "C015", "C020", "C027", "C029"}
    assert "通过 24 人，未通过 6 人" in page.headline.text()
    page = finish_step(qtbot, window, Step.BALLOT)
    assert "通过24人，未通过6人" in window.wizard.sidebar.item(7).text()

    # -- 8 签字确认: the chair signs every conclusion ------------------------------------------
    assert not next_button(window).isEnabled()
    page.signer.setCurrentIndex(page.signer.findData(chair))
    click(qtbot, page.sign_button)
    wait_ops(qtbot)
    assert d["presiding"][0]["name"] in page.signed.text()
    assert all(c.signed_by for c in app.views.candidates(mid))
    page = finish_step(qtbot, window, Step.SIGNING)

    # -- 9 归档保密: the committee key made first (there is none), then the archive with the -------
    #    documents, sealed with it
    folder = tmp_path / "archive"
    page.folder.setText(str(folder))
    assert page.documents.isChecked()
    without_key(app)            # the meeting came from the demo, which makes its key at setup
    assert not app.documents.key_status(mid).exists
    click(qtbot, page.archive_button)
    key_dialog = page.key_dialog
    assert key_dialog is not None and key_dialog.isVisible() and not page.busy.isVisibleTo(page)
    assert str(app.documents.key_status(mid).path) in key_dialog.where.text()
    qtbot.keyClicks(key_dialog.passphrase, DEMO_PASSPHRASE)
    qtbot.keyClicks(key_dialog.repeat, DEMO_PASSPHRASE)
    click(qtbot, key_dialog.create_button)
    qtbot.waitUntil(lambda: not key_dialog.isVisible(), timeout=60000)
    assert app.documents.key_status(mid).exists
    assert page.busy.isVisibleTo(page) and not page.archive_button.isEnabled()     # archiving at once
    qtbot.waitUntil(lambda: not ops.busy(), timeout=120000)
    assert not page.busy.isVisibleTo(page), bar.text.text()
    archived = app.views.meeting(mid).archived_path
    assert archived and Path(archived).is_relative_to(folder)
    manifest = page.manifest.toPlainText()
    assert "record.json" in manifest and "meeting.sqlite3" in manifest and "documents/" in manifest
    assert page.documents_written > 0 and str(folder) in page.where.text()
    assert not any(kind.endswith(" seal") for kind, _ in page.notes)        # sealed, not left unsealed
    assert not page.passphrase.text()
    minutes = Path(archived) / "documents" / "01_评审会议记录.pdf"
    assert app.documents.verify_pdf(minutes, mid).ok
    page = finish_step(qtbot, window, Step.ARCHIVE)

    # -- 10 结果公示: the computed start, then Finish ------------------------------------------
    dates, due = app.closing.publicity(mid)
    assert page.values["start"].text().startswith(dates.start.isoformat())
    assert page.values["filing"].text().startswith(due.isoformat())
    assert page.pick.date() == QDate(dates.start.year, dates.start.month, dates.start.day)
    assert not page.problem.text()
    click(qtbot, page.set_button)
    wait_ops(qtbot)
    assert app.views.meeting(mid).publicity_start == dates.start
    page.summary_texts["experience"].setPlainText("封闭评审，面试试题实名审核，表决当场计票")
    click(qtbot, page.summary_button)
    wait_ops(qtbot)
    assert app.views.work_summary(mid).experience == "封闭评审，面试试题实名审核，表决当场计票"
    finish = window.wizard.button(QWizard.WizardButton.FinishButton)
    assert finish.isVisible() and not next_button(window).isVisible()
    click(qtbot, finish)
    wait_ops(qtbot)
    assert_done(window, Step.PUBLICITY)
    assert all(s.done for s in app.procedure.status(mid))
    info = app.views.meeting(mid)
    assert info.finished and info.publicity_start == dates.start
    assert window.wizard.isVisible() and window.wizard.currentPage().locked()   # the record stays on screen
    assert window.message_bar.isVisible() and "会议已结束" in window.message_bar.title.text()
    assert [x for x in ops.messages.history[heard:] if x[0] == "error"] == []
