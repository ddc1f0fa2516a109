"""The expert desk: an expert's own acts by terminal session — only what is theirs, every refusal
bilingual, audited once, and nothing else written; the tasks a terminal shows (questions to review,
the group's recommendation and the score beside each name on the ballot)."""

from __future__ import annotations

import json

import pytest

from app.domain import Step
from app.errors import RuleViolation
from app.services import Conclave
from app.views.panel import MemberView
from tests.sessions import unlock
from tests.tables import audit_actions, audit_head, snapshot

from .conftest import MakeApp

SECRETARY = "人事科 李文静"


def experts(app: Conclave, mid: int) -> list[MemberView]:
    return [m for m in app.views.members(mid) if m.role == "expert"]


def refused_cleanly(app: Conclave, rule: str, call: object, *args: object, **kwargs: object) -> RuleViolation:
    """``call`` is refused with ``rule``, in both languages; it wrote one ``desk.refused`` event
    naming the rule, and nothing else."""
    before, head = snapshot(app.store.path), audit_head(app.store.path)
    with pytest.raises(RuleViolation) as info:
        call(*args, **kwargs)  # type: ignore[operator]
    exc = info.value
    assert exc.rule == rule, exc
    assert exc.violations[0].zh, exc                   # Chinese, not only English
    assert snapshot(app.store.path) == before
    events = audit_actions(app.store.path, head)
    assert [a for a, _ in events] == ["desk.refused"] and json.loads(events[0][1])["rule"] == rule
    return exc


@pytest.fixture
def review(demo_at: MakeApp) -> tuple[Conclave, int, MemberView, list[str]]:
    """Step 3 running; an expert and two candidates of their group assigned to them."""
    app, mid = demo_at(Step.ELIGIBILITY)
    me = experts(app, mid)[0]
    mine = [c.code for c in app.views.candidates(mid) if c.group == me.group and c.eligible
            and c.unit != me.unit][:2]
    for code in mine:
        app.review.assign_reviewer(SECRETARY, mid, code, me.code)
    return app, mid, me, mine


