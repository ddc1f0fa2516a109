"""Opening a meeting database: SQLite with the pragmas the design requires.

* ``journal_mode=WAL`` and ``synchronous=FULL``: a power cut never loses a
  committed transaction and never corrupts the file.
* ``foreign_keys=ON``: no orphan rows.
* ``secure_delete=ON``: freed pages are zeroed, so deleted or moved data (a
  ballot rewritten at round close) does not linger in the file.
* The schema is versioned in ``meta.schema_version``. An older file is upgraded
  in one transaction after a ``VACUUM INTO`` backup beside it; a newer file is
  refused with a clear message instead of being damaged.
* Opening reads the version in a deferred transaction — a read never waits for the write
  lock, so a file another program is writing opens at once — and a busy database is told
  as busy (:func:`app.storage.lock.in_use`), never as "not a Conclave meeting database".
  ``read_only=True`` (the read-only commands) sets ``query_only`` and neither creates nor
  upgrades anything (:class:`NeedsUpgrade` asks the caller to upgrade through a writer).
"""

from __future__ import annotations

import functools
import sqlite3
from collections.abc import Callable
from contextlib import closing
from pathlib import Path
from typing import Any

import platformdirs
from sqlalchemy import (
    Connection,
    Engine,
    bindparam,
    create_engine,
    create_mock_engine,
    event,
    insert,
    select,
    text,
    update,
)
from sqlalchemy.exc import OperationalError

from app.errors import RuleViolation
from app.storage import heads
from app.storage.audit import driver
from app.storage.lock import in_use, is_busy
from app.storage.schema import (
    SCHEMA_VERSION,
    calendar_year,
    candidate_withdrawal,
    draw_history,
    meeting_day,
    meta,
    metadata,
    sealed_ballot,
    station,
    station_entry,
    voided_round,
)
from app.text import bi

APP_NAME = "Conclave"

# version n -> function that upgrades a version n file to n + 1, inside one transaction.
Migration = Callable[[Connection], None]


def _add_calendar_year(conn: Connection) -> None:
    """Schema 1 → 2: the table of calendar years entered by the user (empty in an older file)."""
    calendar_year.create(conn, checkfirst=True)


def _corrections(conn: Connection) -> None:
    """Schema 2 → 3: corrections before step 1 and the ballot's quorum: the plan's quorum
    (``meeting.quorum``, default 2/3), a 资深中级 expert's HR approval (``pool_expert.hr_approval``),
    earlier draws replaced by a re-draw (``draw_history``) and withdrawn candidates
    (``candidate_withdrawal``)."""
    conn.exec_driver_sql("ALTER TABLE meeting ADD COLUMN quorum VARCHAR DEFAULT '2/3' NOT NULL")
    conn.exec_driver_sql("ALTER TABLE pool_expert ADD COLUMN hr_approval VARCHAR")
    draw_history.create(conn, checkfirst=True)
    candidate_withdrawal.create(conn, checkfirst=True)


_FACTS = {
    "committee": ("organizer VARCHAR", "office VARCHAR", "hr_department VARCHAR"),
    "meeting": ("plan_filing_number VARCHAR", "secretary_unit VARCHAR", "supervisor_unit VARCHAR",
                "publicity_where VARCHAR", "objection_contact VARCHAR", "objection_phone VARCHAR",
                "vote_presider VARCHAR", "summary_experience TEXT", "summary_improvements TEXT",
                "summary_suggestions TEXT"),
    "quota": ("unit VARCHAR", "post VARCHAR"),
    "pool_expert": ("phone VARCHAR", "category VARCHAR"),
    "draw": ("drawn_at VARCHAR",),
    "draw_history": ("drawn_at VARCHAR",),
    "member": ("leader BOOLEAN DEFAULT 0 NOT NULL",),
    "candidate": ("applied_title VARCHAR", "education VARCHAR", "current_title VARCHAR",
                  "current_title_date DATE", "years_in_post INTEGER", "exceptional BOOLEAN"),
    "interview": ("result TEXT",),
}


