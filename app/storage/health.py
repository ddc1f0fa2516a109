"""Is a meeting database sound? The start-up check, and the checks a restored file must pass.

Two questions, both answered without changing the file:

* Is the SQLite file itself intact? ``PRAGMA quick_check`` at start-up — it checks every page,
  record and index's shape but not that each index matches its table, which makes it several
  times faster than ``integrity_check`` on a provincial-size meeting; a restore, which happens
  once and replaces a meeting, runs the full ``integrity_check``.
* Is the audit trail intact? :func:`app.storage.audit.verify_chain`, the same verification as
  ``conclave verify-db``.

On a 1,500-candidate meeting both take a few tens of milliseconds (``tests/bench/bench_health.py``
prints the figure), so they run every time a meeting is opened for writing.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Connection, create_engine

from app.storage.audit import verify_chain
from app.text import Bilingual, bi


@dataclass(frozen=True)
class Health:
    """The verdict: ``problems`` in words, English and Chinese (empty when sound), and the audit
    trail's size and head."""

    problems: tuple[Bilingual, ...]
    events: int = 0
    head: str = ""

    @property
    def ok(self) -> bool:
        return not self.problems


def check_connection(conn: Connection, *, full: bool = False) -> Health:
    """Check the database behind ``conn`` (``full``: ``integrity_check`` instead of ``quick_check``)."""
    problems: list[Bilingual] = []
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
    return Health(tuple(problems), report.events, report.head)


def read_only_uri(path: Path) -> str:
    """A URI that opens ``path`` read-only and leaves nothing beside it: without a WAL file (no
    program has it open, every change is in the file) as immutable — SQLite would otherwise create
    an empty ``-wal`` and ``-shm`` beside a WAL-mode file just to read it."""
    path = Path(path).resolve()
    wal = Path(f"{path}-wal")
    return path.as_uri() + ("?mode=ro" if wal.exists() else "?mode=ro&immutable=1")


def check_file(path: Path, *, full: bool = True) -> Health:
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
            return check_connection(conn, full=full)
    finally:
        engine.dispose()
