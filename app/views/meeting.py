"""The committee, the meeting and its annual plan (年度评审方案), with the facts the papers print:
the committee's 组建单位, 办事机构 and HR department, the plan's filing number, the publicity's
venue and the contact for objections, the staff's units and the meeting's days and hours
(empty when not recorded — the papers then leave a blank, never a guess)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, Row, bindparam, select

from app.domain import MeetingInfo, Step
from app.errors import RuleViolation
from app.rules.levels import REVIEWS, is_committee_level, plan_caps
from app.rules.meeting_days import hours_between
from app.storage.schema import committee, meeting_day, quota, rubric_item
from app.storage.schema import meeting as meeting_table
from app.storage.store import Store, snapshot_memo
from app.text import bi


@dataclass(frozen=True)
class CommitteeView:
    """A committee (评委会) as created: the start dialog offers to reuse it."""

    id: int
    name: str
    level: str
    organized_by: str
    field: str
    filing_number: str
    filing_date: dt.date
    organizer: str = ""        # 组建单位
    office: str = ""           # 办事机构
    hr_department: str = ""    # the HR department the results are filed with


@dataclass(frozen=True)
class MeetingDayView:
    """A day the meeting sits, with its hours (``"HH:MM"``)."""

    day: dt.date
    starts: str
    ends: str

    @property
    def hours(self) -> Decimal:
        return hours_between(self.starts, self.ends)


@dataclass(frozen=True)
class PlanView:
    """The committee and the annual plan (年度评审方案) of one meeting."""

    committee_id: int
    committee: str
    level: str
    organized_by: str
    field: str
    filing_number: str
    filing_date: dt.date
    year: int
    title: str
    place: str
    plan_filed: dt.date
    meeting_date: dt.date
    reduced_panel_approved: bool
    rubric: tuple[tuple[str, int], ...]
    caps: dict[str, str]               # the caps the plan applies to the levels it reviews, defaults included
    quotas: dict[str, int]
    supervisor: str
    secretary: str
    commitment_reader: str | None
    quorum: str = "2/3"                 # share of the panel's experts present for a ballot round to open
    organizer: str = ""                 # the committee's 组建单位
    office: str = ""                    # its 办事机构
    hr_department: str = ""             # the HR department it files with
    plan_filing_number: str = ""        # 评审方案备案文号
    publicity_where: str = ""           # 公示网站或地点
    objection_contact: str = ""         # 受理异议的部门或联系人
    objection_phone: str = ""           # 受理异议的电话
    days: tuple[MeetingDayView, ...] = ()   # none recorded: one day (the meeting date), hours unknown
    secretary_unit: str = ""
    supervisor_unit: str = ""
    # the unit and post each quota is bound to (None, None: unbound), X§10(七)
    quota_bindings: dict[str, tuple[str | None, str | None]] = dataclasses.field(default_factory=dict)


def unknown_meeting(meeting_id: int) -> RuleViolation:
    return RuleViolation.single("meeting.unknown", bi(f"no meeting with id {meeting_id}",
                                                      f"没有编号为 {meeting_id} 的会议"))


#: Built once: building a select of the meeting's forty columns (and its cache key) on each call
#: cost several times running it, and every count and check of the ballot reads the meeting.
_MEETING_ROW = select(meeting_table).where(meeting_table.c.id == bindparam("meeting_id"))


def meeting_row_on(conn: Connection, meeting_id: int) -> Row[Any]:
    """The meeting's row (read once per read snapshot: :func:`~app.storage.store.snapshot_memo`)."""
    memo = snapshot_memo(conn)
    row = memo.get(("meeting", meeting_id)) if memo is not None else None
    if row is None:
        row = conn.execute(_MEETING_ROW, {"meeting_id": meeting_id}).first()
        if row is None:
            raise unknown_meeting(meeting_id)
        if memo is not None:
            memo[("meeting", meeting_id)] = row
    return row


def meeting_ids(store: Store) -> list[int]:
    with store.read() as conn:
        return list(conn.execute(select(meeting_table.c.id).order_by(meeting_table.c.id)).scalars())


def meetings(store: Store) -> list[MeetingInfo]:
    return [meeting(store, i) for i in meeting_ids(store)]


