"""What a service call left in the audit trail: the count of events, the newest one, and a
refusal that must leave the trail as it was (nothing stored); the SQL statements a call sends."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from sqlalchemy import event, func, select

from app.errors import RuleViolation
from app.services import Conclave
from app.storage.schema import audit_event


def events(app: Conclave) -> int:
    with app.store.read() as conn:
        return int(conn.execute(select(func.count()).select_from(audit_event)).scalar_one())


def last_event(app: Conclave) -> tuple[str, str, dict[str, Any]]:
    """The newest event: (actor, action, data) — the data as the service wrote them, without the
    rows the write changed (``changes``, added by the store to every event: app.storage.capture)."""
    with app.store.read() as conn:
        row = conn.execute(select(audit_event).order_by(audit_event.c.seq.desc()).limit(1)).one()
    data = json.loads(row.data)
    data.pop("changes", None)
    return row.actor, row.action, data


def refused(app: Conclave, call: Callable[[], object]) -> RuleViolation:
    """The call is refused and writes nothing."""
    before = events(app)
    with pytest.raises(RuleViolation) as err:
        call()
    assert events(app) == before
    return err.value


@contextmanager
def statements(app: Conclave) -> Iterator[list[str]]:
    """The SQL statements SQLAlchemy sends to the meeting's file while the block runs (the audit
    event's own, run on the SQLite connection itself, are not among them)."""
    sent: list[str] = []

    def note(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        sent.append(statement)

    event.listen(app.store.engine, "before_cursor_execute", note)
    try:
        yield sent
    finally:
        event.remove(app.store.engine, "before_cursor_execute", note)
