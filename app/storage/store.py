"""The unit of work over one meeting database: one write = one transaction = one audit event.

Services never hand out connections; they open :meth:`Store.write` for a change
(which appends exactly one audit event before committing, or rolls everything
back) and :meth:`Store.read` for queries. A :class:`~app.errors.RuleViolation`
raised inside a write leaves the database exactly as it was.

One writer per meeting file: a store opened for writing holds the file's writer lock
(:mod:`app.storage.lock`) until :meth:`Store.close`; ``read_only=True`` takes none, refuses
every write and never waits for one. A write that meets SQLite's lock held elsewhere past
the busy timeout is the refusal ``storage.busy``, not a raw ``OperationalError``.

Every write records what it changed in its audit event (``data["changes"]``, captured by
triggers on each writing connection: :mod:`app.storage.capture`), and every commit notes the
new head in the heads file beside the database (:mod:`app.storage.heads`). A writable open of a
file whose trail does not record changes yet (written before the capture) or that was just
upgraded appends a ``chain.baseline`` event, the snapshot replay starts from. A program stopped
between a commit and the noting of its head (a power cut in that moment) left the trail one event
past the heads file: the next writable open notes that head and says so in the trail
(``chain.head_noted_late``) rather than calling the file tampered with.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, CursorResult, Engine, event
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.sql.dml import UpdateBase
from sqlalchemy.sql.expression import TableClause

from app.errors import RuleViolation
from app.storage import audit, capture, heads, replay
from app.storage.db import READ_ONLY, NeedsUpgrade, compact_if_pending, open_engine, opened
from app.storage.lock import WriterLock, in_use, is_busy
from app.storage.schema import SCHEMA_VERSION
from app.text import bi

#: The event a writable opening appends after noting the head of an event whose head was never
#: noted: the program stopped between the two (:func:`app.storage.heads.stopped_before_noting`).
HEAD_RECOVERED = "chain.head_noted_late"

#: Tables every write touches (the audit trail): not a change a screen shows.
_BOOKKEEPING = frozenset({"audit_event", "meta"})


@dataclass(frozen=True)
class Changes:
    """What committed writes changed, by table (Anki's ``OpChanges``): a screen asks
    ``changes.touches("candidate", …)`` and reloads only when what it shows changed."""

    tables: frozenset[str] = frozenset()

    def touches(self, *tables: str) -> bool:
        return not self.tables.isdisjoint(tables)

    def __or__(self, other: Changes) -> Changes:
        return Changes(self.tables | other.tables)

    def __bool__(self) -> bool:
        return bool(self.tables)


@dataclass
class Tx:
    """An open write: the connection, and the audit data the service may still add to.
    ``meeting_id`` files the event under a meeting the call itself created."""

    conn: Connection
    data: dict[str, Any] = field(default_factory=dict)
    meeting_id: int | None = None


class Store:
    """The meeting database and its unit of work."""

    def __init__(self, path: Path | str, read_only: bool = False) -> None:
        self.path = Path(path)
        self.read_only = read_only
        self._lock: WriterLock | None = None
        if read_only:
            try:
                self.engine: Engine = open_engine(self.path, read_only=True)
            except NeedsUpgrade:          # an older file: upgraded once by a writer, then read
                Store(self.path).close()
                self.engine = open_engine(self.path, read_only=True)
        else:
            self._lock = WriterLock.acquire(self.path)
            try:
                self.engine, before = opened(self.path)
                compact_if_pending(self.engine)     # a closed round's compaction left undone: first
                # the capture needs the tables: every connection from here on (made after the schema
                # was created or upgraded) gets it, and so does the one opening it used
                event.listen(self.engine, "connect", lambda dbapi, _rec: capture.install(dbapi))
                _capture_pooled(self.engine)
            except BaseException:
                self._lock.release()
                raise
        self._local = threading.local()
        event.listen(self.engine, "after_execute", _note_change)
        if not read_only:
            self._anchor(upgraded=before is not None and before < SCHEMA_VERSION)
        #: Reads worth computing once per change (the allocation), keyed by what they depend
        #: on — the views key them by the audit trail's head, which every change moves.
        self.memo: dict[tuple[object, ...], object] = {}

    def _anchor(self, upgraded: bool) -> None:
        """Start the heads file of a file that has none, and append a baseline when the trail does
        not cover the tables yet (see the module's docstring)."""
        with self.read() as conn:
            seq, digest = audit.head(conn)
            needed = replay.needs_baseline(conn, upgraded)
            prev = conn.exec_driver_sql("SELECT hash FROM audit_event WHERE seq = ?", (seq - 1,)).scalar()
        heads.start(self.path, seq, digest)
        if heads.stopped_before_noting(heads.read(self.path), seq, prev):
            heads.append(self.path, seq, digest)
            with self.write(replay.BASELINE_ACTOR, HEAD_RECOVERED, seq=seq, hash=digest):
                pass
        if needed:
            with self.write(replay.BASELINE_ACTOR, replay.BASELINE) as tx:
                tx.data.update(replay.snapshot(tx.conn))

    def remember(self, key: tuple[object, ...], value: object, keep: int = 16) -> None:
        """Keep ``value`` under ``key``; the oldest entries go beyond ``keep``."""
        self.memo[key] = value
        while len(self.memo) > keep:
            del self.memo[next(iter(self.memo))]

    def close(self) -> None:
        self.engine.dispose()
        if self._lock is not None:
            self._lock.release()

    @contextmanager
    def write(self, actor: str, action: str, meeting_id: int | None = None,
              **data: Any) -> Iterator[Tx]:
        if not actor or not actor.strip():
            raise RuleViolation.single("audit.actor", bi("every change must name who makes it",
                                                         "每项修改都须写明操作人"))
        if self.read_only:
            raise RuleViolation.single("storage.read_only", bi(
                f"{self.path} was opened read-only; nothing was changed",
                f"{self.path}以只读方式打开，未作任何更改"))
        touched: set[str] = set()
        try:
            with self.engine.begin() as conn:
                conn.info["changes"] = touched
                try:
                    capture.clear(conn)
                    tx = Tx(conn, dict(data), meeting_id)
                    yield tx
                    tx.data["changes"] = capture.take(conn)
                    head = audit.append_head(conn, actor.strip(), action, tx.data, tx.meeting_id)
                finally:
                    conn.info.pop("changes", None)
        # a constraint the service's own checks did not foresee (a race); the driver's own errors come
        # from the bookkeeping every write runs on the SQLite connection itself (audit.driver)
        except (IntegrityError, sqlite3.IntegrityError) as exc:
            cause = getattr(exc, "orig", exc)
            raise RuleViolation.single("storage.integrity", bi(
                f"the change conflicts with what is stored ({cause}); nothing was changed",
                f"该修改与已存储的数据冲突（{cause}），未作任何更改")) from exc
        except (OperationalError, sqlite3.OperationalError) as exc:
            if is_busy(exc):               # another program held the write lock past the busy timeout
                raise in_use(self.path) from exc
            raise
        heads.append(self.path, *head)
        changes = Changes(frozenset(touched - _BOOKKEEPING))
        for sink in getattr(self._local, "sinks", ()):
            sink.append(changes)

    @contextmanager
    def tracking(self) -> Iterator[list[Changes]]:
        """Collect what every write committed by this thread inside the block changed."""
        sinks: list[list[Changes]] = self._local.__dict__.setdefault("sinks", [])
        seen: list[Changes] = []
        sinks.append(seen)
        try:
            yield seen
        finally:
            sinks.remove(seen)

    @contextmanager
    def read(self) -> Iterator[Connection]:
        """A read-only snapshot. Reads nested in the same thread share it, so a screen that asks
        several views inside one ``read()`` sees one consistent state for one ``BEGIN``."""
        open_read: Connection | None = getattr(self._local, "read", None)
        if open_read is not None:
            yield open_read
            return
        with self.engine.connect().execution_options(**{READ_ONLY: True}) as conn, conn.begin():
            self._local.read = conn
            conn.info[_SNAPSHOT] = {}
            try:
                yield conn
            finally:
                conn.info.pop(_SNAPSHOT, None)
                self._local.read = None


def _capture_pooled(engine: Engine) -> None:
    """Install the capture on the connection the opening used, now that the tables are there: it is
    the pool's only one (kept, not closed and opened again with its pragmas); if the pool holds
    any other number of connections, they are all let go and new ones get the capture."""
    pool = engine.pool
    if getattr(pool, "checkedin", lambda: -1)() == 1 and getattr(pool, "checkedout", lambda: -1)() == 0:
        with engine.connect() as conn:
            capture.install(audit.driver(conn))
    else:
        engine.dispose()


#: ``Connection.info`` key of a read snapshot's memo (:func:`snapshot_memo`).
_SNAPSHOT = "conclave.snapshot"


def snapshot_memo(conn: Connection) -> dict[Any, Any] | None:
    """Rows a read snapshot has already read, for the lookups every view repeats (the meeting's row:
    a page refresh asked for it five times); None outside a read snapshot (in a write, always read
    afresh). Within one snapshot nothing it read can change, so a row read once stands."""
    memo: dict[Any, Any] | None = conn.info.get(_SNAPSHOT)
    return memo


def _note_change(conn: Connection, clause: object, *_args: object) -> None:
    """After each statement: a write (insert, update, delete) notes its table on the open write."""
    touched = conn.info.get("changes")
    if touched is not None and isinstance(clause, UpdateBase):
        table = getattr(clause, "table", None)
        if isinstance(table, TableClause):
            touched.add(table.name)


def inserted_id(result: CursorResult[Any]) -> int:
    """The primary key of the row an ``insert`` just added."""
    key = result.inserted_primary_key
    if key is None or key[0] is None:
        raise RuntimeError("the insert added no row")
    return int(key[0])