def meeting(store: Store, meeting_id: int) -> MeetingInfo:
    with store.read() as conn:
        return meeting_on(conn, meeting_id)


def meeting_on(conn: Connection, meeting_id: int) -> MeetingInfo:
    row = conn.execute(select(meeting_table, committee.c.name.label("committee_name"), committee.c.level,
                              committee.c.organized_by, committee.c.field)
                       .join(committee).where(meeting_table.c.id == meeting_id)).first()
    if row is None:
        raise unknown_meeting(meeting_id)
    return MeetingInfo(
        id=row.id, committee=row.committee_name, level=row.level, organized_by=row.organized_by,
        field=row.field, year=row.year, title=row.title, place=row.place,
        meeting_date=row.meeting_date, current_step=Step(row.current_step), finished=row.finished,
        vote_date=row.vote_date, publicity_start=row.publicity_start, caps=dict(row.caps),
        committee_id=row.committee_id, supervisor=row.supervisor, secretary=row.secretary,
        archived_path=row.archived_path, publicity_objections=row.publicity_objections,
        supervisor_unit=row.supervisor_unit or "", secretary_unit=row.secretary_unit or "")


def only_meeting(store: Store, meeting_id: int | None = None) -> int:
    """The meeting to act on: the one given, or the only one in the file."""
    ids = meeting_ids(store)
    if meeting_id is not None:
        if meeting_id not in ids:
            raise unknown_meeting(meeting_id)
        return meeting_id
    if len(ids) != 1:
        listed = ", ".join(map(str, ids)) or "none"
        raise RuleViolation.single("meeting.choose", bi(
            f"the database holds {len(ids)} meetings; choose one with --meeting ({listed})",
            f"该数据库有{len(ids)}次会议，请用 --meeting 指定（{listed}）"))
    return ids[0]


def acting_secretary(store: Store, meeting_id: int) -> str:
    """Who the audit trail names for actions taken at the host's screens: the meeting's
    secretary, or one fixed name (never one that changes with the display language)."""
    return meeting(store, meeting_id).secretary or "秘书 secretary"


def committees(store: Store) -> list[CommitteeView]:
    """Every committee in the database (for the start dialog: reuse one already created)."""
    with store.read() as conn:
        rows = conn.execute(select(committee).order_by(committee.c.id)).all()
    return [_committee(r) for r in rows]


#: Built once, as the meeting's row: the quorum of every round's opening reads the committee.
_COMMITTEE = select(committee).where(committee.c.id == bindparam("committee_id"))


def committee_on(conn: Connection, committee_id: int) -> CommitteeView:
    return _committee(conn.execute(_COMMITTEE, {"committee_id": committee_id}).one())


def _committee(r: Row[Any]) -> CommitteeView:
    return CommitteeView(r.id, r.name, r.level, r.organized_by, r.field, r.filing_number or "", r.filing_date,
                         r.organizer or "", r.office or "", r.hr_department or "")


def meeting_days_on(conn: Connection, meeting_id: int) -> tuple[MeetingDayView, ...]:
    """The days the meeting sits and their hours, in date order (empty: none recorded)."""
    return tuple(MeetingDayView(r.day, r.starts, r.ends) for r in conn.execute(
        select(meeting_day.c.day, meeting_day.c.starts, meeting_day.c.ends).where(
            meeting_day.c.meeting_id == meeting_id).order_by(meeting_day.c.day)))


def meeting_days(store: Store, meeting_id: int) -> tuple[MeetingDayView, ...]:
    """The days the meeting sits and their hours, in date order (empty: none recorded)."""
    with store.read() as conn:
        return meeting_days_on(conn, meeting_id)


_QUOTAS = (select(quota.c.key, quota.c.places).where(quota.c.meeting_id == bindparam("meeting_id"))
           .order_by(quota.c.key))


def quotas_on(conn: Connection, meeting_id: int) -> dict[str, int]:
    """The plan's quotas (评审职数) per key (unit/post), in key order (every count reads them)."""
    return {r.key: int(r.places) for r in conn.execute(_QUOTAS, {"meeting_id": meeting_id})}


