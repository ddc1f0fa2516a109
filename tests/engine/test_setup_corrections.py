"""Corrections until step 1 is finished: the plan and the candidates, each audited with who and
why; every one refused, with nothing written, once the preparatory meeting is over."""

from __future__ import annotations

import dataclasses
import datetime as dt

from app.domain import Step
from app.services import Conclave
from app.services.setup import CandidateInput, PlanEdit
from app.text import in_chinese

from .conftest import MakeApp
from .events import last_event, refused

WHO = "人事科 李文静"
SET_UP = 0          # the demo meeting set up (drawn, chair, groups), step 1 not begun




def _edit(app: Conclave, mid: int, **changes: object) -> PlanEdit:
    p = app.views.plan(mid)
    base = PlanEdit(title=p.title, place=p.place, plan_filed=p.plan_filed, meeting_date=p.meeting_date,
                    rubric=list(p.rubric), caps=dict(p.caps), quotas=dict(p.quotas),
                    reduced_panel_approved=p.reduced_panel_approved, quorum=p.quorum)
    return dataclasses.replace(base, **changes)


def _candidate(app: Conclave, mid: int, code: str, **changes: object) -> CandidateInput:
    c = next(c for c in app.views.candidates(mid) if c.code == code)
    return dataclasses.replace(CandidateInput.of(c), **changes)


# -- the plan ---------------------------------------------------------------------------------------
def test_the_plan_is_corrected_with_a_reason_and_the_audit_says_what_changed(demo_at: MakeApp) -> None:
    app, mid = demo_at(SET_UP)
    edit = _edit(app, mid, title="2026年度卫生系列中级职称评审（更正）", place="市人社局第一会议室",
                 meeting_date=dt.date(2026, 11, 23), rubric=[("学历资历", 20), ("工作业绩", 50), ("科研成果", 30)],
                 caps={"中级": "0.75"}, quotas={"市人民医院/主治医师": 3, "市人民医院/主管护师": 1,
                                                 "县人民医院/主治医师": 1}, quorum="3/4")
    changed = app.setup.edit_plan(WHO, mid, edit, "方案印刷有误，按备案原件更正")
    # the meeting's days move with its date (the demo records two)
    assert set(changed) == {"title", "place", "meeting_date", "rubric", "caps", "quotas", "quorum", "days"}
    assert changed["quorum"] == ["2/3", "3/4"] and changed["caps"] == [{"中级": "0.8"}, {"中级": "0.75"}]
    plan = app.views.plan(mid)
    assert (plan.title, plan.place, plan.meeting_date, plan.quorum) == (
        "2026年度卫生系列中级职称评审（更正）", "市人社局第一会议室", dt.date(2026, 11, 23), "3/4")
    assert plan.rubric == (("学历资历", 20), ("工作业绩", 50), ("科研成果", 30)) and plan.caps == {"中级": "0.75"}
    assert plan.quotas == {"县人民医院/主治医师": 1, "市人民医院/主治医师": 3, "市人民医院/主管护师": 1}
    actor, action, data = last_event(app)
    assert (actor, action, data["reason"]) == (WHO, "plan.edit", "方案印刷有误，按备案原件更正")
    assert data["changed"]["place"] == ["市人力资源和社会保障局第三会议室", "市人社局第一会议室"]
    assert app.views.quorum(mid).needed == 10               # 3/4 of the 13 drawn experts, rounded up


def test_a_plan_correction_is_checked_as_when_the_meeting_was_opened(demo_at: MakeApp) -> None:
    app, mid = demo_at(SET_UP)
    reason = "更正"
    assert refused(app, lambda: app.setup.edit_plan(WHO, mid, _edit(app, mid, place="别处"), " ")).rule == \
        "plan.reason"
    err = refused(app, lambda: app.setup.edit_plan(WHO, mid, _edit(app, mid, caps={"中级": "0"}), reason))
    assert err.rule == "plan.caps" and "大于0" in in_chinese(err.violations[0].message)
    late = _edit(app, mid, plan_filed=dt.date(2026, 11, 17))         # 3 working days before the meeting
    assert refused(app, lambda: app.setup.edit_plan(WHO, mid, late, reason)).rule == "plan.filed_late"
    assert refused(app, lambda: app.setup.edit_plan(WHO, mid, _edit(app, mid, quorum="1/3"), reason)).rule == \
        "plan.quorum"
    assert refused(app, lambda: app.setup.edit_plan(WHO, mid, _edit(app, mid, rubric=[]), reason)).rule == \
        "plan.rubric"
    assert refused(app, lambda: app.setup.edit_plan(WHO, mid, _edit(app, mid), reason)).rule == "plan.unchanged"
    # C001 carries the quota 市人民医院/主治医师: the plan cannot drop it under them
    err = refused(app, lambda: app.setup.edit_plan(WHO, mid, _edit(app, mid, quotas={}), reason))
    assert err.rule == "plan.quota_used" and "C001" in err.violations[0].message
    assert app.views.plan(mid).place == "市人力资源和社会保障局第三会议室"


