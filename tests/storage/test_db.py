"""The database file: pragmas, schema versions, upgrades, backups."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import Connection, text

from app.errors import RuleViolation
from app.storage import db
from app.storage.db import backup, open_engine, schema_version
from tests.demo_templates import Templates


def test_pragmas(tmp_path: Path) -> None:
    engine = open_engine(tmp_path / "m.sqlite3")
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2        # FULL
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA secure_delete").scalar() == 1
    engine.dispose()


def test_new_file_gets_the_current_schema_version(tmp_path: Path) -> None:
    engine = open_engine(tmp_path / "m.sqlite3")
    with engine.connect() as conn:
        assert schema_version(conn) == db.SCHEMA_VERSION
    engine.dispose()


def test_a_new_file_gets_exactly_the_schema_create_all_makes(tmp_path: Path) -> None:
    """A new file's tables come from DDL compiled once per process (db.schema_ddl): the file holds
    what ``metadata.create_all`` would have made, object for object and text for text."""
    from sqlalchemy import create_engine

    from app.storage.schema import metadata

    made = tmp_path / "reference.sqlite3"
    reference = create_engine(f"sqlite:///{made}")
    with reference.begin() as conn:
        metadata.create_all(conn)
    reference.dispose()
    engine = open_engine(tmp_path / "m.sqlite3")
    listing = "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name != 'sqlite_sequence' ORDER BY rowid"
    with engine.connect() as conn:
        ours = conn.exec_driver_sql(listing).all()
    engine.dispose()
    with sqlite3.connect(made) as peek:
        theirs = peek.execute(listing).fetchall()
    peek.close()
    assert [tuple(r) for r in ours] == theirs and len(theirs) >= len(metadata.tables)


def test_a_transaction_begins_on_the_sqlite_connection_itself(tmp_path: Path) -> None:
    """Every read and write begins on the SQLite connection, not through SQLAlchemy's execution (its
    events and result cost several times the statement): SQLAlchemy sends a read's own statements
    only — and the write still holds the write lock from its start."""
    from sqlalchemy import event

    from app.storage.store import Store

    store = Store(tmp_path / "m.sqlite3")
    sent: list[str] = []
    event.listen(store.engine, "before_cursor_execute", lambda _c, _cur, statement, *_a: sent.append(statement))
    try:
        with store.read() as conn:
            conn.exec_driver_sql("SELECT 1")
        with store.write("秘书", "test.begin"):
            other = sqlite3.connect(store.path, timeout=0)
            with pytest.raises(sqlite3.OperationalError):          # the write lock is held already
                other.execute("BEGIN IMMEDIATE")
            other.close()
    finally:
        store.close()
    assert sent == ["SELECT 1"]


def test_newer_file_is_refused_not_damaged(tmp_path: Path) -> None:
    path = tmp_path / "m.sqlite3"
    engine = open_engine(path)
    with engine.begin() as conn:
        conn.execute(text("UPDATE meta SET value = '99' WHERE key = 'schema_version'"))
    engine.dispose()
    with pytest.raises(RuleViolation) as err:
        open_engine(path)
    assert err.value.rule == "storage.newer" and "schema 99" in str(err.value)


def test_older_file_is_backed_up_then_upgraded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "m.sqlite3"
    open_engine(path).dispose()

    def add_column(conn: Connection) -> None:
        conn.execute(text("ALTER TABLE committee ADD COLUMN note TEXT"))

    monkeypatch.setattr(db, "SCHEMA_VERSION", db.SCHEMA_VERSION + 1)
    monkeypatch.setitem(db.MIGRATIONS, db.SCHEMA_VERSION - 1, add_column)
    engine = open_engine(path)
    with engine.connect() as conn:
        assert schema_version(conn) == db.SCHEMA_VERSION
        cols = [r[1] for r in conn.exec_driver_sql("PRAGMA table_info(committee)")]
    engine.dispose()
    assert "note" in cols
    backup_file = path.with_name(f"{path.name}.schema{db.SCHEMA_VERSION - 1}.bak")
    assert backup_file.exists()


def test_missing_migration_is_a_clear_refusal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "m.sqlite3"
    open_engine(path).dispose()
    monkeypatch.setattr(db, "SCHEMA_VERSION", db.SCHEMA_VERSION + 1)
    with pytest.raises(RuleViolation) as err:
        open_engine(path)
    assert err.value.rule == "storage.upgrade"


def test_backup_is_a_consistent_database(tmp_path: Path) -> None:
    engine = open_engine(tmp_path / "m.sqlite3")
    copy = backup(engine, tmp_path / "copy.sqlite3")
    engine.dispose()
    other = open_engine(copy)
    with other.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
    other.dispose()


def test_a_schema_1_file_upgrades_to_corrections_and_the_quorum(tmp_path: Path) -> None:
    """A file written before the corrections (schema 1) gains the plan's quorum (2/3 for its meetings),
    the 资深中级 approval column and the tables of earlier draws and withdrawn candidates."""
    path = tmp_path / "m.sqlite3"
    engine = open_engine(path)
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO committee (name, level, organized_by, field, filing_date) "
                          "VALUES ('某评委会', 'junior', 'series', '卫生系列', '2025-01-06')"))
        conn.execute(text("INSERT INTO meeting (committee_id, year, title, place, plan_filed, meeting_date, "
                          "reduced_panel_approved, caps, fees, current_step, finished) VALUES (1, 2026, '会议', "
                          "'某地', '2026-11-02', '2026-11-20', 0, '{}', '{}', 1, 0)"))
        for column in db._FILING_REPORT:                       # schema 4
            conn.execute(text(f"ALTER TABLE meeting DROP COLUMN {column.split()[0]}"))
        conn.execute(text("DROP TABLE meeting_day"))            # schema 3
        for table, columns in db._FACTS.items():
            for column in columns:
                conn.execute(text(f"ALTER TABLE {table} DROP COLUMN {column.split()[0]}"))
        conn.execute(text("DROP TABLE calendar_year"))          # schema 2
        conn.execute(text("DROP TABLE draw_history"))           # schema 3
        conn.execute(text("DROP TABLE candidate_withdrawal"))
        conn.execute(text("ALTER TABLE meeting DROP COLUMN quorum"))
        conn.execute(text("ALTER TABLE pool_expert DROP COLUMN hr_approval"))
        conn.execute(text("DROP TABLE sealed_ballot"))              # back to schema 5
        conn.execute(text("ALTER TABLE ballot_round DROP COLUMN seal"))
        conn.execute(text("DROP TABLE station_entry"))              # back to schema 6
        conn.execute(text("DROP TABLE station"))
        conn.execute(text("DROP TABLE voided_round"))               # back to schema 7
        conn.execute(text("UPDATE meta SET value = '1' WHERE key = 'schema_version'"))
    engine.dispose()
    assert db.SCHEMA_VERSION == 8
    engine = open_engine(path)
    with engine.connect() as conn:
        assert schema_version(conn) == db.SCHEMA_VERSION
        assert conn.exec_driver_sql("SELECT leader FROM member").all() == []
        assert "applied_title" in [r[1] for r in conn.exec_driver_sql("PRAGMA table_info(candidate)")]
        assert conn.exec_driver_sql("SELECT quorum FROM meeting").scalar() == "2/3"
        assert "hr_approval" in [r[1] for r in conn.exec_driver_sql("PRAGMA table_info(pool_expert)")]
        tables = {r[0] for r in conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type='table'")}
        assert {"draw_history", "candidate_withdrawal", "meeting_day", "sealed_ballot", "station",
                "station_entry", "voided_round"} <= tables
        assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
    engine.dispose()
    assert path.with_name(f"{path.name}.schema1.bak").exists()


def test_another_programs_database_is_refused_and_left_untouched(tmp_path: Path) -> None:
    """Opening some other SQLite file (File › Open on the wrong file) refuses it, writing nothing."""
    import sqlite3

    import pytest

    from app.errors import RuleViolation

    path = tmp_path / "accounts.sqlite3"
    with sqlite3.connect(path) as other:
        other.execute("CREATE TABLE ledger (id INTEGER PRIMARY KEY, amount TEXT)")
        other.execute("INSERT INTO ledger (amount) VALUES ('12.50')")
    before = path.read_bytes()
    with pytest.raises(RuleViolation) as refused:
        open_engine(path)
    [v] = refused.value.violations
    assert v.rule == "storage.unreadable" and "其他程序的数据库" in str(v.message.zh)
    assert path.read_bytes() == before
    with sqlite3.connect(path) as other:
        assert [r[0] for r in other.execute("SELECT name FROM sqlite_master")] == ["ledger"]


def test_a_schema_3_file_holding_a_draw_gets_its_time_from_the_audit_trail(
        tmp_path: Path, demo_templates: Templates) -> None:
    """A draw run before the draw recorded its time (schema 3) gets it on the upgrade from the
    audit event that ran it (``draw.run``), in ISO 8601 UTC like the trail — never a made-up day."""
    from app.services import Conclave

    path = demo_templates.copy(0, tmp_path / "m.sqlite3")     # the demo set up: its panel drawn
    engine = open_engine(path)
    with engine.begin() as conn:
        ran = conn.exec_driver_sql("SELECT at FROM audit_event WHERE action = 'draw.run'").scalar_one()
        for column in db._FILING_REPORT:
            conn.execute(text(f"ALTER TABLE meeting DROP COLUMN {column.split()[0]}"))
        conn.execute(text("DROP TABLE meeting_day"))              # back to schema 3
        for table, columns in db._FACTS.items():
            for column in columns:
                conn.execute(text(f"ALTER TABLE {table} DROP COLUMN {column.split()[0]}"))
        conn.execute(text("DROP TABLE sealed_ballot"))              # back to schema 5
        conn.execute(text("ALTER TABLE ballot_round DROP COLUMN seal"))
        conn.execute(text("UPDATE meta SET value = '3' WHERE key = 'schema_version'"))
    engine.dispose()
    engine = open_engine(path)
    with engine.connect() as conn:
        assert schema_version(conn) == db.SCHEMA_VERSION
        assert conn.exec_driver_sql("SELECT drawn_at FROM draw").scalar_one() == ran
        assert conn.exec_driver_sql("SELECT count(*) FROM member WHERE leader").scalar_one() == 0
    engine.dispose()
    assert ran.endswith("Z") and path.with_name(f"{path.name}.schema3.bak").exists()
    with Conclave(path) as app:                              # and the views read it in 北京时间
        drawn = app.views.draw_record(1)
        assert drawn is not None and drawn.drawn_local is not None
        assert drawn.drawn_local.utcoffset() == dt.timedelta(hours=8)
        assert drawn.drawn_local.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ") == ran


def test_a_schema_4_file_gains_the_filing_reports_number_and_date_empty(tmp_path: Path) -> None:
    """Schema 4 → 5: the filing report's 发文字号 and 成文日期 arrive empty — the report leaves them to
    fill by hand, never a made-up number or day."""
    path = tmp_path / "m.sqlite3"
    engine = open_engine(path)
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO committee (name, level, organized_by, field, filing_date) "
                          "VALUES ('某评委会', 'junior', 'series', '卫生系列', '2025-01-06')"))
        conn.execute(text("INSERT INTO meeting (committee_id, year, title, place, plan_filed, meeting_date, "
                          "reduced_panel_approved, caps, fees, current_step, finished) VALUES (1, 2026, '会议', "
                          "'某地', '2026-11-02', '2026-11-20', 0, '{}', '{}', 1, 0)"))
        for column in db._FILING_REPORT:
            conn.execute(text(f"ALTER TABLE meeting DROP COLUMN {column.split()[0]}"))
        conn.execute(text("DROP TABLE sealed_ballot"))              # back to schema 5
        conn.execute(text("ALTER TABLE ballot_round DROP COLUMN seal"))
        conn.execute(text("UPDATE meta SET value = '4' WHERE key = 'schema_version'"))
    engine.dispose()
    engine = open_engine(path)
    with engine.connect() as conn:
        assert schema_version(conn) == db.SCHEMA_VERSION
        assert conn.exec_driver_sql("SELECT filing_report_number, filing_report_date FROM meeting").one() == (
            None, None)
    engine.dispose()
    assert path.with_name(f"{path.name}.schema4.bak").exists()


def test_a_schema_5_file_with_an_open_round_upgrades_and_the_round_closes_as_it_was_cast(
        tmp_path: Path, demo_templates: Templates, monkeypatch: pytest.MonkeyPatch) -> None:
    """Schema 5 → 6: the sealed box arrives empty; a round an older version opened has no key —
    its ballots, already in the clear, stay so, a new cast joins them, and it closes with no
    passphrase (there is nothing sealed to open)."""
    from app.domain import Step
    from app.services import Conclave
    from app.services import terminals as terminals_module
    from tests.sessions import CHEAP, Terminals

    # the experts' one-time codes hashed cheaply (as tests/lan and the desk tests do): 13 terminals
    # unlocked cost two deliberate scrypts each at the real cost, and the codes are not tested here
    monkeypatch.setitem(terminals_module._SCRYPT, "n", CHEAP)

    path = demo_templates.copy(Step.PLENARY, tmp_path / "m.sqlite3")

    with Conclave(path) as app:
        voters = [m.code for m in app.views.members(1) if m.role == "expert"]
    engine = open_engine(path)
    with engine.begin() as conn:                     # as version 5 opened the round and took two ballots
        conn.execute(text("DROP TABLE sealed_ballot"))
        conn.execute(text("ALTER TABLE ballot_round DROP COLUMN seal"))
        conn.execute(text("UPDATE meta SET value = '5' WHERE key = 'schema_version'"))
        conn.execute(text("INSERT INTO ballot_round (meeting_id, number, kind, candidates, voters, absent, status) "
                          "SELECT 1, 1, 'first', json_group_array(code), :voters, '[]', 'open' FROM "
                          "(SELECT code FROM candidate WHERE meeting_id = 1 ORDER BY id)"),
                     {"voters": json.dumps(voters)})
    engine.dispose()
    with Conclave(path) as app:
        rid = app.views.rounds(1)[0].id
        terminals = Terminals(app, 1)
        for voter in voters:
            terminals.cast(rid, voter, {})
        results = app.voting.close_round("M01", 1, rid)
        assert results.attending_voters == len(voters) and app.views.rounds(1)[0].status == "closed"
    assert path.with_name(f"{path.name}.schema5.bak").exists()
