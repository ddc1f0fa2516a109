"""The facts the papers print, captured instead of invented: the committee's 组建单位, 办事机构 and
HR department, the plan's filing number, where the result is published and who takes objections
at which telephone, the meeting's days and hours, and the staff's units — opened with the meeting,
checked with bilingual refusals, corrected with a reason and audited."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from app.domain import Step
from app.errors import RuleViolation
from app.services import Conclave
from app.services.setup import CommitteeDetails, CommitteeInput, PlanEdit, PlanInput
from app.storage.schema import audit_event
from app.views.meeting import MeetingDayView
from tests.sessions import ROUND_PASSPHRASE

D = dt.date
WHO = "李文静"
COMMITTEE = CommitteeInput("某市卫生系列中级职称评审委员会", "intermediate", "series", "卫生系列",
                           D(2024, 6, 1), "湘人社函〔2024〕118号", organizer="湘西自治州人力资源和社会保障局",
                           office="湘西自治州卫生健康委员会职称改革工作办公室",
                           hr_department="湘西自治州人力资源和社会保障局")
PLAN = PlanInput(year=2026, title="2026年度卫生系列中级职称评审", place="第三会议室",
                 plan_filed=D(2026, 11, 2), meeting_date=D(2026, 11, 20),
                 rubric=[("工作业绩", 60), ("科研成果", 40)], secretary=WHO, supervisor="周正",
                 plan_filing_number="州人社职备〔2026〕12号", publicity_where="湘西自治州卫生健康委员会门户网站",
                 objection_contact="州卫健委职改办 张敏", objection_phone="0743-8221234",
                 days=[(D(2026, 11, 21), "8:30", "12:00"), (D(2026, 11, 20), "08:00", "18:30")],
                 secretary_unit="湘西自治州卫生健康委员会职称改革工作办公室",
                 supervisor_unit="州纪委监委派驻州卫生健康委员会纪检监察组")


@pytest.fixture
def app(tmp_path: Path) -> Iterator[Conclave]:
    with Conclave(tmp_path / "m.sqlite3") as app:
        yield app


def _refused(call: Callable[[], Any]) -> RuleViolation:
    with pytest.raises(RuleViolation) as err:
        call()
    return err.value


def _rules(err: RuleViolation) -> list[str]:
    return [v.rule for v in err.violations]


def _audit(app: Conclave, action: str) -> list[dict[str, Any]]:
    with app.store.read() as conn:
        rows = conn.execute(select(audit_event.c.data).where(audit_event.c.action == action)
                            .order_by(audit_event.c.seq))
        return [json.loads(r.data) for r in rows]


def _edit(app: Conclave, mid: int, **changes: Any) -> PlanEdit:
    p = app.views.plan(mid)
    base = PlanEdit(title=p.title, place=p.place, plan_filed=p.plan_filed, meeting_date=p.meeting_date,
                    rubric=list(p.rubric), caps=p.caps, quotas=p.quotas,
                    reduced_panel_approved=p.reduced_panel_approved, quorum=p.quorum)
    return dataclasses.replace(base, **changes)


def test_the_facts_are_stored_with_the_meeting_and_shown(app: Conclave) -> None:
    mid = app.setup.open_meeting(COMMITTEE, PLAN).meeting_id
    p = app.views.plan(mid)
    assert (p.organizer, p.office, p.hr_department) == (COMMITTEE.organizer, COMMITTEE.office,
                                                        "湘西自治州人力资源和社会保障局")
    assert (p.plan_filing_number, p.publicity_where, p.objection_contact, p.objection_phone) == (
        "州人社职备〔2026〕12号", "湘西自治州卫生健康委员会门户网站", "州卫健委职改办 张敏", "0743-8221234")
    # in date order, hours written HH:MM
    assert p.days == (MeetingDayView(D(2026, 11, 20), "08:00", "18:30"),
                      MeetingDayView(D(2026, 11, 21), "08:30", "12:00"))
    assert [str(d.hours) for d in p.days] == ["10.5", "3.5"]
    assert app.views.meeting_days(mid) == p.days
    assert (p.secretary, p.secretary_unit) == (WHO, "湘西自治州卫生健康委员会职称改革工作办公室")
    info = app.views.meeting(mid)
    assert (info.supervisor, info.supervisor_unit) == ("周正", "州纪委监委派驻州卫生健康委员会纪检监察组")
    com = app.views.committees()[0]
    assert (com.organizer, com.office) == (COMMITTEE.organizer, COMMITTEE.office)


def test_a_plan_without_the_facts_stores_them_empty(app: Conclave) -> None:
    """An older caller (the bench, an import) gives none: nothing is made up."""
    bare = CommitteeInput("某市卫生系列中级职称评审委员会", "intermediate", "series", "卫生系列", D(2024, 6, 1))
    plan = PlanInput(year=2026, title="评审", place="第三会议室", plan_filed=D(2026, 11, 2),
                     meeting_date=D(2026, 11, 20), rubric=[("工作业绩", 100)], secretary=WHO)
    mid = app.setup.open_meeting(bare, plan).meeting_id
    p = app.views.plan(mid)
    assert (p.organizer, p.office, p.hr_department, p.plan_filing_number, p.publicity_where,
            p.objection_contact, p.objection_phone, p.secretary_unit, p.supervisor_unit, p.days) == (
        "", "", "", "", "", "", "", "", "", ())


@pytest.mark.parametrize(("changes", "rule", "zh"), [
    ({"objection_phone": "张老师"}, "plan.phone", "不是有效的电话号码"),
    ({"objection_phone": "0743-82"}, "plan.phone", "受理异议电话"),
    ({"days": [(D(2026, 11, 20), "8点", "18:00")]}, "plan.day_hours", "起止时间须写成"),
    ({"days": [(D(2026, 11, 20), "18:00", "08:00")]}, "plan.day_hours", "开始时间须早于结束时间"),
    ({"days": [(D(2026, 11, 20), "25:00", "26:00")]}, "plan.day_hours", "起止时间须写成"),
    ({"days": [(D(2026, 11, 20), "08:00", "12:00"), (D(2026, 11, 20), "14:00", "17:00")]},
     "plan.day_duplicate", "重复"),
    ({"days": [(D(2026, 11, 19), "08:00", "12:00"), (D(2026, 11, 20), "08:00", "12:00")]},
     "plan.day_range", "会议首日须为"),
    ({"days": [(D(2026, 11, 20), "08:00", "12:00"), (D(2026, 12, 20), "08:00", "12:00")]},
     "plan.day_range", "封闭评审会议最多连续7天"),
])
def test_facts_that_cannot_be_right_are_refused_in_both_languages(
        app: Conclave, changes: dict[str, Any], rule: str, zh: str) -> None:
    err = _refused(lambda: app.setup.open_meeting(COMMITTEE, dataclasses.replace(PLAN, **changes)))
    assert _rules(err) == [rule]
    assert zh in (err.violations[0].zh or "") and err.violations[0].en
    assert app.views.meetings() == []


@pytest.mark.parametrize("phone", ["0743-8221234", "(0743)8221234", "13807430000", "12333",
                                   "0743-8221234、13807430000", "0743－8221234转806", "+86 743 8221234"])
def test_plausible_telephones_are_accepted(app: Conclave, phone: str) -> None:
    mid = app.setup.open_meeting(COMMITTEE, dataclasses.replace(PLAN, objection_phone=phone)).meeting_id
    assert app.views.plan(mid).objection_phone == phone


def test_staff_units_are_set_apart_from_the_names_and_kept_when_not_given(app: Conclave) -> None:
    mid = app.setup.open_meeting(COMMITTEE, PLAN).meeting_id
    app.setup.set_staff(WHO, mid, supervisor="吴刚", secretary=WHO, supervisor_unit="州纪委监委第三纪检监察室")
    p = app.views.plan(mid)
    assert (p.supervisor, p.supervisor_unit, p.secretary_unit) == (
        "吴刚", "州纪委监委第三纪检监察室", "湘西自治州卫生健康委员会职称改革工作办公室")
    app.setup.set_staff(WHO, mid, supervisor="吴刚", secretary=WHO, supervisor_unit="", secretary_unit=None)
    p = app.views.plan(mid)
    assert (p.supervisor_unit, p.secretary_unit) == ("", "湘西自治州卫生健康委员会职称改革工作办公室")
    assert _audit(app, "meeting.staff")[0]["supervisor_unit"] == "州纪委监委第三纪检监察室"


def test_the_plan_correction_covers_the_facts_audited_and_keeps_what_it_is_not_given(app: Conclave) -> None:
    mid = app.setup.open_meeting(COMMITTEE, PLAN).meeting_id
    kept = app.setup.edit_plan(WHO, mid, _edit(app, mid, place="第四会议室"), "会场调整")
    assert set(kept) == {"place"}                        # the facts not given are kept as stored
    assert app.views.plan(mid).publicity_where == PLAN.publicity_where and len(app.views.plan(mid).days) == 2
    changed = app.setup.edit_plan(WHO, mid, _edit(
        app, mid, plan_filing_number="州人社职备〔2026〕13号", publicity_where="州人社局门户网站",
        objection_contact="州人社局专技科", objection_phone="0743-8225678",
        days=[(D(2026, 11, 20), "08:30", "17:30")]), "按备案文件更正")
    assert changed["plan_filing_number"] == ["州人社职备〔2026〕12号", "州人社职备〔2026〕13号"]
    assert changed["days"] == [[["2026-11-20", "08:00", "18:30"], ["2026-11-21", "08:30", "12:00"]],
                               [["2026-11-20", "08:30", "17:30"]]]
    p = app.views.plan(mid)
    assert (p.plan_filing_number, p.publicity_where, p.objection_contact, p.objection_phone) == (
        "州人社职备〔2026〕13号", "州人社局门户网站", "州人社局专技科", "0743-8225678")
    assert p.days == (MeetingDayView(D(2026, 11, 20), "08:30", "17:30"),)
    audited = _audit(app, "plan.edit")[-1]
    assert audited["reason"] == "按备案文件更正" and set(audited["changed"]) == {
        "plan_filing_number", "publicity_where", "objection_contact", "objection_phone", "days"}
    # a correction that keeps the days but moves the meeting: the days move with it, hours kept
    moved = app.setup.edit_plan(WHO, mid, _edit(app, mid, meeting_date=D(2026, 11, 23)), "改期")
    assert moved["days"][1] == [["2026-11-23", "08:30", "17:30"]]
    # days given that do not begin on the meeting date are refused
    err = _refused(lambda: app.setup.edit_plan(WHO, mid, _edit(
        app, mid, days=[(D(2026, 11, 24), "08:00", "12:00")]), "改期"))
    assert _rules(err) == ["plan.day_range"]
    app.setup.edit_plan(WHO, mid, _edit(app, mid, days=[]), "时间待定")
    assert app.views.plan(mid).days == ()
    assert _rules(_refused(lambda: app.setup.edit_plan(
        WHO, mid, _edit(app, mid, objection_phone="无"), "更正"))) == ["plan.phone"]


def test_the_committee_details_are_corrected_with_a_reason_and_filled_in_for_an_older_file(app: Conclave) -> None:
    bare = CommitteeInput(COMMITTEE.name, "intermediate", "series", "卫生系列", D(2024, 6, 1), COMMITTEE.filing_number)
    opened = app.setup.open_meeting(bare, PLAN)
    cid = opened.committee_id
    details = CommitteeDetails(organizer=" 湘西自治州人力资源和社会保障局 ", office="州卫健委职改办",
                               hr_department="湘西自治州人力资源和社会保障局")
    assert _rules(_refused(lambda: app.setup.edit_committee(WHO, cid, details, " "))) == ["committee.reason"]
    changed = app.setup.edit_committee(WHO, cid, details, "补录组建单位等信息")
    assert changed["organizer"] == ["", "湘西自治州人力资源和社会保障局"]
    assert app.views.plan(opened.meeting_id).office == "州卫健委职改办"
    assert _rules(_refused(lambda: app.setup.edit_committee(WHO, cid, details, "再次"))) == ["committee.unchanged"]
    assert _rules(_refused(lambda: app.setup.edit_committee(WHO, 99, details, "x"))) == ["committee.unknown"]
    assert _audit(app, "committee.edit")[0]["reason"] == "补录组建单位等信息"


def test_a_second_meeting_of_a_stored_committee_fills_in_its_empty_details_but_never_overwrites(
        app: Conclave) -> None:
    bare = dataclasses.replace(COMMITTEE, organizer="", office="", hr_department="")
    app.setup.open_meeting(bare, PLAN)
    second = app.setup.open_meeting(COMMITTEE, dataclasses.replace(PLAN, title="第二次评审"))
    assert not second.committee_created
    assert app.views.plan(second.meeting_id).office == COMMITTEE.office
    other = dataclasses.replace(COMMITTEE, office="另一个办公室")
    err = _refused(lambda: app.setup.open_meeting(other, dataclasses.replace(PLAN, title="第三次")))
    assert _rules(err) == ["committee.details_differ"] and "办事机构" in (err.violations[0].zh or "")
    assert len(app.views.meetings()) == 2


def test_the_vote_is_held_on_one_of_the_meetings_days(demo_at: Callable[[Step], tuple[Conclave, int]]) -> None:
    app, mid = demo_at(Step.PLENARY)
    present = [m.code for m in app.views.panel(mid) if m.role == "expert" and m.checked_in and not m.departed]
    chair = next(m.code for m in app.views.panel(mid) if m.role == "chair")
    err = _refused(lambda: app.voting.open_first_round(chair, mid, present, vote_date=D(2026, 11, 25),
                                                       passphrase=ROUND_PASSPHRASE))
    assert _rules(err) == ["plan.vote_day"] and "不在会议日期" in (err.violations[0].zh or "")
    app.voting.open_first_round(chair, mid, present, vote_date=D(2026, 11, 21),
                                passphrase=ROUND_PASSPHRASE)    # the second day
    assert app.views.meeting(mid).vote_date == D(2026, 11, 21)


def test_the_demo_records_every_fact_and_moves_its_days_with_the_vote_date() -> None:
    from app.demo import load_demo_data

    own, moved = load_demo_data(), load_demo_data(D(2026, 12, 10))
    assert own["plan"]["days"] == [["2026-11-20", "08:00", "18:30"], ["2026-11-21", "08:30", "12:00"]]
    assert moved["plan"]["days"] == [["2026-12-10", "08:00", "18:30"], ["2026-12-11", "08:30", "12:00"]]
    assert moved["plan"]["meeting_date"] == "2026-12-10"
    assert all(own["committee"][k] for k in ("organizer", "office", "hr_department"))
    assert all(own["plan"][k] for k in ("plan_filing_number", "publicity_where", "objection_contact",
                                        "objection_phone"))
    assert all(own["staff"][k] for k in ("secretary_unit", "supervisor_unit"))
