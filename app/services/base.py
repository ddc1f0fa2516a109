"""What every service shares: the unit of work (:class:`~app.storage.store.Store`,
one service call = one transaction = one audit event) and the lookups that refuse
an unknown meeting, candidate or member, or a step that is locked or not reached."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import Connection, Row, bindparam, select

from app.domain import Step
from app.errors import RuleViolation
from app.storage.schema import candidate, meeting, member, step_state
from app.storage.store import Store, Tx
from app.text import bi
from app.views.meeting import meeting_row_on, unknown_meeting

__all__ = ["Store", "Tx", "candidate_row", "candidate_rows", "fail", "meeting_row", "member_row", "member_rows",
           "members_by_code", "require_step", "unknown_member", "written_reason"]


# -- small shared lookups -----------------------------------------------------
#: The lookups nearly every service call makes, built once: building a ``select`` of a wide row
#: and its cache key on each call cost several times running it. (The meeting's row is the views':
#: :func:`app.views.meeting.meeting_row_on`, read once per read snapshot.)
_CANDIDATE = select(candidate).where(candidate.c.meeting_id == bindparam("meeting_id"),
                                     candidate.c.code == bindparam("code"))
_CANDIDATES = select(candidate).where(candidate.c.meeting_id == bindparam("meeting_id"),
                                      candidate.c.code.in_(bindparam("codes", expanding=True)))
_MEMBER = select(member).where(member.c.meeting_id == bindparam("meeting_id"), member.c.code == bindparam("code"))
_MEMBERS = select(member).where(member.c.meeting_id == bindparam("meeting_id"),
                                member.c.code.in_(bindparam("codes", expanding=True)))
#: The meeting's current step and whether ``step`` is finished, in one statement (no row: no meeting).
_STEP = select(meeting.c.current_step, select(step_state.c.done).where(
    step_state.c.meeting_id == meeting.c.id, step_state.c.step == bindparam("step"))
    .correlate(meeting).scalar_subquery().label("done")).where(meeting.c.id == bindparam("meeting_id"))


def fail(rule: str, message: str, *, row: int | None = None, field: str | None = None,
         ref: str | None = None) -> RuleViolation:
    """A refusal: ``message`` is ``bi(english, chinese)``; ``ref`` the clause of the rules (``X§6``)."""
    return RuleViolation.single(rule, message, row=row, field=field, ref=ref)


#: The meeting's row, refused as ``meeting.unknown`` when there is none.
meeting_row = meeting_row_on


def candidate_row(conn: Connection, meeting_id: int, code: str) -> Row[Any]:
    row = conn.execute(_CANDIDATE, {"meeting_id": meeting_id, "code": code}).first()
    if row is None:
        raise _unknown_candidate(code)
    return row


def candidate_rows(conn: Connection, meeting_id: int, codes: Sequence[str]) -> list[Row[Any]]:
    """:func:`candidate_row` of each of ``codes``, in their order, in one statement (a decision for
    a batch of candidates read them one by one); the first unknown code is refused as
    :func:`candidate_row` refuses it."""
    found = {r.code: r for r in conn.execute(_CANDIDATES, {"meeting_id": meeting_id, "codes": list(codes)})}
    return _in_order(found, codes, _unknown_candidate)


def _unknown_candidate(code: str) -> RuleViolation:
    return fail("candidate.unknown", bi(f"no candidate {code!r} in this meeting", f"本次会议没有申报人 {code}"))


def member_row(conn: Connection, meeting_id: int, code: str) -> Row[Any]:
    row = conn.execute(_MEMBER, {"meeting_id": meeting_id, "code": code}).first()
    if row is None:
        raise unknown_member(code)
    return row


def unknown_member(code: str) -> RuleViolation:
    return fail("member.unknown", bi(f"no panel member {code!r} in this meeting", f"本次会议没有评委 {code}"))


def members_by_code(conn: Connection, meeting_id: int, codes: Sequence[str]) -> dict[str, Row[Any]]:
    """The rows of those of ``codes`` who are members of the meeting, read in one statement (a
    check-in or a roll of the whole panel read them one by one); an unknown code is left out."""
    return {r.code: r for r in conn.execute(_MEMBERS, {"meeting_id": meeting_id, "codes": list(codes)})}


def member_rows(conn: Connection, meeting_id: int, codes: Sequence[str]) -> list[Row[Any]]:
    """:func:`member_row` of each of ``codes``, in their order, in one statement; the first unknown
    code is refused as :func:`member_row` refuses it."""
    return _in_order(members_by_code(conn, meeting_id, codes), codes, unknown_member)


def _in_order(found: dict[str, Row[Any]], codes: Sequence[str],
              unknown: Callable[[str], RuleViolation]) -> list[Row[Any]]:
    """The rows ``found`` by code, in the order of ``codes``; the first code not found is refused."""
    missing = next((code for code in codes if code not in found), None)
    if missing is not None:
        raise unknown(missing)
    return [found[code] for code in codes]


def require_step(conn: Connection, meeting_id: int, step: Step) -> None:
    """Refuse a change that belongs to a step which is locked (done) or not reached yet."""
    m = conn.execute(_STEP, {"meeting_id": meeting_id, "step": int(step)}).first()
    if m is None:
        raise unknown_meeting(meeting_id)
    if m.done:
        raise fail("step.locked", bi(f"step {int(step)} {step.zh} ({step.en}) is finished and locked; "
                                     "the chair may reopen it with a written reason",
                                     f"第{int(step)}步“{step.zh}”已完成并锁定；如需更改，须由主任委员书面说明理由后重新开启"))
    if m.current_step < step:
        current = Step(m.current_step)
        raise fail("step.not_reached", bi(f"step {int(step)} {step.zh} has not started: the meeting is "
                                          f"at step {int(current)} {current.zh}",
                                          f"第{int(step)}步“{step.zh}”尚未开始，会议正在进行第{int(current)}步“{current.zh}”"))


def written_reason(reason: str, rule: str, what_en: str, what_zh: str) -> str:
    """The written reason a correction needs (``what``: e.g. "editing a candidate"), stripped;
    refuses a blank one with ``rule``."""
    text = (reason or "").strip()
    if not text:
        raise fail(rule, bi(f"{what_en} needs a written reason; it is kept in the audit trail",
                            f"{what_zh}须书面说明理由，理由记入审计记录"))
    return text
