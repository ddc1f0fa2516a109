"""Read-only views of a meeting for the command line, the documents and the GUI."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from app.domain import MeetingInfo, Step
from app.services.base import Store, fail
from app.storage.schema import candidate, committee, meeting, member


@dataclass(frozen=True)
class CandidateView:
    code: str
    name: str
    unit: str
    level: str
    specialty: str
    group: str | None
    quota_key: str | None
    id_number: str | None
    eligible: bool | None
    eligibility_reason: str | None
    reviewer: str | None
    recommendation: str | None
    plenary_conclusion: str | None
    outcome: str | None
    reason: str | None
    signed_by: str | None


@dataclass(frozen=True)
class MemberView:
    code: str
    name: str
    unit: str
    title: str
    role: str
    group: str | None
    checked_in: bool
    commitment_signed: bool


class QueryService:
    def __init__(self, store: Store) -> None:
        self.store = store

    def meetings(self) -> list[MeetingInfo]:
        with self.store.read() as conn:
            ids = conn.execute(select(meeting.c.id).order_by(meeting.c.id)).scalars().all()
        return [self.meeting(i) for i in ids]

    def only_meeting(self, meeting_id: int | None = None) -> int:
        """The meeting to act on: the one given, or the only one in the file."""
        ids = [m.id for m in self.meetings()]
        if meeting_id is not None:
            if meeting_id not in ids:
                raise fail("meeting.unknown", f"no meeting with id {meeting_id}")
            return meeting_id
        if len(ids) != 1:
            raise fail("meeting.choose", f"the database holds {len(ids)} meetings; "
                       f"choose one with --meeting ({', '.join(map(str, ids)) or 'none'})")
        return ids[0]

    def meeting(self, meeting_id: int) -> MeetingInfo:
        with self.store.read() as conn:
            row = conn.execute(select(meeting, committee.c.name.label("committee_name"),
                                      committee.c.level, committee.c.organized_by, committee.c.field)
                               .join(committee).where(meeting.c.id == meeting_id)).first()
        if row is None:
            raise fail("meeting.unknown", f"no meeting with id {meeting_id}")
        return MeetingInfo(
            id=row.id, committee=row.committee_name, level=row.level, organized_by=row.organized_by,
            field=row.field, year=row.year, title=row.title, place=row.place,
            meeting_date=row.meeting_date, current_step=Step(row.current_step), finished=row.finished,
            vote_date=row.vote_date, publicity_start=row.publicity_start, caps=dict(row.caps),
            committee_id=row.committee_id, supervisor=row.supervisor, secretary=row.secretary,
            archived_path=row.archived_path,
            publicity_objections=row.publicity_objections)

    def acting_secretary(self, meeting_id: int) -> str:
        """Who the audit trail names for actions taken at the host's screens: the meeting's
        secretary, or one fixed name (never one that changes with the display language)."""
        return self.meeting(meeting_id).secretary or "秘书 secretary"

    def candidates(self, meeting_id: int) -> list[CandidateView]:
        with self.store.read() as conn:
            reviewers = {r.id: r.code for r in conn.execute(select(member.c.id, member.c.code).where(
                member.c.meeting_id == meeting_id))}
            rows = conn.execute(select(candidate).where(candidate.c.meeting_id == meeting_id)
                                .order_by(candidate.c.id)).all()
        return [_candidate_view(r, reviewers) for r in rows]

    def members(self, meeting_id: int) -> list[MemberView]:
        with self.store.read() as conn:
            rows = conn.execute(select(member).where(member.c.meeting_id == meeting_id)
                                .order_by(member.c.id)).all()
        return [MemberView(r.code, r.name, r.unit, r.title, r.role, r.group_code, r.checked_in,
                           r.commitment_signed) for r in rows]


def _candidate_view(r: Any, reviewers: dict[int, str]) -> CandidateView:
    return CandidateView(
        code=r.code, name=r.name, unit=r.unit, level=r.level, specialty=r.specialty,
        group=r.group_code, quota_key=r.quota_key, id_number=r.id_number, eligible=r.eligible,
        eligibility_reason=r.eligibility_reason, reviewer=reviewers.get(r.reviewer_id),
        recommendation=r.recommendation, plenary_conclusion=r.plenary_conclusion,
        outcome=r.outcome, reason=r.reason, signed_by=r.signed_by)