def _facts(conn: Connection) -> None:
    """Schema 3 → 4: the facts the papers print, captured instead of invented — the committee's
    组建单位, 办事机构 and the HR department it files with; the plan's filing number, the staff's
    units, where the publicity is posted and who takes objections, who presided at the vote, the
    work summary's texts and the meeting's days and hours (``meeting_day``); quota places bound
    to a unit and a post; an expert's telephone and honoraria category; the draw's time (taken
    from the audit trail for a draw already run); group leaders; a candidate's 申报资格 and the
    facts the eligibility re-check looks at; the interview result told to the candidate. Every
    new column is empty in an older file: the window asks for what the papers need."""
    for table, columns in _FACTS.items():
        # a table an earlier step created from today's schema (draw_history) has them already
        present = {r[1] for r in conn.exec_driver_sql(f"PRAGMA table_info({table})")}
        for column in columns:
            if column.split()[0] not in present:
                conn.exec_driver_sql(f"ALTER TABLE {table} ADD COLUMN {column}")
    meeting_day.create(conn, checkfirst=True)
    conn.exec_driver_sql(
        "UPDATE draw SET drawn_at = (SELECT max(at) FROM audit_event e WHERE e.meeting_id = draw.meeting_id "
        "AND e.action IN ('draw.run', 'draw.rerun'))")


_FILING_REPORT = ("filing_report_number VARCHAR", "filing_report_date DATE")


def _filing_report(conn: Connection) -> None:
    """Schema 4 → 5: the filing report's 发文字号 and 成文日期 (GB/T 9704), captured at step 10 — both
    empty in an older file, where the report leaves them to fill by hand (never a made-up number or day)."""
    present = {r[1] for r in conn.exec_driver_sql("PRAGMA table_info(meeting)")}
    for column in _FILING_REPORT:
        if column.split()[0] not in present:
            conn.exec_driver_sql(f"ALTER TABLE meeting ADD COLUMN {column}")


def _sealed_box(conn: Connection) -> None:
    """Schema 5 → 6: the sealed ballot box of an open round (``sealed_ballot``) and the round's key
    (``ballot_round.seal``). A round opened by an older version has no key: its ballots stay in
    ``ballot`` as that version cast them, and it closes as before."""
    present = {r[1] for r in conn.exec_driver_sql("PRAGMA table_info(ballot_round)")}
    if "seal" not in present:
        conn.exec_driver_sql("ALTER TABLE ballot_round ADD COLUMN seal JSON")
    sealed_ballot.create(conn, checkfirst=True)


def _stations(conn: Connection) -> None:
    """Schema 6 → 7: the expert terminals paired over the LAN (``station``) and the ledger of their
    entries (``station_entry``) — both empty in an older file."""
    station.create(conn, checkfirst=True)
    station_entry.create(conn, checkfirst=True)


def _voided_rounds(conn: Connection) -> None:
    """Schema 7 → 8: the rounds voided unopened (``voided_round``) — empty in an older file."""
    voided_round.create(conn, checkfirst=True)


MIGRATIONS: dict[int, Migration] = {1: _add_calendar_year, 2: _corrections, 3: _facts, 4: _filing_report,
                                    5: _sealed_box, 6: _stations, 7: _voided_rounds}


def default_db_path() -> Path:
    """The meeting database in the user's data folder (``--db`` overrides it)."""
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)) / "conclave.sqlite3"


def no_database_at(path: Path) -> bool:
    """Whether there is no meeting database at ``path``: nothing there, or an empty file — SQLite
    would make a new database of an empty file, and a command on an existing meeting (documents, the
    key, a calendar year, a backup) must not leave one behind when it is then refused."""
    try:
        return path.stat().st_size == 0
    except OSError:
        return True