def full_sheet(app: Conclave, mid: int, top: bool = False) -> dict[str, int]:
    return {r.name: r.max_points if top else r.max_points // 2 for r in app.views.rubric(mid)}


def test_commitment_is_signed_by_the_sessions_expert_once(demo_at: MakeApp) -> None:
    app, mid = demo_at(0)                                # set up: step 1 about to run
    me = experts(app, mid)[0]
    app.setup.check_in(SECRETARY, mid, me.code)
    token = unlock(app, mid, me.code)
    assert app.terminals.tasks(token).commitment_open
    app.desk.sign_commitment(token)
    assert app.terminals.tasks(token).commitment_signed
    refused_cleanly(app, "commitment.signed", app.desk.sign_commitment, token)


def test_a_locked_session_acts_for_nobody(review) -> None:
    app, mid, me, mine = review
    token = unlock(app, mid, me.code)
    app.terminals.lock(token)
    refused_cleanly(app, "terminal.session", app.desk.record_scores, token, mine[0], full_sheet(app, mid))


def test_scores_and_questions_for_the_experts_own_candidates(review) -> None:
    app, mid, me, mine = review
    token = unlock(app, mid, me.code)
    tasks = app.terminals.tasks(token)
    assert [r.code for r in tasks.review] == mine and tasks.review_open
    app.desk.record_scores(token, mine[0], full_sheet(app, mid, top=True))
    qid = app.desk.add_question(token, mine[0], "请谈谈该技术的适应证。", "要点：适应证；风险。")
    sheets = {(s.candidate, s.scorer): s.points for s in app.views.score_sheets(mid)}
    assert sheets[(mine[0], me.code)] == full_sheet(app, mid, top=True)
    q = next(q for q in app.views.questions(mid) if q.id == qid)
    assert (q.candidate, q.setter, q.reviewer) == (mine[0], me.code, None)
    after = app.terminals.tasks(token)
    assert after.review[0].points == full_sheet(app, mid, top=True) and after.review[0].questions == 1
    actions = [a for a, _ in audit_actions(app.store.path, 0)][-2:]
    assert actions == ["review.score", "question.add"]


def test_not_assigned_out_of_range_or_conflicted_candidates_are_refused(review) -> None:
    app, mid, me, mine = review
    token = unlock(app, mid, me.code)
    other = next(c.code for c in app.views.candidates(mid) if c.eligible and c.code not in mine
                 and c.group == me.group)
    exc = refused_cleanly(app, "desk.not_assigned", app.desk.record_scores, token, other, full_sheet(app, mid))
    assert other in str(exc) and other in (exc.violations[0].zh or "")
    refused_cleanly(app, "desk.not_assigned", app.desk.add_question, token, other, "题目", "答案")
    item = app.views.rubric(mid)[0]
    too_high = {**full_sheet(app, mid), item.name: item.max_points + 1}
    exc = refused_cleanly(app, "score.range", app.desk.record_scores, token, mine[0], too_high)
    assert item.name in str(exc) and f"0至{item.max_points}分" in (exc.violations[0].zh or "")
    refused_cleanly(app, "score.range", app.desk.record_scores, token, mine[0], {**full_sheet(app, mid), item.name: -1})
    refused_cleanly(app, "score.range", app.desk.record_scores, token, mine[0],
                    {**full_sheet(app, mid), item.name: 2.5})
    refused_cleanly(app, "score.incomplete", app.desk.record_scores, token, mine[0], {item.name: 1})
    refused_cleanly(app, "candidate.unknown", app.desk.record_scores, token, "NOBODY", full_sheet(app, mid))
    # a conflict declared later lifts the assignment; the desk says why, the tasks no longer show it
    app.setup.declare_conflict(me.code, mid, me.code, mine[1], "亲属关系")
    refused_cleanly(app, "review.conflict", app.desk.record_scores, token, mine[1], full_sheet(app, mid))
    refused_cleanly(app, "review.conflict", app.desk.add_question, token, mine[1], "题目", "答案")
    assert [r.code for r in app.terminals.tasks(token).review] == [mine[0]]


def test_a_closed_step_is_refused(demo_at: MakeApp) -> None:
    app, mid = demo_at(Step.PRIMARY_REVIEW)                 # step 4 running: scoring is over
    code = next(c for c in app.views.candidates(mid) if c.reviewer)
    token = unlock(app, mid, code.reviewer or "")
    refused_cleanly(app, "step.locked", app.desk.record_scores, token, code.code, full_sheet(app, mid))


def test_question_review_by_another_expert_of_the_group(demo_at: MakeApp) -> None:
    app, mid = demo_at(Step.PRIMARY_REVIEW)                 # step 4 running, no question reviewed yet
    questions = app.views.questions(mid)
    cands = {c.code: c for c in app.views.candidates(mid)}
    members = {m.code: m for m in experts(app, mid)}
    q = questions[0]
    group = cands[q.candidate].group
    declared = {(d.member, d.candidate) for d in app.views.declared_conflicts(mid)}

    def free(m: MemberView, *besides: str) -> bool:
        return m.group == group and m.code not in (q.setter, *besides) and m.unit != cands[q.candidate].unit \
            and (m.code, q.candidate) not in declared

    reviewer = next(m for m in members.values() if free(m))
    token = unlock(app, mid, reviewer.code)
    shown = app.terminals.tasks(token).questions_to_review
    assert shown and {s.candidate for s in shown} <= {c for c, v in cands.items() if v.group == group}
    assert all(s.id != x.id for s in shown for x in questions if x.setter == reviewer.code)
    assert q.id in {s.id for s in shown} and not any(s.reviewed for s in shown)
    app.desk.review_question(token, q.id)
    assert next(x for x in app.views.questions(mid) if x.id == q.id).reviewer == reviewer.code
    assert next(s for s in app.terminals.tasks(token).questions_to_review if s.id == q.id).reviewed
    # the setter may not review their own; another expert may not review it again; another group's is refused
    setter = unlock(app, mid, q.setter)
    assert q.id not in {s.id for s in app.terminals.tasks(setter).questions_to_review}
    refused_cleanly(app, "question.same_person", app.desk.review_question, setter, q.id)
    third = next(m for m in members.values() if free(m, reviewer.code))
    t3 = unlock(app, mid, third.code)
    assert q.id not in {s.id for s in app.terminals.tasks(t3).questions_to_review}
    refused_cleanly(app, "question.reviewed", app.desk.review_question, t3, q.id)
    foreign = next(x for x in questions if cands[x.candidate].group != group)
    refused_cleanly(app, "review.group", app.desk.review_question, token, foreign.id)
    refused_cleanly(app, "question.unknown", app.desk.review_question, token, 10**6)


def test_a_conflicted_expert_never_sees_nor_reviews_the_question(demo_at: MakeApp) -> None:
    app, mid = demo_at(Step.PRIMARY_REVIEW)
    cands = {c.code: c for c in app.views.candidates(mid)}
    q = app.views.questions(mid)[0]
    expert = next(m for m in experts(app, mid) if m.group == cands[q.candidate].group and m.code != q.setter)
    app.setup.declare_conflict(expert.code, mid, expert.code, q.candidate, "同学关系")
    token = unlock(app, mid, expert.code)
    assert q.candidate not in {s.candidate for s in app.terminals.tasks(token).questions_to_review}
    refused_cleanly(app, "review.conflict", app.desk.review_question, token, q.id)


def test_the_ballot_shows_recommendation_and_score_and_casts_once(demo_at: MakeApp) -> None:
    app, mid = demo_at(Step.PLENARY)                       # step 7 running
    voters = [m.code for m in experts(app, mid)]
    rid = app.voting.open_first_round("M01", mid, voters)
    token = unlock(app, mid, voters[0])
    ballot = app.terminals.tasks(token).ballot
    assert ballot is not None and ballot.round_id == rid
    cands = {c.code: c for c in app.views.candidates(mid)}
    totals = app.views.score_totals(mid)
    for item in ballot.candidates:
        assert item.group == cands[item.code].recommendation
        assert item.score == (totals[item.code].total if item.code in totals else None)
    assert any(i.group == "recommend" for i in ballot.candidates) and any(i.score for i in ballot.candidates)
    assert any(i.group is None and i.score is None for i in ballot.candidates)   # the ineligible
    choices = {i.code: "yes" for i in ballot.candidates}
    refused_cleanly(app, "ballot.choice", app.desk.cast, token, rid, {ballot.candidates[0].code: "maybe"})
    app.desk.cast(token, rid, choices)
    action, data = audit_actions(app.store.path, audit_head(app.store.path) - 1)[0]
    assert action == "ballot.cast" and json.loads(data) == {"round": rid}     # never a choice
    refused_cleanly(app, "ballot.double", app.desk.cast, token, rid, choices)
    assert app.terminals.tasks(token).voted_round == 1
    # a closed round takes no late vote
    late = unlock(app, mid, voters[1])
    app.voting.close_round("M01", mid, rid)
    refused_cleanly(app, "ballot.closed", app.desk.cast, late, rid, choices)
