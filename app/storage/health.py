"""Is a meeting database sound? The start-up check, and the checks a restored file must pass.

Two questions, both answered without changing the file:

* Is the SQLite file itself intact? ``PRAGMA quick_check`` at start-up — it checks every page,
  record and index's shape but not that each index matches its table, which makes it several
  times faster than ``integrity_check`` on a provincial-size meeting; a restore, which happens
  once and replaces a meeting, runs the full ``integrity_check``.
* Is the audit trail intact? :func:`app.storage.audit.verify_chain`, and the heads file beside the
  database (:mod:`app.storage.heads`: a trail cut short or rewritten from the start is consistent
  with itself, not with the heads noted as it was written).

On a 1,500-candidate meeting both take a few tens of milliseconds (``tests/bench/bench_health.py``
prints the figure), so they run every time a meeting is opened for writing. ``deep=True`` adds what
``conclave verify-db`` and the window's check do: the tables rebuilt from the trail and compared
(:func:`app.storage.replay.replay`) and every closed round's box recounted — it reads every event's
data, so it is not run at each opening.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Connection, create_engine

from app.storage import heads, replay
from app.storage.audit import verify_chain
from app.text import Bilingual, bi


@dataclass(frozen=True)
class Health:
    """The verdict: ``problems`` in words, English and Chinese (empty when sound), and the audit
    trail's size and head."""

    problems: tuple[Bilingual, ...]
    events: int = 0
    head: str = ""
    head_seq: int = 0
    table: str | None = None          # the table a deep check found changed outside Conclave
    replayed: bool = False            # deep: the tables were compared with the trail

    @property
    def ok(self) -> bool:
        return not self.problems


def check_connection(conn: Connection, *, full: bool = False, path: Path | None = None,
                     deep: bool = False, heads_required: bool = False) -> Health:
    """Check the database behind ``conn`` (``full``: ``integrity_check`` instead of ``quick_check``;
    ``path``: the file, whose heads file is compared with the trail — a missing heads file is a
    problem only when ``heads_required`` (``conclave verify-db``; a file from before the heads file, or a
    copy made without it, gets one at its next writable opening); ``deep``: replay and recount).
    ``conn`` must not have read yet: its snapshot is taken after the heads file is read."""
    problems: list[Bilingual] = []
    # the heads before the first read of ``conn`` pins its snapshot: every head noted by then is of
    # a committed event, in the snapshot (:mod:`app.storage.heads`)
    noted_heads = heads.read(path) if path is not None else None
    pragma = "integrity_check" if full else "quick_check"
    try:
        rows = [str(r[0]) for r in conn.exec_driver_sql(f"PRAGMA {pragma}(20)")]
    except Exception as exc:        # a page so damaged the check itself stops
        return Health((bi(f"the database file is damaged ({exc.__class__.__name__}: {exc})",
                             f"数据库文件已损坏（{exc.__class__.__name__}：{exc}）"),))
    if rows != ["ok"]:
        found = "; ".join(rows[:5])
        problems.append(bi(f"the database file is damaged: {found}", f"数据库文件已损坏：{found}"))
    try:
        report = verify_chain(conn)
    except Exception as exc:
        problems.append(bi(f"the audit trail cannot be read ({exc.__class__.__name__}: {exc})",
                           f"无法读取审计日志（{exc.__class__.__name__}：{exc}）"))
        return Health(tuple(problems))
    if not report.intact:
        problems.append(bi(f"the audit trail is not intact: {report.problem}",
                           f"审计日志不完整：第{report.first_bad_seq}条记录处被改动、删除或插入过"
                           "（不是通过本系统）"))
        return Health(tuple(problems), report.events, report.head, table="audit_event")
    seq = report.events
    if path is not None:
        chain: dict[int, str] = {int(s): str(h) for s, h in conn.exec_driver_sql("SELECT seq, hash FROM audit_event")}
        noted = heads.check(noted_heads, chain, seq) if noted_heads is not None or heads_required \
            else heads.HeadsReport(True)
        if noted.unnoted:           # events committed while the heads were read: their heads come next
            noted = heads.check(heads.read_through(path, seq), chain, seq)
        if not noted.ok and noted.problem is not None:
            problems.append(bi(f"the audit trail is not intact: {noted.problem}",
                               f"审计日志不完整：{noted.problem.zh}"))
            return Health(tuple(problems), report.events, report.head, seq, "audit_event")
    if not deep:
        return Health(tuple(problems), report.events, report.head, seq)
    result = replay.replay(conn)
    changed = result.difference or replay.recount(conn)
    if changed is not None:
        problems.append(bi(f"the data do not match the audit trail: {changed.message}",
                           f"数据与审计日志不符：{changed.message.zh}"))
        return Health(tuple(problems), report.events, report.head, seq, changed.table, result.checked)
    return Health(tuple(problems), report.events, report.head, seq, None, result.checked)


def read_only_uri(path: Path) -> str:
    """A URI that opens ``path`` read-only and leaves nothing beside it: without a WAL file (no
    program has it open, every change is in the file) as immutable — SQLite would otherwise create
    an empty ``-wal`` and ``-shm`` beside a WAL-mode file just to read it."""
    path = Path(path).resolve()
    wal = Path(f"{path}-wal")
    return path.as_uri() + ("?mode=ro" if wal.exists() else "?mode=ro&immutable=1")


def check_file(path: Path, *, full: bool = True, deep: bool = False, heads_required: bool = False) -> Health:
    """Check a database file that no program has open (a restored file before it is put in
    place), read-only: nothing in it or beside it is written, not even a WAL switch."""
    uri = read_only_uri(path)
    try:
        with closing(sqlite3.connect(uri, uri=True)) as peek:
            peek.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.DatabaseError as exc:
        return Health((bi(f"not a database ({exc})", f"不是数据库文件（{exc}）"),))
    engine = create_engine("sqlite://", creator=lambda: sqlite3.connect(uri, uri=True, check_same_thread=False))
    try:
        with engine.connect() as conn:
            return check_connection(conn, full=full, path=Path(path), deep=deep, heads_required=heads_required)
    finally:
        engine.dispose()
