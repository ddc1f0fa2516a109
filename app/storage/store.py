"""The unit of work over one meeting database: one write = one transaction = one audit event.

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

from sqlalchemy import Connection, Engine
from sqlalchemy.exc import IntegrityError

from app.errors import RuleViolation
from app.storage import audit
from app.storage.db import open_engine
from app.text import bi


@dataclass
class Tx:
    """An open write: the connection, and the audit data the service may still add to."""

    conn: Connection
    data: dict[str, Any] = field(default_factory=dict)


class Store:
    """The meeting database and its unit of work."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self.engine: Engine = open_engine(self.path)
        #: Reads worth computing once per change (the allocation), keyed by what they depend
        #: on — the views key them by the audit trail's head, which every change moves.
        self.memo: dict[tuple[object, ...], object] = {}

    def remember(self, key: tuple[object, ...], value: object, keep: int = 16) -> None:
        """Keep ``value`` under ``key``; the oldest entries go beyond ``keep``."""
        self.memo[key] = value
        while len(self.memo) > keep:
            del self.memo[next(iter(self.memo))]

    def close(self) -> None:
        self.engine.dispose()

    @contextmanager
    def write(self, actor: str, action: str, meeting_id: int | None = None,
              **data: Any) -> Iterator[Tx]:
        if not actor or not actor.strip():
            raise RuleViolation.single("audit.actor", "every change must name who makes it")
        try:
            with self.engine.begin() as conn:
                tx = Tx(conn, dict(data))
                yield tx
                audit.append(conn, actor.strip(), action, tx.data, meeting_id)
        except IntegrityError as exc:  # a constraint the service's own checks did not foresee (a race)
            raise RuleViolation.single("storage.integrity", bi(
                f"the change conflicts with what is stored ({exc.orig}); nothing was changed",
                f"该修改与已存储的数据冲突（{exc.orig}），未作任何更改")) from exc

    @contextmanager
    def read(self) -> Iterator[Connection]:
        with self.engine.connect() as conn:
            yield conn