def require_database(path: Path) -> None:
    """Refuse (:func:`no_database`) a command on an existing meeting when :func:`no_database_at` ``path``."""
    if no_database_at(path):
        raise no_database(path)


def no_database(path: Path | str) -> RuleViolation:
    """The refusal for a meeting database that is not there (``storage.missing``)."""
    return RuleViolation.single("storage.missing", bi(f"no meeting database at {path}", f"{path}处没有会议数据库"))


#: How long a statement waits for another connection's lock before SQLite says "busy" (then
#: :func:`~app.storage.lock.in_use`): longer than any one service call holds it.
BUSY_TIMEOUT_MS = 10_000


def _on_connect_read_only(dbapi_conn: sqlite3.Connection, _record: object) -> None:
    # No journal_mode switch (the file is WAL already; the switch would write its header).
    dbapi_conn.isolation_level = None
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA query_only=ON")
    cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cur.close()


class NeedsUpgrade(Exception):
    """A read-only open found a file of an older schema: a writer must upgrade it first."""


def _on_connect(dbapi_conn: sqlite3.Connection, _record: object) -> None:
    # Let SQLAlchemy, not the driver, manage transactions (pysqlite's legacy mode
    # would otherwise begin them late and break SAVEPOINT / BEGIN IMMEDIATE).
    dbapi_conn.isolation_level = None
    cur = dbapi_conn.cursor()
    cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    # Asking is free; switching takes the write lock even when the file is WAL already (so a
    # file another program was writing could not be opened at all).
    if cur.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
        cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=FULL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA secure_delete=ON")
    cur.close()


#: Execution option of a read-only connection: its transaction is a snapshot, not the write lock.
READ_ONLY = "conclave_read_only"


def _on_begin(conn: Connection) -> None:
    # A write takes the write lock at the start: two writers never interleave a service call.
    # A read begins a deferred transaction: one consistent snapshot, and it never blocks a writer.
    # Sent to the SQLite connection itself (every read and write begins here; through SQLAlchemy's
    # execution, with its events and result, the statement cost several times what SQLite takes).
    # A busy BEGIN IMMEDIATE is then the driver's OperationalError: the store and the opening
    # tell both kinds as busy (app.storage.lock.is_busy).
    options = conn.get_execution_options()
    if options.get("isolation_level") != "AUTOCOMMIT":
        driver(conn).execute("BEGIN" if options.get(READ_ONLY) else "BEGIN IMMEDIATE")


def open_engine(path: Path | str, read_only: bool = False) -> Engine:
    """An engine on ``path`` with the pragmas above; creates or upgrades the schema (not with
    ``read_only``: then the file must exist and be of this schema, else :class:`NeedsUpgrade`)."""
    return opened(path, read_only)[0]


