"""Facts recorded during the meeting for the papers: the draw's time, the groups' leaders (组长), the
interview result told to the candidate, the reason of a group's opinion, who presided at the vote, the
work summary's texts — each stored by one audited call, refused with nothing written when it breaks a
rule, and read back through the views."""

from __future__ import annotations

import datetime as dt

import pytest

from app.domain import LOCAL_TIME, Recommendation, Step
from app.errors import RuleViolation
from app.services import Conclave
from app.text import group_zh, in_chinese
from tests.sessions import ROUND_PASSPHRASE

from .conftest import MakeApp
from .events import last_event, refused
from .test_setup_corrections import SET_UP, WHO


def _leaders(app: Conclave, mid: int) -> dict[str, str]:
    return {m.group or "": m.code for m in app.views.panel(mid) if m.leader}


def _chinese(err: RuleViolation) -> str:
    return in_chinese(err.violations[0].message)


# -- the draw's time -----------------------------------------------------------------------------
def test_the_draw_records_when_it_ran_and_a_redraw_keeps_the_earlier_time(demo_at: MakeApp) -> None:
    app, mid = demo_at(SET_UP)
    first = app.views.draw_record(mid)
    assert first is not None and first.drawn_at == "2026-11-19T01:30:00Z"      # the demo's: 09:30 北京时间
    assert first.drawn_local == dt.datetime(2026, 11, 19, 9, 30, tzinfo=LOCAL_TIME)
    before = dt.datetime.now(dt.UTC).replace(microsecond=0)
    app.setup.redraw(WHO, mid, reason="一名抽取评委与申报人存在回避关系", witness=first.witness, needs=first.needs,
                     alternates=1)
    after = dt.datetime.now(dt.UTC)
    again = app.views.draw_record(mid)
    assert again is not None and again.drawn_local is not None
    assert before <= again.drawn_local <= after                 # the real time, by the computer's clock
    assert again.drawn_local.utcoffset() == dt.timedelta(hours=8)
    [earlier] = app.views.draw_history(mid)
    assert earlier.drawn_at == first.drawn_at and earlier.drawn_local == first.drawn_local


# -- group leaders (组长) -------------------------------------------------------------------------
def test_the_chair_chooses_one_leader_per_group(demo_at: MakeApp) -> None:
    app, mid = demo_at(SET_UP)
    assert _leaders(app, mid) == {"G1": "P004", "G2": "P014", "G3": "P036"}   # as the demo's chair chose
    app.setup.set_group_leader(WHO, mid, "G1", "P007")
    assert _leaders(app, mid) == {"G1": "P007", "G2": "P014", "G3": "P036"}   # the earlier one stepped down
    assert last_event(app) == (WHO, "panel.leader", {"group": "G1", "member": "P007", "name": "蔡丽华",
                                                       "previous": ["P004"]})
    assert [m.leader for m in app.views.members(mid) if m.code in ("P007", "P004")] == [True, False]
    assert app.procedure.setup_gate(mid) == []


def test_a_leader_is_an_expert_of_that_group_and_chosen_before_step_one_ends(demo_at: MakeApp) -> None:
    app, mid = demo_at(SET_UP)
    err = refused(app, lambda: app.setup.set_group_leader(WHO, mid, "G1", "P014"))    # an expert of G2
    assert err.rule == "panel.leader_group" and err.violations[0].field == "group"
    assert _chinese(err) == "贾永红属G2组，G1组的组长须由本组评委担任"
    err = refused(app, lambda: app.setup.set_group_leader(WHO, mid, "G1", "M01"))
    assert err.rule == "panel.role" and "不能担任组长" in _chinese(err)
    assert refused(app, lambda: app.setup.set_group_leader(WHO, mid, "G9", "P004")).rule == "panel.leader_group"
    assert refused(app, lambda: app.setup.set_group_leader(WHO, mid, "G1", "P999")).rule == "member.unknown"
    assert _leaders(app, mid) == {"G1": "P004", "G2": "P014", "G3": "P036"}

    done, mid = demo_at(Step.PREPARATORY)
    assert refused(done, lambda: done.setup.set_group_leader(WHO, mid, "G1", "P007")).rule == "step.locked"


