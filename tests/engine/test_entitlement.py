"""Entitlement in the engine: who may vote, who may type a paper copy, who may review.

The engine decides who acts from a session — a terminal's or a staff member's — never from a
name or code the caller passes; an expert who left loses their codes and sessions at once; a
conflict declared after scoring undoes the scores and reopens the candidate's review."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from app.domain import Step
from app.errors import RuleViolation
from app.services import Conclave
from app.services.voting import VotingService
from app.storage.schema import audit_event
from app.text import in_chinese
from tests.sessions import ROUND_PASSPHRASE, STAFF_CODES, Staff, unlock

from .conftest import MakeApp
from .small import SECRETARY, hold_preparatory, open_small, pass_eligibility, seat


def _refused(call: object) -> RuleViolation:
    with pytest.raises(RuleViolation) as err:
        call()  # type: ignore[operator]
    assert in_chinese(err.value.violations[0].message).strip(), err.value
    return err.value


def _events(app: Conclave, action: str) -> list[dict]:
    with app.store.read() as conn:
        return [json.loads(d) for d in conn.execute(select(audit_event.c.data).where(
            audit_event.c.action == action).order_by(audit_event.c.seq)).scalars()]


@pytest.fixture
def voting(demo_at: MakeApp) -> tuple[Conclave, int, int, list[str]]:
    app, mid = demo_at(Step.PLENARY)
    voters = [m.code for m in app.views.members(mid) if m.role == "expert"]
    return app, mid, app.voting.open_first_round("M01", mid, voters, passphrase=ROUND_PASSPHRASE), voters


# -- an expert who left ---------------------------------------------------------------------
def test_an_expert_who_left_after_the_round_opened_cannot_cast(voting: tuple) -> None:
    app, mid, rid, voters = voting
    staff = Staff(app, mid)
    early = app.terminals.issue_code(staff.secretary, mid, voters[0])      # a code issued, not yet used
    open_session = unlock(app, mid, voters[1])                       # a terminal already unlocked
    app.voting.mark_paper_vote(staff.secretary, rid, voters[3])      # (someone else votes on paper)
    for v in voters[:3]:
        app.setup.record_departure(SECRETARY, mid, v, "因急诊返回单位")
    assert _events(app, "panel.depart")[0]["code_revoked"] is True
    err = _refused(lambda: app.terminals.unlock(mid, voters[0], early))
    assert err.rule == "terminal.departed" and "中途离会" in in_chinese(err.violations[0].message)
    assert _refused(lambda: app.voting.cast(open_session, rid, {"C001": "yes"})).rule == "terminal.departed"
    assert _refused(lambda: app.terminals.tasks(open_session)).rule == "terminal.session"   # the session ended
    assert _refused(lambda: app.terminals.issue_code(staff.secretary, mid, voters[2])).rule == "terminal.absent"
    err = _refused(lambda: app.voting.mark_paper_vote(staff.secretary, rid, voters[2]))    # nor on paper
    assert err.rule == "ballot.departed" and "中途离会" in in_chinese(err.violations[0].message)
    rnd = app.views.rounds(mid)[0]
    assert voters[2] in rnd.voters and rnd.voted == (voters[3],) and rnd.ballots == 0


def test_the_roll_refuses_a_departed_voter_even_through_a_session_that_slipped_through(voting: tuple) -> None:
    """A session another object holds (the voting service checks the roll inside its own transaction)."""
    app, mid, rid, voters = voting
    token = unlock(app, mid, voters[0])
    session = app.terminals.session(token)
    app.setup.record_departure(SECRETARY, mid, voters[0], "身体不适")

    class Stale:        # a session source that does not look at the database
        def session(self, _token: str) -> object:
            return session

    stale = VotingService(app.store, Stale(), app.staff)  # type: ignore[arg-type]
    assert _refused(lambda: stale.cast(token, rid, {"C001": "yes"})).rule == "ballot.departed"
    assert app.views.rounds(mid)[0].voted == ()


# -- paper ballots: two staff, two sessions -----------------------------------------------------
def test_one_person_cannot_type_both_copies_of_a_paper_batch(voting: tuple) -> None:
    app, mid, rid, voters = voting
    staff = Staff(app, mid)
    for v in voters[:2]:
        app.voting.mark_paper_vote(staff.secretary, rid, v)
    batch = [{"C001": "yes"}, {"C001": "no"}]
    assert app.voting.enter_paper_batch(staff.secretary, rid, "B1", batch)["status"] == "waiting"
    err = _refused(lambda: app.voting.enter_paper_batch(staff.secretary, rid, "B1", batch))   # same session
    assert err.rule == "paper.same_clerk" and "另一名工作人员" in in_chinese(err.violations[0].message)
    again = app.staff.sign_in(mid, "secretary", STAFF_CODES["secretary"]).token      # same post, new session
    assert _refused(lambda: app.voting.enter_paper_batch(again, rid, "B1", batch)).rule == "paper.same_clerk"
    # a name is no session: the old way of naming the clerk is refused, whatever the spelling
    for name in ("李文静", "李文静 ", "王海"):
        assert _refused(lambda n=name: app.voting.enter_paper_batch(n, rid, "B1", batch)).rule == "staff.session"
    assert _refused(lambda: app.staff.sign_in(mid, "secretary ", STAFF_CODES["secretary"])).rule == "staff.post"
    assert app.views.rounds(mid)[0].ballots == 0
    assert app.voting.enter_paper_batch(staff.supervisor, rid, "B1", batch,
                                        passphrase=ROUND_PASSPHRASE)["status"] == "accepted"
    (b,) = app.views.paper_batches(rid)
    m = app.views.meeting(mid)
    assert (b.post_a, b.post_b, b.clerk_a, b.clerk_b) == ("secretary", "supervisor", m.secretary, m.supervisor)
    assert app.views.rounds(mid)[0].ballots == 2


@pytest.mark.parametrize("supervisor", ["李文静 ", "李文静\u200b", "李 文静"])
def test_the_same_person_on_both_posts_cannot_type_both_copies(voting: tuple, supervisor: str) -> None:
    app, mid, rid, voters = voting
    m = app.views.meeting(mid)
    app.setup.set_staff(SECRETARY, mid, supervisor=supervisor, secretary="李文静")
    assert m.secretary == "李文静"
    staff = Staff(app, mid)
    app.voting.mark_paper_vote(staff.secretary, rid, voters[0])
    app.voting.enter_paper_batch(staff.secretary, rid, "B1", [{"C001": "yes"}])
    err = _refused(lambda: app.voting.enter_paper_batch(staff.supervisor, rid, "B1", [{"C001": "yes"}]))
    assert err.rule == "paper.same_clerk" and "同一人" in in_chinese(err.violations[0].message)


def test_staff_codes_are_personal_hashed_and_changed_only_with_the_current_one(voting: tuple) -> None:
    app, mid, rid, _voters = voting
    assert app.staff.has_code(mid, "secretary")                 # the demo's staff set theirs at setup
    assert _refused(lambda: app.staff.set_code(mid, "secretary", "new-code-1")).rule == "staff.code_set"
    assert _refused(lambda: app.staff.set_code(mid, "secretary", "new-code-1", current="wrong!")).rule \
        == "staff.code_set"
    assert _refused(lambda: app.staff.set_code(mid, "supervisor", "12345", current="x")).rule == "staff.code_short"
    assert _refused(lambda: app.staff.sign_in(mid, "secretary", "not-the-code")).rule == "staff.code"
    assert _events(app, "staff.sign_in")[-1]["result"] == "wrong"                    # the attempt is recorded
    app.staff.set_code(mid, "secretary", "new-code-1", current=STAFF_CODES["secretary"])
    assert _refused(lambda: app.staff.sign_in(mid, "secretary", STAFF_CODES["secretary"])).rule == "staff.code"
    session = app.staff.sign_in(mid, "secretary", " new-code-1 ")
    assert (session.post, session.name) == ("secretary", app.views.meeting(mid).secretary)
    raw = sqlite3.connect(app.store.path)
    dump = "\n".join(raw.iterdump())
    raw.close()
    assert "new-code-1" not in dump and STAFF_CODES["secretary"] not in dump and session.token not in dump
    # another person on the post: the code set by the one before does not let them in
    app.setup.set_staff(SECRETARY, mid, supervisor=app.views.meeting(mid).supervisor or "", secretary="张新")
    assert _refused(lambda: app.staff.sign_in(mid, "secretary", "new-code-1")).rule == "staff.no_code"
    assert _refused(lambda: app.voting.mark_paper_vote(session.token, rid, _voters[0])).rule == "staff.session"


# -- a conflict declared after scoring ------------------------------------------------------------
@pytest.fixture
def small(tmp_path: Path) -> Iterator[tuple[Conclave, int]]:
    with Conclave(tmp_path / "m.sqlite3") as app:
        mid = open_small(app, [("C1", "李一", "县人民医院"), ("C2", "王二", "县中医医院")])
        seat(app, mid, [(f"E{i}", f"州第{i}医院") for i in range(1, 6)])
        hold_preparatory(app, mid)
        pass_eligibility(app, mid)
        yield app, mid


def _review(app: Conclave, mid: int, code: str, expert: str) -> None:
    app.review.assign_reviewer(SECRETARY, mid, code, expert)
    app.review.record_scores(expert, mid, code, expert, {"工作业绩": 80})
    app.review.add_question(expert, mid, code, expert, "题目", "答案")


def test_a_conflict_declared_after_scoring_removes_the_scores_and_reopens_the_review(small: tuple) -> None:
    app, mid = small
    _review(app, mid, "C1", "E1")
    _review(app, mid, "C2", "E2")
    app.review.record_scores("E3", mid, "C1", "E3", {"工作业绩": 70})     # another expert's sheet stays
    assert app.procedure.gate(mid, Step.PRIMARY_REVIEW) == []
    app.setup.declare_conflict("E1", mid, "E1", "C1", "申报人系本人近亲属")
    (event,) = _events(app, "conflict.declare")
    assert event["removed"]["scores"] == {"工作业绩": 80} and event["removed"]["primary_reviewer"] == "E1"
    assert [q["text"] for q in event["removed"]["questions"]] == ["题目"]
    c1 = next(c for c in app.views.candidates(mid) if c.code == "C1")
    assert c1.reviewer is None
    assert {(q.candidate, q.setter) for q in app.views.questions(mid)} == {("C2", "E2")}
    with sqlite3.connect(app.store.path) as raw:
        scorers = raw.execute("SELECT m.code FROM score s JOIN member m ON m.id = s.member_id "
                              "JOIN candidate c ON c.id = s.candidate_id WHERE c.code = 'C1'").fetchall()
    assert scorers == [("E3",)]
    gate = " ".join(in_chinese(x) for x in app.procedure.gate(mid, Step.PRIMARY_REVIEW))
    assert "尚未指定主审评委：C1" in gate and "尚未拟定面试题：C1" in gate
    assert _refused(lambda: app.procedure.complete(SECRETARY, mid, Step.PRIMARY_REVIEW)).rule == "step.gate"
    assert _refused(lambda: app.review.assign_reviewer(SECRETARY, mid, "C1", "E1")).rule == "review.conflict"
    app.review.assign_reviewer(SECRETARY, mid, "C1", "E4")
    assert any("C1" in x for x in app.procedure.gate(mid, Step.PRIMARY_REVIEW))        # not scored yet
    app.review.record_scores("E4", mid, "C1", "E4", {"工作业绩": 75})
    app.review.add_question("E4", mid, "C1", "E4", "新题目", "新答案")
    app.procedure.complete(SECRETARY, mid, Step.PRIMARY_REVIEW)


def test_a_conflict_without_anything_done_is_only_recorded_and_after_step_3_needs_it_reopened(small: tuple) -> None:
    app, mid = small
    _review(app, mid, "C1", "E1")
    _review(app, mid, "C2", "E2")
    app.setup.declare_conflict("E5", mid, "E5", "C1", "同一课题组")            # E5 did nothing for C1
    assert "removed" not in _events(app, "conflict.declare")[-1]
    app.procedure.complete(SECRETARY, mid, Step.PRIMARY_REVIEW)
    err = _refused(lambda: app.setup.declare_conflict("E2", mid, "E2", "C2", "近亲属"))
    assert err.rule == "conflict.after_review" and "重新开启第3步" in in_chinese(err.violations[0].message)
    assert next(c for c in app.views.candidates(mid) if c.code == "C2").reviewer == "E2"
    app.procedure.reopen(SECRETARY, mid, Step.PRIMARY_REVIEW, "M01", "评委申报回避，须重新评审")
    app.setup.declare_conflict("E2", mid, "E2", "C2", "近亲属")
    assert next(c for c in app.views.candidates(mid) if c.code == "C2").reviewer is None
    assert _refused(lambda: app.setup.declare_conflict("E3", mid, "E3", "C9", "无此人")).rule == "candidate.unknown"

