"""Editing, inserting or deleting any row of the audit table is reported by `conclave verify-db`."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from app.cli import main
from app.domain import Step
from app.storage.audit import event_hash

from .conftest import MakeApp


def _tamper(path: Path, *sql: str) -> None:
    con = sqlite3.connect(path)
    with con:
        for statement in sql:
            con.execute(statement)
    con.close()


def _verify(path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(["verify-db", "--db", str(path)])
    return code, capsys.readouterr().out


@pytest.fixture
def db(demo_at: MakeApp) -> Path:
    app, _ = demo_at(Step.PLENARY)
    path = app.store.path
    app.close()
    return path


def test_untouched_trail_is_intact(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = _verify(db, capsys)
    assert code == 0
    assert out.startswith("intact:")


def test_edited_event_is_reported(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _tamper(db, "UPDATE audit_event SET actor = '某人' WHERE seq = 7")
    code, out = _verify(db, capsys)
    assert code == 1
    assert "event #7" in out and "changed" in out


def test_edit_with_recomputed_hash_breaks_the_next_link(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    con = sqlite3.connect(db)
    row = con.execute("SELECT seq, at, actor, action, meeting_id, data, prev_hash FROM audit_event "
                      "WHERE seq = 12").fetchone()
    forged = event_hash(row[0], row[1], row[2], row[3], row[4], '{"forged":true}', row[6])
    with con:
        con.execute("UPDATE audit_event SET data = '{\"forged\":true}', hash = ? WHERE seq = 12", (forged,))
    con.close()
    code, out = _verify(db, capsys)
    assert code == 1
    assert "event #13" in out


def test_deleted_event_is_reported(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _tamper(db, "DELETE FROM audit_event WHERE seq = 20")
    code, out = _verify(db, capsys)
    assert code == 1
    assert "#20 is missing" in out


def test_deleting_the_newest_events_is_reported(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _tamper(db, "DELETE FROM audit_event WHERE seq >= (SELECT MAX(seq) - 2 FROM audit_event)")
    code, out = _verify(db, capsys)
    assert code == 1
    assert "removed from the end" in out


def test_inserted_event_is_reported(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # Make room at #10 by renumbering the later events, then slip a forged event in.
    con = sqlite3.connect(db)
    with con:
        rows = con.execute("SELECT seq FROM audit_event WHERE seq >= 10 ORDER BY seq DESC").fetchall()
        for (seq,) in rows:
            con.execute("UPDATE audit_event SET seq = ? WHERE seq = ?", (seq + 1, seq))
        prev = con.execute("SELECT hash FROM audit_event WHERE seq = 9").fetchone()[0]
        at = "2026-11-20T01:00:00Z"
        digest = event_hash(10, at, "某人", "eligibility.record", 1, "{}", prev)
        con.execute("INSERT INTO audit_event VALUES (10, ?, '某人', 'eligibility.record', 1, '{}', ?, ?)",
                    (at, prev, digest))
    con.close()
    code, out = _verify(db, capsys)
    assert code == 1
    assert "event #11" in out


def test_appended_event_outside_conclave_is_reported(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    con = sqlite3.connect(db)
    with con:
        seq, prev = con.execute("SELECT seq, hash FROM audit_event ORDER BY seq DESC LIMIT 1").fetchone()
        at = "2026-11-20T23:00:00Z"
        digest = event_hash(seq + 1, at, "某人", "x", 1, "{}", prev)
        con.execute("INSERT INTO audit_event VALUES (?, ?, '某人', 'x', 1, '{}', ?, ?)",
                    (seq + 1, at, prev, digest))
    con.close()
    code, out = _verify(db, capsys)
    assert code == 1
    assert "recorded head" in out


def test_missing_database_is_a_clean_message(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["verify-db", "--db", str(tmp_path / "nope.sqlite3")]) == 2
    assert "no meeting database" in capsys.readouterr().err


def test_garbage_file_is_a_clean_message(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.sqlite3"
    bad.write_bytes(b"this is not a database" * 100)
    assert main(["verify-db", "--db", str(bad)]) == 2
    assert "storage.unreadable" in capsys.readouterr().err
