"""The heads file against a trail that is being written: a check never mistakes a write in flight
for tampering, and still reports events appended outside Conclave.

A write commits its event, then notes its head (an ``fsync`` later). A check that read its snapshot
of the chain before a commit and the heads file after its head was noted saw a head "beyond the
trail" and called the trail truncated — the window's start-up check did so once in CI while the
pages were writing (``test_the_whole_demo_meeting_through_the_pages``).
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from app.storage import heads
from app.storage.audit import event_hash
from app.storage.db import backup
from app.storage.health import Health, check_connection, check_file
from app.storage.store import HEAD_RECOVERED, Store


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


# -- a stop between a commit and the noting of its head ------------------------------------------
STOPPED_AFTER_COMMIT = """
import os, sys
from app.storage import heads
from app.storage.store import HEAD_RECOVERED, Store
store = Store(sys.argv[1])
writes = int(sys.argv[2])
def stop(db, seq, digest):
    if seq == writes_done[0] + writes:
        os._exit(3)                       # the power goes: committed, the head not noted
writes_done = [int(sys.argv[3])]
heads.append = stop
for i in range(writes):
    with store.write("秘书", "test.write", n=i):
        pass
"""


def _stopped_after_commit(path: Path, writes: int) -> None:
    """``writes`` writes in a process of their own, which stops after committing the last one and
    before noting its head (the heads of any before it are not noted either)."""
    done = check_file(path, full=False).head_seq
    child = subprocess.run([sys.executable, "-c", STOPPED_AFTER_COMMIT, str(path), str(writes), str(done)],
                           capture_output=True, text=True, timeout=120)
    assert child.returncode == 3, child.stderr


def _stopped_meeting(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                     writes: int) -> tuple[Path, tuple[int, str, dict[str, object]]]:
    """A file with one write, then ``writes`` more by a process stopped after the last commit; its last event."""
    monkeypatch.setattr(heads, "SETTLE_SECONDS", 0.1)
    path = tmp_path / "m.sqlite3"
    with contextlib.closing(Store(path)) as store:
        _write(store, 0)
    _stopped_after_commit(path, writes)
    return path, _last_event(path)


def _last_event(path: Path) -> tuple[int, str, dict[str, object]]:
    con = sqlite3.connect(path)
    seq, action, data = con.execute("SELECT seq, action, data FROM audit_event ORDER BY seq DESC LIMIT 1").fetchone()
    con.close()
    return seq, action, json.loads(data)


def test_a_stop_between_a_commit_and_its_head_loses_nothing_and_is_recorded(tmp_path: Path,
                                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    path, (seq, action, _) = _stopped_meeting(tmp_path, monkeypatch, 1)
    assert action == "test.write"                         # the write is in the file
    # verify-db before Conclave opens it again: not noted — and says what may have happened
    health = check_file(path, full=False, heads_required=True)
    assert not health.ok and "power cut" in str(health.problems[0]) and "断电" in health.problems[0].zh
    with contextlib.closing(Store(path)) as store:        # the next opening notes it, and says so
        assert _check(store).ok
        noted = heads.read(path)
        assert noted is not None and noted[-2][0] == seq       # noted, then the event saying so
        assert _last_event(path)[1:] == (HEAD_RECOVERED, {"seq": seq, "hash": noted[-2][1], "changes": []})
    assert check_file(path, deep=True, heads_required=True).ok


def test_two_events_past_the_heads_are_never_taken_for_a_stop(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path, (seq, action, _) = _stopped_meeting(tmp_path, monkeypatch, 2)
    with contextlib.closing(Store(path)) as store:
        health = _check(store)
    assert not health.ok and "outside Conclave" in str(health.problems[0])
    assert _last_event(path) == (seq, action, {"n": 1, "changes": []})   # nothing appended
