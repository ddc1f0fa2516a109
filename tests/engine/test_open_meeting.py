"""Opening a committee and its meeting: one service call, one transaction, one audit event,
in the name of the secretary the plan names."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.errors import RuleViolation
from app.services import Conclave
from app.services.setup import CommitteeInput, PlanInput
from app.storage.schema import audit_event, committee, meeting, rubric_item, step_state
from app.text import in_chinese

COMMITTEE = CommitteeInput("某市卫生系列中级职称评审委员会", "intermediate", "series", "卫生系列",
                           dt.date(2024, 6, 1), "湘人社函〔2024〕118号")
PLAN = PlanInput(year=2026, title="2026年度卫生系列中级职称评审", place="第三会议室",
                 plan_filed=dt.date(2026, 11, 2), meeting_date=dt.date(2026, 11, 20),
                 rubric=[("工作业绩", 60), ("科研成果", 40)], quotas={"市人民医院/主治医师": 2},
                 secretary="人事科 李文静", supervisor="纪检监察组 周强")


@pytest.fixture
def app(tmp_path: Path) -> Iterator[Conclave]:
    with Conclave(tmp_path / "m.sqlite3") as app:
        yield app


def _count(app: Conclave, table: object) -> int:
    with app.store.read() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())  # type: ignore[arg-type]


def _events(app: Conclave) -> list[tuple[str, str, int | None]]:
    with app.store.read() as conn:
        rows = conn.execute(select(audit_event.c.actor, audit_event.c.action, audit_event.c.meeting_id)
                            .order_by(audit_event.c.seq)).all()
    return [tuple(r) for r in rows]  # type: ignore[misc]


def _refused(call: object) -> RuleViolation:
    with pytest.raises(RuleViolation) as err:
        call()  # type: ignore[operator]
    return err.value


def test_committee_and_meeting_are_one_change_in_the_secretarys_name(app: Conclave) -> None:
    opened = app.setup.open_meeting(COMMITTEE, PLAN)
    assert opened.committee_created
    assert _events(app) == [("人事科 李文静", "meeting.open", opened.meeting_id)]
    info = app.views.meeting(opened.meeting_id)
    assert (info.committee, info.committee_id, info.level) == (COMMITTEE.name, opened.committee_id, "intermediate")
    assert (info.secretary, info.supervisor, info.current_step) == ("人事科 李文静", "纪检监察组 周强", 1)
    assert (_count(app, rubric_item), _count(app, step_state)) == (2, 10)


def test_a_plan_without_a_secretary_is_refused_and_nothing_is_stored(app: Conclave) -> None:
    err = _refused(lambda: app.setup.open_meeting(COMMITTEE, dataclasses.replace(PLAN, secretary="  ")))
    assert err.rule == "plan.secretary" and "会务工作人员" in in_chinese(err.violations[0].message)
    assert (_count(app, committee), _count(app, meeting), _events(app)) == (0, 0, [])


def test_a_refused_plan_leaves_no_committee_behind(app: Conclave) -> None:
    late = dataclasses.replace(PLAN, plan_filed=dt.date(2026, 11, 16))
    lapsed = dataclasses.replace(COMMITTEE, filing_date=dt.date(2022, 6, 1), level="national")
    err = _refused(lambda: app.setup.open_meeting(lapsed, late))
    assert [v.rule for v in err.violations] == ["format.value", "committee.filing_lapsed", "plan.filed_late"]
    assert (_count(app, committee), _count(app, meeting), _events(app)) == (0, 0, [])


def test_a_year_the_calendar_does_not_know_is_a_refusal_not_a_crash(app: Conclave) -> None:
    plan = dataclasses.replace(PLAN, year=2031, plan_filed=dt.date(2031, 3, 2), meeting_date=dt.date(2031, 3, 20))
    committee_2030 = dataclasses.replace(COMMITTEE, filing_date=dt.date(2030, 1, 6))
    err = _refused(lambda: app.setup.open_meeting(committee_2030, plan))
    assert err.rule == "calendar.unknown_year" and _count(app, committee) == 0


def test_an_identical_committee_is_reused_a_different_one_with_its_name_refused(app: Conclave) -> None:
    first = app.setup.open_meeting(COMMITTEE, PLAN)
    second = app.setup.open_meeting(COMMITTEE, dataclasses.replace(PLAN, title="2026年度第二次评审"))
    assert (second.committee_id, second.committee_created) == (first.committee_id, False)
    other = dataclasses.replace(COMMITTEE, organized_by="specialty")
    err = _refused(lambda: app.setup.open_meeting(other, PLAN))
    assert err.rule == "committee.duplicate" and _count(app, meeting) == 2


def test_a_meeting_of_a_stored_committee_by_its_id(app: Conclave) -> None:
    first = app.setup.open_meeting(COMMITTEE, PLAN)
    again = app.setup.open_meeting(first.committee_id, dataclasses.replace(PLAN, secretary="人事科 王海"))
    assert again.committee_id == first.committee_id and not again.committee_created
    assert _events(app)[-1] == ("人事科 王海", "meeting.open", again.meeting_id)
    assert _refused(lambda: app.setup.open_meeting(99, PLAN)).rule == "committee.unknown"
    lapsed = dataclasses.replace(PLAN, meeting_date=dt.date(2027, 7, 1), plan_filed=dt.date(2026, 12, 1))
    assert "committee.filing_lapsed" in [v.rule for v in _refused(
        lambda: app.setup.open_meeting(first.committee_id, lapsed)).violations]