def test_a_group_named_with_its_own_zu_is_not_given_another(demo_at: MakeApp) -> None:
    """An office names its groups 护理组, 内科组: the refusals say 属护理组, never 属护理组组."""
    app, mid = demo_at(SET_UP)
    app.setup.set_groups(WHO, mid, {"护理组": ["P014"], "内科组": ["P011"]})
    err = refused(app, lambda: app.setup.set_group_leader(WHO, mid, "内科组", "P014"))
    assert _chinese(err) == "贾永红属护理组，内科组的组长须由本组评委担任"
    assert group_zh("护理") == "护理组" and group_zh("护理组") == "护理组" and group_zh(" G2 ") == "G2组"
    assert group_zh("") == ""


def test_regrouping_takes_the_leadership_away_and_the_gate_asks_again(demo_at: MakeApp) -> None:
    app, mid = demo_at(SET_UP)
    app.setup.set_groups(WHO, mid, {"G1": ["P004", "P007"]})           # nobody moves: the leader stays
    assert _leaders(app, mid)["G1"] == "P004" and app.procedure.setup_gate(mid) == []
    app.setup.set_groups(WHO, mid, {"G2": ["P004"]})                   # G1's leader moves to G2
    assert _leaders(app, mid) == {"G2": "P014", "G3": "P036"}
    assert last_event(app)[2]["leaders_stepped_down"] == ["P004"]
    gate = app.procedure.setup_gate(mid)
    assert gate == ["No leader (组长) chosen for group G1: the chair chooses one among its experts"]
    assert in_chinese(gate[0]) == "G1组尚未指定组长（由主任委员在本组评委中指定）"
    err = refused(app, lambda: app.setup.check_in(WHO, mid, "P007"))
    assert err.rule == "setup.incomplete" and "G1组尚未指定组长" in _chinese(err)
    app.setup.set_group_leader(WHO, mid, "G1", "P011")
    assert app.procedure.setup_gate(mid) == []
    app.setup.check_in(WHO, mid, "P007")


# -- the interview result (step 4) ---------------------------------------------------------------------
def test_the_interview_result_told_to_the_candidate_is_stored(demo_at: MakeApp) -> None:
    app, mid = demo_at(Step.PRIMARY_REVIEW)
    app.review.record_interview(WHO, mid, "C001", 425, True, "按时到场", result="回答切题，业绩真实")
    row = app.views.interviews(mid)["C001"]
    assert (row.seconds, row.result_told, row.note, row.result) == (425, True, "按时到场", "回答切题，业绩真实")
    assert last_event(app)[2]["result"] == "回答切题，业绩真实"
    app.review.record_interview(WHO, mid, "C001", 430, False)                  # recorded again: replaced
    assert app.views.interviews(mid)["C001"].result is None
    err = refused(app, lambda: app.review.record_interview(WHO, mid, "C001", 200, True, result="很好"))
    assert err.rule == "interview.duration"


# -- the group's reasons (step 5) -------------------------------------------------------------------------
def test_a_group_opinion_against_or_disputed_needs_its_reason(demo_at: MakeApp) -> None:
    app, mid = demo_at(Step.INTERVIEW)
    for rec in (Recommendation.REJECT, Recommendation.PLENARY):
        err = refused(app, lambda rec=rec: app.review.record_recommendation(WHO, mid, "C002", rec, "  "))
        assert err.rule == "recommendation.reason" and err.violations[0].ref == "X§10(五)"
        assert _chinese(err) == f"申报人C002：小组意见为“{rec.zh}”的，须写明理由（记入会议记录）"
    app.review.record_recommendation(WHO, mid, "C001", Recommendation.RECOMMEND)          # no reason needed
    app.review.record_recommendation(WHO, mid, "C002", Recommendation.REJECT, " 业绩佐证不足 ")
    notes = app.views.plenary_notes(mid)
    assert notes["C001"].recommendation_note is None and notes["C002"].recommendation_note == "业绩佐证不足"
    assert last_event(app)[2] == {"candidate": "C002", "recommendation": "reject", "note": "业绩佐证不足"}


# -- who presided at the vote (step 7) ------------------------------------------------------------------------
def test_the_vote_presider_is_recorded_when_the_ballot_opens(demo_at: MakeApp) -> None:
    app, mid = demo_at(Step.PLENARY)
    voters = [m.code for m in app.views.members(mid) if m.role == "expert"]
    assert app.views.vote_presider(mid) is None
    err = refused(app, lambda: app.voting.open_first_round(WHO, mid, voters, presider="P004",
                                                           passphrase=ROUND_PASSPHRASE))
    assert err.rule == "ballot.presider" and app.views.rounds(mid) == []
    assert _chinese(err) == "何桂兰不是主任委员或副主任委员；表决由主任委员主持，或由其委托的副主任委员主持"
    app.voting.open_first_round(WHO, mid, voters, presider="M02", passphrase=ROUND_PASSPHRASE)
    presider = app.views.vote_presider(mid)
    assert presider is not None and (presider.code, presider.name, presider.role) == ("M02", "司马红梅", "vice_chair")
    assert last_event(app)[2]["presider"] == "M02"