def opened(path: Path | str, read_only: bool = False) -> tuple[Engine, int | None]:
    """:func:`open_engine`, and the schema version the file had before it was opened: None for a new
    file (the opening reads it anyway — a writer that asks whether it upgraded the file need not
    open the file once more to read it)."""
    path = Path(path)
    if read_only and not path.is_file():
        raise no_database(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    _refuse_another_programs(path)
    # Connections may be used from a worker thread (the GUI runs long work off the UI thread);
    # BEGIN IMMEDIATE and busy_timeout serialise writers.
    engine = create_engine(f"sqlite:///{path}", connect_args={"check_same_thread": False})
    event.listen(engine, "connect", _on_connect_read_only if read_only else _on_connect)
    event.listen(engine, "begin", _on_begin)
    try:
        found = _prepare(engine, path, read_only)
    except Exception as exc:
        engine.dispose()
        if is_busy(exc):                  # creating or upgrading a file another program is writing
            raise in_use(path) from exc
        raise
    return engine, found


def _refuse_another_programs(path: Path) -> None:
    """Another program's SQLite file (File › Open on the wrong file) is refused before anything
    touches it — not even the switch to WAL, which rewrites the file's header."""
    if not path.is_file() or path.stat().st_size == 0:
        return
    try:
        with closing(sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)) as peek:
            names = {r[0] for r in peek.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    except sqlite3.DatabaseError:
        return                       # not a database at all: refused as unreadable below
    if names and "meta" not in names:
        raise RuleViolation.single("storage.unreadable", bi(
            f"{path} is another program's database, not a Conclave meeting database; nothing was written to it",
            f"{path}是其他程序的数据库，不是本系统的会议数据库；未对其作任何写入"))


#: Built once: every meeting opened reads its version, and one opened for writing asks whether a
#: compaction is pending (:func:`compaction_pending`).
_HAS_META = text("SELECT 1 FROM sqlite_master WHERE type='table' AND name='meta'")
_META = select(meta.c.value).where(meta.c.key == bindparam("key"))


def schema_version(conn: Connection) -> int | None:
    """The file's schema version, or None for an empty (new) file."""
    has_meta = conn.execute(_HAS_META).first()
    if not has_meta:
        return None
    value = conn.execute(_META, {"key": "schema_version"}).scalar()
    return int(value) if value is not None else None


def _prepare(engine: Engine, path: Path, read_only: bool = False) -> int | None:
    """Create or upgrade the schema as :func:`open_engine` says; the version the file had (None: new)."""
    try:
        with engine.connect().execution_options(**{READ_ONLY: True}) as conn, conn.begin():
            version = schema_version(conn)
    except Exception as exc:  # not a database, encrypted, truncated… or busy
        if is_busy(exc):
            raise in_use(path) from exc
        raise RuleViolation.single(
            "storage.unreadable", bi(f"{path} is not a Conclave meeting database ({exc.__class__.__name__})",
                                     f"{path}不是本系统的会议数据库（{exc.__class__.__name__}）")
        ) from exc
    if read_only and (version is None or version < SCHEMA_VERSION):
        if version is None:
            raise no_database(path)
        raise NeedsUpgrade(path)
    if version is None:
        with engine.begin() as conn:
            create_schema(conn)
            conn.execute(insert(meta), [
                {"key": "schema_version", "value": str(SCHEMA_VERSION)},
                {"key": "audit_head", "value": "0:" + "0" * 64},
            ])
        return None
    if version > SCHEMA_VERSION:
        raise RuleViolation.single(
            "storage.newer",
            bi(f"{path} was written by a newer Conclave (schema {version}, this one reads up to "
               f"{SCHEMA_VERSION}); open it with that version",
               f"{path}由更新版本的本系统写入（数据结构第{version}版，本版本最高只能读取第{SCHEMA_VERSION}版）；"
               "请用该版本打开"),
        )
    if version < SCHEMA_VERSION:
        upgrade(engine, path, version)
    return version


@functools.cache
def schema_ddl() -> tuple[str, ...]:
    """The statements ``metadata.create_all`` runs on an empty file, in its order, compiled once per
    process: compiling the DDL of every table again for each new meeting file, and asking SQLite
    about each table first, cost three times running the statements."""
    made: list[str] = []

    def collect(ddl: Any, *_args: Any, **_kwargs: Any) -> None:
        made.append(str(ddl.compile(dialect=mock.dialect)))

    mock = create_mock_engine("sqlite://", collect)
    metadata.create_all(mock, checkfirst=False)
    return tuple(made)


def create_schema(conn: Connection) -> None:
    """Create today's tables in a new file, inside the caller's transaction: :func:`schema_ddl` on
    an empty file; ``create_all`` (which skips the tables already there) on a file that has some."""
    raw = driver(conn)
    if raw.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]:
        metadata.create_all(conn)
        return
    for statement in schema_ddl():
        raw.execute(statement)


