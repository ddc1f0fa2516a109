"""The heads file against a trail that is being written: a check never mistakes a write in flight
for tampering, and still reports events appended outside Conclave.

A write commits its event, then notes its head (an ``fsync`` later). A check that read its snapshot
of the chain before a commit and the heads file after its head was noted saw a head "beyond the
trail" and called the trail truncated — the window's start-up check did so once in CI while the
pages were writing (``test_the_whole_demo_meeting_through_the_pages``).
"""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path

import pytest

from app.storage import heads
from app.storage.audit import event_hash
from app.storage.db import backup
from app.storage.health import Health, check_connection, check_file
from app.storage.store import Store


@pytest.fixture
def store(tmp_path: Path):
    s = Store(tmp_path / "m.sqlite3")
    for i in range(3):
        _write(s, i)
    yield s
    s.close()


def _write(store: Store, i: int) -> None:
    with store.write("秘书", "test.write", n=i):
        pass


def _in_thread(store: Store, i: int) -> None:
    """A write made by another thread (a terminal's request), to completion."""
    t = threading.Thread(target=_write, args=(store, i))
    t.start()
    t.join()


def _check(store: Store) -> Health:
    with store.read() as conn:
        return check_connection(conn, path=store.path, heads_required=True)


def test_writes_committed_and_noted_while_the_heads_are_read_are_no_truncation(
        store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    real, calls = heads.read, []

    def read_while_writing(db: Path | str) -> list[tuple[int, str]] | None:
        calls.append(db)
        if len(calls) == 1:               # a terminal's write on either side of the read
            _in_thread(store, 10)
            found = real(db)
            _in_thread(store, 11)
            return found
        return real(db)

    before = _check(store).head_seq
    monkeypatch.setattr(heads, "read", read_while_writing)
    health = _check(store)
    assert health.ok, health.problems
    assert health.head_seq == before + 2      # the two writes are in the snapshot checked


def _slow_noting(store: Store, monkeypatch: pytest.MonkeyPatch) -> threading.Thread:
    """A write in another thread, stopped between its commit and the noting of its head (a slow
    ``fsync``) for 0.3 s; returned once committed."""
    real_append, noting = heads.append, threading.Event()

    def slow_append(db: Path | str, seq: int, digest: str) -> None:
        noting.set()
        time.sleep(0.3)
        real_append(db, seq, digest)

    monkeypatch.setattr(heads, "append", slow_append)
    writer = threading.Thread(target=_write, args=(store, 20))
    writer.start()
    assert noting.wait(5)
    return writer


def test_a_commit_whose_head_is_noted_a_moment_later_is_waited_for(
        store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    before = _check(store).head_seq
    writer = _slow_noting(store, monkeypatch)
    health = _check(store)                # the event committed, its head not noted yet
    writer.join()
    assert health.ok, health.problems
    assert health.head_seq == before + 1


def test_a_copy_taken_before_its_head_is_noted_carries_the_head(
        store: Store, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    writer = _slow_noting(store, monkeypatch)
    copy = backup(store.engine, tmp_path / "copy.sqlite3")
    writer.join()
    health = check_file(copy, heads_required=True)
    assert health.ok, health.problems
    assert heads.read(copy) == heads.read(store.path)


def test_an_event_appended_outside_conclave_is_still_reported(
        store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(heads, "SETTLE_SECONDS", 0.2)
    con = sqlite3.connect(store.path)
    with con:
        seq, prev = con.execute("SELECT seq, hash FROM audit_event ORDER BY seq DESC LIMIT 1").fetchone()
        at, data = "2026-12-02T09:00:00", "{}"
        digest = event_hash(seq + 1, at, "某人", "test.write", None, data, prev)
        con.execute("INSERT INTO audit_event (seq, at, actor, action, meeting_id, data, prev_hash, hash) "
                    "VALUES (?, ?, '某人', 'test.write', NULL, ?, ?, ?)", (seq + 1, at, data, prev, digest))
        con.execute("UPDATE meta SET value = ? WHERE key = 'audit_head'", (f"{seq + 1}:{digest}",))
    con.close()
    started = time.monotonic()
    health = _check(store)
    assert not health.ok
    problem = health.problems[0]
    assert "outside Conclave" in str(problem) and "不是通过本系统添加" in problem.zh
    assert time.monotonic() - started < 5