def test_step_seven_does_not_finish_without_its_presider(demo_at: MakeApp) -> None:
    app, mid = demo_at(Step.BALLOT)          # the demo's vote, presided over by the chair
    presider = app.views.vote_presider(mid)
    assert presider is not None and presider.code == "M01"

    app, mid = demo_at(Step.PLENARY)
    voters = [m.code for m in app.views.members(mid) if m.role == "expert"]
    rid = app.voting.open_first_round(WHO, mid, voters,
                                      passphrase=ROUND_PASSPHRASE)                       # nobody named yet
    assert app.views.vote_presider(mid) is None
    from tests.sessions import Terminals

    terminals = Terminals(app, mid)
    yes = {c.code: "yes" for c in app.views.candidates(mid)}
    for voter in voters:
        terminals.cast(rid, voter, yes)
    app.voting.close_round(WHO, mid, rid, passphrase=ROUND_PASSPHRASE)
    gate = app.procedure.gate(mid, Step.BALLOT)
    assert in_chinese(gate[-1]) == "尚未记录主持表决的主任委员或副主任委员"
    assert refused(app, lambda: app.procedure.complete(WHO, mid, Step.BALLOT)).rule == "step.gate"
    assert refused(app, lambda: app.voting.record_vote_presider(WHO, mid, "P004")).rule == "ballot.presider"
    app.voting.record_vote_presider(WHO, mid, "M01")
    assert last_event(app)[1:] == ("ballot.presider", {"member": "M01", "previous": None})
    assert not any("主持表决" in in_chinese(m) for m in app.procedure.gate(mid, Step.BALLOT))


def test_an_absent_presiding_member_cannot_preside_and_a_finished_vote_is_locked(demo_at: MakeApp) -> None:
    app, mid = demo_at(Step.SIGNING)
    assert refused(app, lambda: app.voting.record_vote_presider(WHO, mid, "M02")).rule == "step.locked"
    app, mid = demo_at(Step.PLENARY)
    app.setup.record_departure(WHO, mid, "M02", "临时公务离会")
    err = refused(app, lambda: app.voting.record_vote_presider(WHO, mid, "M02"))
    assert err.rule == "ballot.presider" and _chinese(err) == "司马红梅未出席会议，不能主持表决"


# -- the work summary's texts (step 10) -----------------------------------------------------------------------
def test_the_work_summary_texts_are_written_from_step_ten_on(demo_at: MakeApp) -> None:
    app, mid = demo_at(Step.SIGNING)                                   # at step 9
    err = refused(app, lambda: app.closing.record_work_summary(WHO, mid, experience="经验", improvements="",
                                                                suggestions=""))
    assert err.rule == "step.not_reached" and "第10步" in _chinese(err)

    app, mid = demo_at(Step.ARCHIVE)                                   # at step 10
    assert app.views.work_summary(mid) == type(app.views.work_summary(mid))("", "", "")
    app.closing.record_work_summary(WHO, mid, experience=" 封闭评审，全程留痕 ", improvements="",
                                    suggestions="扩充护理专业专家库")
    texts = app.views.work_summary(mid)
    assert (texts.experience, texts.improvements, texts.suggestions) == ("封闭评审，全程留痕", "", "扩充护理专业专家库")
    assert last_event(app)[1] == "summary.texts"
    err = refused(app, lambda: app.closing.record_work_summary(WHO, mid, experience="经" * 1500,
                                                                improvements="改" * 501, suggestions=""))
    assert err.rule == "filing.summary_length" and "2001字" in _chinese(err)

    app, mid = demo_at(Step.PUBLICITY)                                 # the meeting is over: still written
    assert app.views.meeting(mid).finished and app.views.work_summary(mid).experience.startswith("坚持")
    app.closing.record_work_summary(WHO, mid, experience="", improvements="", suggestions="")
    assert app.views.work_summary(mid).experience == ""


@pytest.mark.parametrize("value", ["", "unknown"])
def test_an_unknown_opinion_is_refused_before_its_reason(demo_at: MakeApp, value: str) -> None:
    app, mid = demo_at(Step.INTERVIEW)
    assert refused(app, lambda: app.review.record_recommendation(WHO, mid, "C001", value)).rule == \
        "recommendation.value"
