"""One writer per meeting file, and a busy database told as busy.

SQLite serialises transactions, not programs: two windows on one meeting file would each
take turns at the write lock and interleave two secretaries' work, and a write that waits
past the busy timeout used to surface as a raw ``OperationalError`` ("database is locked"),
or at open as "not a Conclave meeting database". So:

* A :class:`~app.storage.store.Store` opened for writing holds an exclusive OS lock on
  ``<db>.lock`` beside the database (:mod:`filelock`: ``flock`` on Unix, ``LockFileEx`` on
  Windows) for as long as it lives. A second window or process is refused at open, naming
  the holder's process, which the holder writes in ``<db>.lock.owner`` once it has the lock
  (filelock truncates the lock file itself on every try, so the name cannot live there). The
  OS drops the lock when the holder dies: a crash never leaves a meeting locked.
* Read-only opens (``verify-db``, ``export-record``, ``calendar show``, ``verify``) take no
  lock file and read in deferred transactions, so they work beside an open window.
* A write that still meets a busy database (another program — the sqlite3 shell, a backup
  tool — holds SQLite's write lock past the busy timeout) is the refusal :func:`in_use`:
  "正被另一个程序使用", nothing changed.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import sqlite3
import threading
from pathlib import Path

from filelock import FileLock, Timeout

from app.errors import RuleViolation, file_refusal
from app.text import bi

#: Paths this process holds for writing (a second Conclave on the same file in one process
#: is refused like one in another process: flock alone may or may not see it, per platform).
_held: set[str] = set()
_held_guard = threading.Lock()


def lock_path_for(db: Path) -> Path:
    return db.with_name(db.name + ".lock")


def owner_path_for(db: Path) -> Path:
    return db.with_name(db.name + ".lock.owner")


class WriterLock:
    """The exclusive right to write one meeting file, held until :meth:`release`."""

    def __init__(self, db: Path) -> None:
        self.db = db
        self.key = str(db.resolve())
        # not thread_local: the window may close a meeting from another thread than opened it
        self._file = FileLock(str(lock_path_for(db)), timeout=0, thread_local=False)
        self._released = False

    @classmethod
    def acquire(cls, db: Path) -> WriterLock:
        """The lock, or the refusal :func:`in_use` naming who holds it."""
        lock = cls(db)
        with _held_guard:
            if lock.key in _held:
                raise in_use(db, bi("this program has it open already", "本程序已打开该文件"))
            try:
                lock._file.acquire()
            except Timeout:
                unusable = _unwritable(lock_path_for(db))
                if unusable is not None:          # no lock file can be made there: not "in use"
                    raise unusable from None
                raise in_use(db, holder(db)) from None
            except OSError as exc:                # its folder is a file, say (filelock makes the folders)
                raise file_refusal(exc) from None
            _held.add(lock.key)
        with contextlib.suppress(OSError):         # the lock holds without its note
            owner_path_for(db).write_text(
                f"{os.getpid()}\n{dt.datetime.now().isoformat(timespec='seconds')}\n", encoding="utf-8")
        return lock

    def release(self) -> None:
        if self._released:
            return
        self._released = True
        with contextlib.suppress(OSError):
            owner_path_for(self.db).unlink(missing_ok=True)
        with _held_guard:
            _held.discard(self.key)
            self._file.release(force=True)


def _unwritable(path: Path) -> RuleViolation | None:
    """The refusal for a lock file that cannot be made at all (a folder that does not exist, or is
    read-only), which filelock reports as a lock it could not take; None when the file can be opened
    — then another program holds the lock."""
    try:
        with open(path, "a", encoding="utf-8"):
            return None
    except OSError as exc:
        return file_refusal(exc)


def holder(db: Path) -> str | None:
    """Who holds the writer lock of ``db``, as its owner note says (``进程 1234，18:02 起``)."""
    try:
        pid, since = ([*owner_path_for(db).read_text(encoding="utf-8").split("\n"), "", ""])[:2]
    except (OSError, UnicodeDecodeError):
        return None
    if not pid.strip().isdigit():
        return None
    at = since.strip()[11:16]
    return bi(f"process {pid.strip()}" + (f", since {at}" if at else ""),
              f"进程 {pid.strip()}" + (f"，{at} 起" if at else ""))


def in_use(db: Path, who: str | None = None) -> RuleViolation:
    """The refusal for a meeting file another program (or window) is writing (``storage.busy``)."""
    en = f" ({who})" if who else ""
    zh = f"（{getattr(who, 'zh', who)}）" if who else ""
    return RuleViolation.single("storage.busy", bi(
        f"{db} is in use by another program{en}; nothing was changed. Close the other window or "
        "program and try again (read-only commands such as verify-db and export-record still work)",
        f"{db}正被另一个程序使用{zh}；未作任何更改。请关闭另一个窗口或程序后再试"
        "（verify-db、export-record 等只读命令仍可使用）"))


def is_busy(exc: BaseException) -> bool:
    """Whether ``exc`` (SQLAlchemy's or the driver's) is SQLite's "database is locked/busy"."""
    orig = getattr(exc, "orig", exc)
    if not isinstance(orig, sqlite3.OperationalError):
        return False
    code = getattr(orig, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)
    return "locked" in str(orig) or "busy" in str(orig)
