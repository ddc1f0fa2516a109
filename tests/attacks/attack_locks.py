"""A meeting file another process is using: a program holding SQLite's write lock (the sqlite3
shell's BEGIN IMMEDIATE) past the 10 s busy timeout, and a second Conclave window (issue 10, point 7).
Busy is said as busy ("正被另一个程序使用"), never as "not a Conclave database"; reads go on."""

from __future__ import annotations

import signal
import time

from app.errors import RuleViolation
from app.services import Conclave
from app.storage import db
from app.text import in_chinese
from tests.attacks import Lab, Measured, Outcome, attack, holding

#: Holds SQLite's write lock the way another program would, until its stdin closes.
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

FOREIGN = ("not a Conclave", "不是本系统")


def _never_foreign(out: Outcome, run: Measured, what: str) -> None:
    said = run.out + run.err
    out.check(not any(f in said for f in FOREIGN) and "Traceback" not in said,
              f"{what}: {said.strip()[-200:]}")


@attack(f"a meeting file locked by another process for {db.BUSY_TIMEOUT_MS // 1000} s and more; a second writer")
def locked_database(lab: Lab) -> Outcome:
    out = Outcome()
    meeting = lab.demo()
    Conclave(meeting).close()                     # as the window leaves it: in WAL mode
    waits: list[str] = []
    with holding(SQLITE_WRITER, str(meeting)):
        locked_at = time.monotonic()
        started = time.monotonic()
        app = Conclave(meeting)
        try:
            mid = app.views.only_meeting(None)
            out.check(bool(app.views.candidates(mid)) and time.monotonic() - started < 5,
                      f"opening and reading took {time.monotonic() - started:.1f} s")
            started = time.monotonic()

            def touch() -> None:
                with app.store.write("秘书", "attack.touch", mid):
                    pass

            out.refused(touch, "storage.busy", "a write while another program holds the lock", "正被另一个程序使用")
            waits.append(f"a write refused as busy after {time.monotonic() - started:.1f} s")
        finally:
            app.close()
        for args in (("verify-db",), ("export-record", "--out", str(meeting.parent / "r.json"))):
            run = lab.cli(*args, "--db", str(meeting))
            out.check(run.code == 0, f"{args[0]} while locked: exit {run.code}: {run.err.strip()[-200:]}")
            _never_foreign(out, run, args[0])
        run = lab.cli("documents", "--db", str(meeting), "--out", str(meeting.parent / "papers"))
        out.check(run.code == 2 and "[storage.busy]" in run.err, f"documents while locked: exit {run.code}: "
                  f"{run.err.strip()[-200:]}")
        _never_foreign(out, run, "documents")
        papers = [p for p in (meeting.parent / "papers").rglob("*") if p.is_file()]
        waits.append(f"documents refused as busy after {run.seconds:.1f} s, {len(papers)} files left in its folder")
        held_for = time.monotonic() - locked_at
    waits.append(f"the lock held {held_for:.0f} s")
    with holding(CONCLAVE_WRITER, str(meeting)) as window:
        try:
            Conclave(meeting).close()
            out.check(False, "a second writer opened the meeting")
        except RuleViolation as refusal:
            zh = in_chinese(refusal.violations[0].message)
            out.check(refusal.rule == "storage.busy" and str(window.pid) in zh and "正被另一个程序使用" in zh,
                      f"the second writer refused as {refusal.rule}: {zh}")
        for args, code in ((("verify-db",), 0), (("calendar", "show", "2026"), 0),
                           (("documents", "--out", str(meeting.parent / "papers2")), 2)):
            run = lab.cli(*args, "--db", str(meeting))
            out.check(run.code == code and (code == 0 or "[storage.busy]" in run.err),
                      f"{args[0]} beside another window: exit {run.code}: {run.err.strip()[-200:]}")
            _never_foreign(out, run, args[0])
        window.send_signal(signal.SIGKILL)        # a crash: the OS drops its locks
        window.wait(timeout=30)
    with Conclave(meeting) as app:
        out.check(bool(app.views.meetings()), "the meeting did not open after the other window crashed")
    out.figures.extend(waits)
    return out
