"""The unit of work: one service call = one transaction = one audit event.

Services never hand out connections; they open :meth:`Store.write` for a change
(which appends exactly one audit event before committing, or rolls everything
back) and :meth:`Store.read` for queries. A :class:`~app.errors.RuleViolation`
raised inside a write leaves the database exactly as it was.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, Row, select

from app.domain import Step
from app.errors import RuleViolation
from app.storage import audit
from app.storage.db import open_engine
from app.storage.schema import candidate, meeting, member, step_state
from app.text import bi


@dataclass
class Tx:
    """An open write: the connection, and the audit data the service may still add to.
    ``meeting_id`` files the event under a meeting the call itself created."""

    conn: Connection
    data: dict[str, Any] = field(default_factory=dict)
    meeting_id: int | None = None


class Store:
    """The meeting database and its unit of work."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self.engine: Engine = open_engine(self.path)

    def close(self) -> None:
        self.engine.dispose()

    @contextmanager
    def write(self, actor: str, action: str, meeting_id: int | None = None,
              **data: Any) -> Iterator[Tx]:
        if not actor or not actor.strip():
            raise RuleViolation.single("audit.actor", "every change must name who makes it")
        with self.engine.begin() as conn:
            tx = Tx(conn, dict(data), meeting_id)
            yield tx
            audit.append(conn, actor.strip(), action, tx.data, tx.meeting_id)

    @contextmanager
    def read(self) -> Iterator[Connection]:
        with self.engine.connect() as conn:
            yield conn


# -- small shared lookups -----------------------------------------------------
def fail(rule: str, message: str) -> RuleViolation:
    return RuleViolation.single(rule, message)


def meeting_row(conn: Connection, meeting_id: int) -> Row[Any]:
    row = conn.execute(select(meeting).where(meeting.c.id == meeting_id)).first()
    if row is None:
        raise fail("meeting.unknown", f"no meeting with id {meeting_id}")
    return row


def candidate_row(conn: Connection, meeting_id: int, code: str) -> Row[Any]:
    row = conn.execute(select(candidate).where(
        candidate.c.meeting_id == meeting_id, candidate.c.code == code)).first()
    if row is None:
        raise fail("candidate.unknown", bi(f"no candidate {code!r} in this meeting", f"本次会议没有申报人 {code}"))
    return row


def member_row(conn: Connection, meeting_id: int, code: str) -> Row[Any]:
    row = conn.execute(select(member).where(
        member.c.meeting_id == meeting_id, member.c.code == code)).first()
    if row is None:
        raise fail("member.unknown", bi(f"no panel member {code!r} in this meeting", f"本次会议没有评委 {code}"))
    return row


def require_step(conn: Connection, meeting_id: int, step: Step) -> None:
    """Refuse a change that belongs to a step which is locked (done) or not reached yet."""
    m = meeting_row(conn, meeting_id)
    done = conn.execute(select(step_state.c.done).where(
        step_state.c.meeting_id == meeting_id, step_state.c.step == int(step))).scalar()
    if done:
        raise fail("step.locked", bi(f"step {int(step)} {step.zh} ({step.en}) is finished and locked; "
                                     "the chair may reopen it with a written reason",
                                     f"第{int(step)}步“{step.zh}”已完成并锁定；如需更改，须由主任委员书面说明理由后重新开启"))
    if m.current_step < step:
        current = Step(m.current_step)
        raise fail("step.not_reached", bi(f"step {int(step)} {step.zh} has not started: the meeting is "
                                          f"at step {int(current)} {current.zh}",
                                          f"第{int(step)}步“{step.zh}”尚未开始，会议正在进行第{int(current)}步“{current.zh}”"))