# -- candidates -------------------------------------------------------------------------------------
def test_a_typo_in_a_unit_is_corrected_and_the_gate_rechecks_the_drawn_panel(demo_at: MakeApp) -> None:
    """A unit corrected to a drawn expert's unit: the draw would not have drawn them; step 1 waits
    for a re-draw, which leaves them out."""
    app, mid = demo_at(SET_UP)
    expert = next(m for m in app.views.panel(mid) if m.role == "expert")
    changed = app.setup.edit_candidate(WHO, mid, _candidate(app, mid, "C002", unit=expert.unit), "工作单位录入有误")
    assert changed == {"unit": ["市第一人民医院", expert.unit]}
    assert next(c for c in app.views.candidates(mid) if c.code == "C002").unit == expert.unit
    _actor, action, data = last_event(app)
    assert (action, data["candidate"], data["reason"]) == ("candidate.edit", "C002", "工作单位录入有误")
    gate = app.procedure.setup_gate(mid)
    assert any(f"Drawn expert {expert.code}" in m and "re-run the draw" in m for m in gate)
    assert any("重新抽取" in in_chinese(m) for m in gate)
    assert refused(app, lambda: app.setup.check_in(WHO, mid, expert.code)).rule == "setup.incomplete"

    record = app.views.draw_record(mid)
    assert record is not None
    app.setup.redraw(WHO, mid, reason="申报人工作单位更正后，原抽取评委须回避", witness=record.witness,
                     needs=record.needs, alternates=1)
    assert expert.code not in {m.code for m in app.views.panel(mid)}
    assert not any("Drawn expert" in m for m in app.procedure.setup_gate(mid))


def test_a_candidate_is_checked_as_at_import_and_the_code_stays(demo_at: MakeApp) -> None:
    app, mid = demo_at(SET_UP)
    why = "更正"
    assert refused(app, lambda: app.setup.edit_candidate(WHO, mid, _candidate(app, mid, "C003", name="张三"),
                                                          "")).rule == "candidate.reason"
    bad_level = _candidate(app, mid, "C003", level="副高")
    assert refused(app, lambda: app.setup.edit_candidate(WHO, mid, bad_level, why)).rule == "format.value"
    bad_quota = _candidate(app, mid, "C003", quota_key="某院/某岗")
    assert refused(app, lambda: app.setup.edit_candidate(WHO, mid, bad_quota, why)).rule == "candidate.quota"
    bad_id = _candidate(app, mid, "C003", id_number="431326198903222381")
    assert refused(app, lambda: app.setup.edit_candidate(WHO, mid, bad_id, why)).rule == "candidate.id_number"
    unknown = dataclasses.replace(_candidate(app, mid, "C003"), code="C999")
    assert refused(app, lambda: app.setup.edit_candidate(WHO, mid, unknown, why)).rule == "candidate.unknown"
    assert refused(app, lambda: app.setup.edit_candidate(WHO, mid, _candidate(app, mid, "C003"), why)).rule == \
        "candidate.unchanged"


def test_a_withdrawn_candidate_leaves_the_agenda_and_stays_in_the_record(demo_at: MakeApp) -> None:
    app, mid = demo_at(SET_UP)
    before = len(app.views.candidates(mid))
    assert refused(app, lambda: app.setup.withdraw_candidate(WHO, mid, "C005", "  ")).rule == "candidate.reason"
    app.setup.withdraw_candidate(WHO, mid, "C005", "本人书面申请撤回申报")
    codes = [c.code for c in app.views.candidates(mid)]
    assert "C005" not in codes and len(codes) == before - 1          # not on the ballot, not in the caps
    [gone] = app.views.withdrawn(mid)
    assert (gone.code, gone.name, gone.unit, gone.withdrawn_by, gone.reason) == (
        "C005", "秦浩然", "县中医医院", WHO, "本人书面申请撤回申报")
    actor, action, data = last_event(app)
    assert (actor, action, data["candidate"], data["name"]) == (WHO, "candidate.withdraw", "C005", "秦浩然")
    assert "C005" not in [c["id"] for c in app.views.meeting_record(mid)["candidates"]]
    assert refused(app, lambda: app.setup.withdraw_candidate(WHO, mid, "C005", "再次")).rule == "candidate.unknown"
    # a candidate added after the draw: the agenda is open until step 1 is finished
    app.setup.add_candidates(WHO, mid, [CandidateInput("C031", "新增人", "市中心医院", "中级", "内科", group="G1")])
    assert "C031" in [c.code for c in app.views.candidates(mid)]


def test_after_step_one_the_plan_and_the_candidates_are_locked(demo_at: MakeApp) -> None:
    app, mid = demo_at(Step.PREPARATORY)
    refusals = [
        lambda: app.setup.edit_plan(WHO, mid, _edit(app, mid, place="别处"), "更正"),
        lambda: app.setup.edit_candidate(WHO, mid, _candidate(app, mid, "C002", unit="别处医院"), "更正"),
        lambda: app.setup.withdraw_candidate(WHO, mid, "C002", "撤回"),
        lambda: app.setup.add_candidates(WHO, mid, [CandidateInput("C031", "新增人", "市中心医院", "中级", "内科")]),
    ]
    for call in refusals:
        err = refused(app, call)
        assert err.rule == "step.locked" and "重新开启" in in_chinese(err.violations[0].message)
    assert app.views.withdrawn(mid) == [] and len(app.views.candidates(mid)) == 30