def quotas(store: Store, meeting_id: int) -> dict[str, int]:
    """The plan's quotas (评审职数) per key (unit/post), in key order."""
    with store.read() as conn:
        return quotas_on(conn, meeting_id)


@dataclass(frozen=True)
class QuotaView:
    """A quota (评审职数) of the plan: its places, and the unit and post (申报资格) it is bound to —
    ``None`` where the plan did not say (X§10(七): only that unit's candidates for that post carry it)."""

    key: str
    places: int
    unit: str | None
    post: str | None


def quota_details(store: Store, meeting_id: int) -> list[QuotaView]:
    """The plan's quotas with their unit and post, in key order."""
    with store.read() as conn:
        return quota_details_on(conn, meeting_id)


def quota_details_on(conn: Connection, meeting_id: int) -> list[QuotaView]:
    return [QuotaView(r.key, int(r.places), r.unit, r.post) for r in conn.execute(
        select(quota.c.key, quota.c.places, quota.c.unit, quota.c.post).where(
            quota.c.meeting_id == meeting_id).order_by(quota.c.key))]


def plan(store: Store, meeting_id: int) -> PlanView:
    with store.read() as conn:
        m = meeting_row_on(conn, meeting_id)
        com = committee_on(conn, m.committee_id)
        items = conn.execute(select(rubric_item.c.name, rubric_item.c.max_points).where(
            rubric_item.c.meeting_id == meeting_id).order_by(rubric_item.c.position)).all()
        details = quota_details_on(conn, meeting_id)
        days = meeting_days_on(conn, meeting_id)
    return PlanView(
        committee_id=com.id, committee=com.name, level=com.level, organized_by=com.organized_by,
        field=com.field, filing_number=com.filing_number or "", filing_date=com.filing_date,
        year=m.year, title=m.title, place=m.place, plan_filed=m.plan_filed, meeting_date=m.meeting_date,
        reduced_panel_approved=bool(m.reduced_panel_approved),
        rubric=tuple((r.name, int(r.max_points)) for r in items), caps=_applied_caps(com.level, m.caps),
        quotas={q.key: q.places for q in details}, supervisor=m.supervisor or "",
        secretary=m.secretary or "", commitment_reader=m.commitment_reader, quorum=m.quorum,
        organizer=com.organizer, office=com.office, hr_department=com.hr_department,
        plan_filing_number=m.plan_filing_number or "", publicity_where=m.publicity_where or "",
        objection_contact=m.objection_contact or "", objection_phone=m.objection_phone or "", days=days,
        secretary_unit=m.secretary_unit or "", supervisor_unit=m.supervisor_unit or "",
        quota_bindings={q.key: (q.unit, q.post) for q in details})


@dataclass(frozen=True)
class WorkSummaryTexts:
    """What people write into the work summary (评审工作总结, X§11(二)); "" where nothing is written yet."""

    experience: str = ""         # 典型经验
    improvements: str = ""       # 改进方向
    suggestions: str = ""        # 意见建议


def work_summary(store: Store, meeting_id: int) -> WorkSummaryTexts:
    with store.read() as conn:
        m = meeting_row_on(conn, meeting_id)
    return WorkSummaryTexts(m.summary_experience or "", m.summary_improvements or "", m.summary_suggestions or "")


@dataclass(frozen=True)
class FilingReportFacts:
    """The filing report's 发文字号 and 成文日期 (GB/T 9704) as recorded at step 10; "" / None: not
    recorded yet (the report leaves a line to fill by hand)."""

    number: str = ""
    date: dt.date | None = None


def filing_report(store: Store, meeting_id: int) -> FilingReportFacts:
    with store.read() as conn:
        m = meeting_row_on(conn, meeting_id)
    return FilingReportFacts(m.filing_report_number or "", m.filing_report_date)


def _applied_caps(committee_level: str, stored: dict[str, str] | None) -> dict[str, str]:
    """The pass-rate caps the allocation applies (:func:`app.rules.levels.plan_caps`: the plan's
    own, else the default of X§10(七)) for the levels this committee reviews, as written."""
    reviewed = REVIEWS.get(committee_level, ()) if is_committee_level(committee_level) else ()
    return {level: str(cap) for level, cap in plan_caps(stored).items() if level in reviewed}
