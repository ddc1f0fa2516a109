"""Locks, with real processes: one writer per meeting file, reads that never take the write
lock, and a busy database told as busy ("正被另一个程序使用"), never as a foreign file.

Each holder is a child process that takes its lock, prints ``ready`` and waits for its stdin
to close (or is killed: the OS then drops its locks, so a crash never leaves a meeting locked).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from app.cli import main
from app.domain import Step
from app.errors import RuleViolation
from app.services import Conclave
from app.storage import db
from app.storage.store import Store
from tests.demo_templates import Templates

ROOT = Path(__file__).resolve().parents[2]

#: Holds SQLite's write lock the way another program would (the sqlite3 shell's BEGIN IMMEDIATE).
SQLITE_WRITER = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN IMMEDIATE")
print("ready", flush=True)
sys.stdin.read()
"""

#: Another Conclave window: opens the meeting for writing and keeps it open.
CONCLAVE_WRITER = """
import sys
from app.services import Conclave
app = Conclave(sys.argv[1])
print("ready", flush=True)
sys.stdin.read()
app.close()
"""


@contextmanager
def holding(script: str, path: Path) -> Iterator[subprocess.Popen[str]]:
    proc = subprocess.Popen([sys.executable, "-c", script, str(path)], cwd=ROOT, text=True,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
        yield proc
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait(timeout=30)
        for pipe in (proc.stdin, proc.stdout):
            if pipe is not None:
                pipe.close()


@pytest.fixture
def meeting(demo_templates: Templates, tmp_path: Path) -> Path:
    """A meeting file as the window leaves it: in WAL mode (a template snapshot is not yet)."""
    path = demo_templates.copy(Step.PREPARATORY, tmp_path / "meeting.sqlite3")
    Conclave(path).close()
    return path


def test_a_database_another_program_is_writing_opens_reads_and_refuses_writes_as_busy(
        meeting: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """Issue 10: held by another process, the file was "not a Conclave meeting database" after
    the 10 s busy timeout (the open read its version under BEGIN IMMEDIATE), and writes failed
    with a raw OperationalError. Now the open and every read go on at once, and a write that
    waits out the busy timeout (shortened here) is ``storage.busy``, in both languages."""
    monkeypatch.setattr(db, "BUSY_TIMEOUT_MS", 300)
    with holding(SQLITE_WRITER, meeting):
        started = time.monotonic()
        app = Conclave(meeting)
        try:
            mid = app.views.only_meeting(None)
            assert app.views.candidates(mid)
            assert time.monotonic() - started < 5      # the reads did not wait for the write lock
            with pytest.raises(RuleViolation) as err, app.store.write("秘书", "test.touch", mid):
                pass
        finally:
            app.close()
        assert err.value.rule == "storage.busy"
        assert "in use by another program" in str(err.value)
        assert "正被另一个程序使用" in str(err.value.violations[0].message.zh)  # type: ignore[attr-defined]
        assert main(["verify-db", "--db", str(meeting)]) == 0
        assert "intact" in capsys.readouterr().out


def test_a_second_writer_is_refused_at_open_while_read_only_commands_work(
        meeting: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with holding(CONCLAVE_WRITER, meeting) as window:
        with pytest.raises(RuleViolation) as err:
            Conclave(meeting)
        assert err.value.rule == "storage.busy"
        assert f"process {window.pid}" in str(err.value)
        assert f"进程 {window.pid}" in str(err.value.violations[0].message.zh)  # type: ignore[attr-defined]
        assert main(["calendar", "show", "2026", "--db", str(meeting)]) == 0
        assert main(["verify-db", "--db", str(meeting)]) == 0
        assert main(["export-record", "--db", str(meeting), "--out", str(tmp_path / "record.json")]) == 0
        assert (tmp_path / "record.json").stat().st_size > 0
        assert main(["documents", "--db", str(meeting), "--out", str(tmp_path / "papers")]) == 2
        assert "[storage.busy]" in capsys.readouterr().err
        window.send_signal(signal.SIGKILL)          # a crash: the OS drops the lock
        window.wait(timeout=30)
    with Conclave(meeting) as app:                  # the stale lock file does not block
        assert app.views.meetings()


def test_one_writer_per_file_within_one_process_too(meeting: Path) -> None:
    first = Conclave(meeting)
    try:
        with pytest.raises(RuleViolation) as err:
            Conclave(meeting)
        assert err.value.rule == "storage.busy" and "本程序已打开该文件" in str(
            err.value.violations[0].message.zh)  # type: ignore[attr-defined]
        with Conclave(meeting, read_only=True) as reader:
            mid = reader.views.only_meeting(None)
            with pytest.raises(RuleViolation) as refused, reader.store.write("秘书", "test.touch", mid):
                pass
            assert refused.value.rule == "storage.read_only"
    finally:
        first.close()
    Conclave(meeting).close()                       # closed: free again


def test_a_read_only_open_neither_creates_nor_writes(tmp_path: Path) -> None:
    with pytest.raises(RuleViolation) as err:
        Store(tmp_path / "none.sqlite3", read_only=True)
    assert err.value.rule == "storage.missing" and not (tmp_path / "none.sqlite3").exists()


def test_a_meeting_closed_by_another_thread_is_free_again(meeting: Path) -> None:
    """The window may close a meeting from a worker thread: the lock is the process's, not the thread's."""
    app = Conclave(meeting)
    closer = threading.Thread(target=app.close)
    closer.start()
    closer.join()
    with holding(CONCLAVE_WRITER, meeting):        # another process can take it now
        pass


@pytest.mark.parametrize("where", ["a file", "no lock file"])
def test_a_place_no_meeting_can_be_kept_is_told_as_such_not_as_busy(tmp_path: Path, where: str) -> None:
    """A meeting file asked for where its lock file cannot be made: under a path that is a file, or in
    a folder where nothing can be created (``/proc`` — filelock reports that as a lock it could not
    take). Refused by ``file.access`` naming the path, not ``storage.busy`` ("in use by another
    program"), and nothing is created."""
    if where == "a file":
        (tmp_path / "afile").write_text("not a folder", encoding="utf-8")
        path = tmp_path / "afile" / "meeting.sqlite3"
    else:
        if not Path("/proc/self").is_dir():
            pytest.skip("needs Linux's /proc")
        path = Path("/proc/conclave-meeting.sqlite3")
    with pytest.raises(RuleViolation) as err:
        Conclave(path)
    assert err.value.rule == "file.access" and not path.exists()
    assert str(path.parent if where == "a file" else path) in str(err.value)
    assert "请检查路径后重试" in err.value.violations[0].message.zh  # type: ignore[attr-defined]


@pytest.mark.parametrize("command", [
    "documents --out {tmp}/papers", "key create", "calendar import {tmp}/2027.json --by 李文静",
    "backup --out {tmp}/meeting.conclave-backup", "export-record --out {tmp}/record.json", "verify-db"])
def test_an_empty_file_is_no_meeting_and_a_command_leaves_it_empty(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str) -> None:
    """An empty file given as ``--db`` (made by mistake, or a download cut short): SQLite would make a
    new database of it. Every command on an existing meeting refuses it as no meeting database
    (``storage.missing``) and leaves it as it was — empty, no lock file beside it."""
    empty = tmp_path / "meeting.sqlite3"
    empty.touch()
    assert main([*command.format(tmp=tmp_path).split(), "--db", str(empty)]) == 2
    assert "[storage.missing]" in capsys.readouterr().err
    assert empty.stat().st_size == 0 and sorted(p.name for p in tmp_path.iterdir()) == ["meeting.sqlite3"]
