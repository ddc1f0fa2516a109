"""The ten-step procedure: gates, locking, reopening, and who may do what."""

from __future__ import annotations

import sqlite3

import pytest

from app.domain import Step
from app.errors import RuleViolation

from .conftest import MakeApp


def _audit_count(path: object) -> int:
    con = sqlite3.connect(str(path))
    n = con.execute("SELECT COUNT(*) FROM audit_event").fetchone()[0]
    con.close()
    return int(n)


def test_demo_reaches_step_seven_with_steps_one_to_six_locked(demo_at: MakeApp) -> None:
    app, mid = demo_at(Step.PLENARY)
    status = app.procedure.status(mid)
    assert [s.done for s in status] == [True] * 6 + [False] * 4
    assert status[6].current and status[6].missing == ("the ballot has not been held",)


def test_a_locked_step_refuses_changes(demo_at: MakeApp) -> None:
    app, mid = demo_at(Step.PLENARY)
    with pytest.raises(RuleViolation) as err:
        app.review.record_eligibility("秘书", mid, "C001", False, "材料不全")
    assert err.value.rule == "step.locked"


def test_a_step_not_reached_refuses_changes(demo_at: MakeApp) -> None:
    app, mid = demo_at(Step.PLENARY)
    with pytest.raises(RuleViolation) as err:
        app.closing.sign_conclusions("M01", mid, "M01")
    assert err.value.rule == "step.not_reached"


def test_gate_refuses_and_says_what_is_missing(demo_at: MakeApp) -> None:
    app, mid = demo_at(Step.PLENARY)
    with pytest.raises(RuleViolation) as err:
        app.procedure.complete("秘书", mid, Step.BALLOT)
    assert err.value.rule == "step.gate"
    assert "the ballot has not been held" in str(err.value)


def test_refused_call_leaves_no_trace(demo_at: MakeApp) -> None:
    app, mid = demo_at(Step.PLENARY)
    before = _audit_count(app.store.path)
    with pytest.raises(RuleViolation):
        app.review.record_eligibility("秘书", mid, "C001", False, "材料不全")
    assert _audit_count(app.store.path) == before


def test_every_successful_call_is_one_audit_event(demo_at: MakeApp) -> None:
    app, mid = demo_at(Step.PLENARY)
    before = _audit_count(app.store.path)
    app.procedure.reopen("秘书", mid, Step.PLENARY, "M01", "补充记录争议人员的审议结论")
    assert _audit_count(app.store.path) == before + 1


def test_reopen_by_chair_reopens_that_step_and_later_ones(demo_at: MakeApp) -> None:
    app, mid = demo_at(Step.PLENARY)
    app.procedure.reopen("秘书", mid, Step.GROUP, "M01", "第二组需更正一名申报人的推荐意见")
    status = app.procedure.status(mid)
    assert [s.done for s in status[:6]] == [True] * 4 + [False, False]
    assert status[4].current
    app.review.record_recommendation("秘书", mid, "C002", "plenary", "组内对其业绩贡献程度意见不一")
    app.procedure.complete("秘书", mid, Step.GROUP)
    missing = app.procedure.gate(mid, Step.PLENARY)
    assert any("C002" in m for m in missing)


def test_reopen_needs_chair_and_reason(demo_at: MakeApp) -> None:
    app, mid = demo_at(Step.PLENARY)
    experts = [m.code for m in app.views.members(mid) if m.role == "expert"]
    with pytest.raises(RuleViolation) as err:
        app.procedure.reopen("秘书", mid, Step.GROUP, experts[0], "更正推荐意见")
    assert err.value.rule == "step.reopen_chair"
    with pytest.raises(RuleViolation) as err:
        app.procedure.reopen("秘书", mid, Step.GROUP, "M01", " ")
    assert err.value.rule == "step.reopen_reason"


def test_no_reopen_once_a_ballot_round_is_closed(demo_at: MakeApp) -> None:
    app, mid = demo_at(Step.PUBLICITY)
    with pytest.raises(RuleViolation) as err:
        app.procedure.reopen("秘书", mid, Step.GROUP, "M01", "更正推荐意见")
    assert err.value.rule == "step.reopen_after_ballot"


def test_demo_finishes_all_ten_steps(demo_at: MakeApp) -> None:
    app, mid = demo_at(Step.PUBLICITY)
    status = app.procedure.status(mid)
    assert all(s.done for s in status)
    info = app.views.meeting(mid)
    assert info.finished and info.publicity_start is not None
    outcomes = {c.code: (c.outcome, c.reason) for c in app.views.candidates(mid)}
    assert outcomes["C011"] == ("failed", "ineligible")
    assert outcomes["C015"] == ("failed", "quota")
    assert outcomes["C024"] == ("passed", None)
    assert outcomes["C029"] == ("failed", "pass_rate_cap")
    assert sum(1 for o, _ in outcomes.values() if o == "passed") == 24
    assert all(c.signed_by for c in app.views.candidates(mid))


def test_failed_candidate_cannot_come_back_the_same_year(demo_at: MakeApp) -> None:
    from app.services.setup import CandidateInput, PlanInput

    app, mid = demo_at(Step.PUBLICITY)
    failed = next(c for c in app.views.candidates(mid) if c.reason == "below_threshold")
    import datetime as dt
    second = app.setup.open_meeting(1, PlanInput(
        year=2026, title="2026年度第二次评审", place="会议室", plan_filed=dt.date(2026, 11, 2),
        meeting_date=dt.date(2026, 12, 15), rubric=[("工作业绩", 100)], secretary="秘书")).meeting_id
    with pytest.raises(RuleViolation) as err:
        app.setup.add_candidates("秘书", second, [CandidateInput(
            failed.code, failed.name, failed.unit, "中级", "内科", id_number=failed.id_number)])
    assert err.value.rule == "candidate.failed_this_year"


def test_setup_is_fixed_once_the_preparatory_meeting_is_over(demo_at: MakeApp) -> None:
    from app.domain import Role
    from app.services.setup import CandidateInput, MemberInput

    app, mid = demo_at(Step.PLENARY)
    with pytest.raises(RuleViolation) as err:
        app.setup.set_groups("秘书", mid, {"G1": ["P004"]})
    assert err.value.rule == "step.locked"
    with pytest.raises(RuleViolation):
        app.setup.add_members("秘书", mid, [MemberInput("X1", "某人", "某单位", "正高", Role.EXPERT)])
    with pytest.raises(RuleViolation):
        app.setup.add_candidates("秘书", mid, [CandidateInput("C999", "某人", "某单位", "中级", "内科")])