def upgrade(engine: Engine, path: Path, version: int) -> Path:
    """Upgrade an older file step by step after backing it up; returns the backup path."""
    backup_path = path.with_name(f"{path.name}.schema{version}.bak")
    backup(engine, backup_path)
    with engine.begin() as conn:
        while version < SCHEMA_VERSION:
            step = MIGRATIONS.get(version)
            if step is None:
                raise RuleViolation.single(
                    "storage.upgrade", bi(f"no upgrade from schema {version}; the backup is {backup_path}",
                                          f"无法从数据结构第{version}版升级；升级前的备份在{backup_path}")
                )
            step(conn)
            version += 1
        conn.execute(update(meta).where(meta.c.key == "schema_version").values(value=str(version)))
    return backup_path


def backup(engine: Engine, dest: Path) -> Path:
    """A consistent copy with ``VACUUM INTO`` (never a raw file copy of a live WAL database), with
    the heads file beside it (:mod:`app.storage.heads`) up to the copy's own head."""
    dest = Path(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    if dest.exists():
        dest.unlink()
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.exec_driver_sql("VACUUM INTO ?", (str(dest),))
    source = engine.url.database
    if source:
        with closing(sqlite3.connect(dest.resolve().as_uri() + "?mode=ro", uri=True)) as peek:
            row = peek.execute("SELECT value FROM meta WHERE key = 'audit_head'").fetchone()
        heads.copy(source, dest, upto=int(row[0].partition(":")[0]) if row else 0)
    return dest


#: ``meta`` key present while a closed round's compaction has not completed — another program held
#: the file (a reader's snapshot keeps the WAL from being emptied, a writer's lock keeps VACUUM
#: out), or the process died inside it. Written in the close's own transaction, removed only after
#: a complete compaction; :func:`compact_if_pending` runs it at the next open for writing.
COMPACTION_PENDING = "compaction_pending"

#: How long compaction waits for another program's lock or snapshot before it gives up for now.
COMPACT_BUSY_MS = 1_000


def compact(engine: Engine, busy_ms: int | None = None) -> bool:
    """Rebuild the file (``VACUUM``) and empty the WAL (``wal_checkpoint(TRUNCATE)``): the physical
    order of rows and pages no longer reflects the order of writing, and no old page lingers in
    the WAL. True when both completed; False when another program's reader or writer kept them
    from completing — then :data:`COMPACTION_PENDING` stays and nothing is claimed. SQLite's
    checkpoint does not raise when a reader blocks it (it reports ``busy`` in its result row):
    that row is read, never assumed."""
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.exec_driver_sql(f"PRAGMA busy_timeout={COMPACT_BUSY_MS if busy_ms is None else busy_ms}")
        try:
            conn.exec_driver_sql("VACUUM")
            row = conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)").first()
            if row is None or row[0]:
                return False
            conn.exec_driver_sql("DELETE FROM meta WHERE key = ?", (COMPACTION_PENDING,))
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            return True
        except OperationalError as exc:
            if is_busy(exc):
                return False
            raise
        finally:
            conn.exec_driver_sql(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")


def compaction_pending(conn: Connection) -> bool:
    """Whether a closed round's compaction is still to be done (:data:`COMPACTION_PENDING`)."""
    return conn.execute(_META, {"key": COMPACTION_PENDING}).first() is not None


def mark_compaction_pending(conn: Connection) -> None:
    """Inside a write: record durably that this change must be followed by a compaction."""
    conn.exec_driver_sql("INSERT OR REPLACE INTO meta (key, value) VALUES (?, '1')", (COMPACTION_PENDING,))


def compact_if_pending(engine: Engine) -> bool | None:
    """At the open of a file for writing, before anything else: finish a compaction a closed round
    left pending (another program held the file, or the process died inside it). None when none
    was pending, else whether it completed now (if not, it stays pending for the next open)."""
    with engine.connect().execution_options(**{READ_ONLY: True}) as conn, conn.begin():
        pending = compaction_pending(conn)
    return compact(engine) if pending else None
