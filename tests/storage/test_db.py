"""The database file: pragmas, schema versions, upgrades, backups."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Connection, text

from app.errors import RuleViolation
from app.storage import db
from app.storage.db import backup, open_engine, schema_version


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
