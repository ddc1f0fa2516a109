"""Ballot secrecy: the reader of the laptop's files who wants to know how E-somebody voted (issue 10:
"a reader of the db/WAL/-shm after each cast links voter to ballot (10/10)", polling the ballot
table between casts, after the close with another process holding a read snapshot or the write
lock, "a kill inside the last VACUUM (13/13 runoff ballots left in casting order)").

Each round: a fresh copy of the demo meeting at step 6, 13 experts each casting a ballot no other
casts (so a ballot in the clear names its voter the moment anything ties it to the cast), in an
order drawn from the round's seed, through unlocked terminal sessions; after every cast the spy of
tests/spy.py copies the database, its -wal and -shm and reads ``ballot`` from the copy (polling the
table); then the close — plain, beside another process's read snapshot, with another process's
writer taking the lock after the close commits, or with the closing process SIGKILLed at a random
moment inside the compaction's VACUUM (a real child process) — then the next open. Held: 0 links at
every moment; broke: any link.

The control design (tests/spy.py: ballots written in the clear as they are cast) goes through the
same rounds under the same spy: there the detector must find links — it is printed as its own line,
where *held* means "the detector found the links" (otherwise the sealed design's zeros prove nothing).
"""

from __future__ import annotations

import json
import random
import signal
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from contextlib import closing, contextmanager

from tests.attacks import ROOT, Lab, Outcome, attack, child_env

SEEDS = (1, 2, 3)
DEMO_VOTES = json.loads((ROOT / "resources" / "sample" / "demo_meeting.json").read_text(encoding="utf-8"))["votes"]
CLOSES = ("plain", "reader", "writer", "kill", "runoff-kill")

#: The close in a child process whose compaction is SIGKILLed after a random number of the VACUUM's
#: progress ticks (argv: db, meeting, round, passphrase, ticks, period).
KILLED_IN_VACUUM = """
import os, signal, sqlite3, sys
import app.services.voting as voting
from app.services import Conclave

ticks_to_die, period = int(sys.argv[5]), int(sys.argv[6])

def dying(engine, busy_ms=0):
    con = sqlite3.connect(engine.url.database)
    ticks = [0]
    def tick():
        ticks[0] += 1
        if ticks[0] == ticks_to_die:
            os.kill(os.getpid(), signal.SIGKILL)      # the power cut, inside the VACUUM
        return 0
    con.set_progress_handler(tick, period)
    con.execute("VACUUM")
    print("the VACUUM finished after", ticks[0], "ticks", flush=True)

voting.compact = dying
app = Conclave(sys.argv[1])
app.voting.close_round("M01", int(sys.argv[2]), int(sys.argv[3]), passphrase=sys.argv[4])
print("the close returned", flush=True)
"""


@contextmanager
def cheap_codes() -> Iterator[None]:
    """The terminals' one-time codes hashed cheaply (what is attacked is the ballot in the file) and
    another program's snapshot waited for 50 ms, not 1 s — as tests/engine/test_secrecy.py does."""
    import app.services.terminals as terminals_module
    import app.storage.db as db_module
    from tests.sessions import CHEAP

    saved = terminals_module._SCRYPT["n"], db_module.COMPACT_BUSY_MS
    terminals_module._SCRYPT["n"], db_module.COMPACT_BUSY_MS = CHEAP, 50
    try:
        yield
    finally:
        terminals_module._SCRYPT["n"], db_module.COMPACT_BUSY_MS = saved


def one_round(lab: Lab, design: str, seed: int, close: str) -> tuple[int, int, str]:
    """One 13-voter round cast and closed: (links during the casts, links in all, how the close went)."""
    import app.services.voting as voting_module
    from app.demo import _ballots
    from app.services import Conclave
    from app.storage.db import COMPACTION_PENDING
    from tests.sessions import ROUND_PASSPHRASE, Terminals
    from tests.spy import Spy, distinct_ballots, use_control

    rng = random.Random(seed * 100 + CLOSES.index(close))
    path = lab.demo()
    app = Conclave(path)
    note = ""
    try:
        if design == "control":
            use_control(app)
        mid = 1                                                             # the demo's one meeting
        voters = [m.code for m in app.views.members(mid) if m.role == "expert"]
        cands = [c.code for c in app.views.candidates(mid)]
        rid = app.voting.open_first_round("主任委员", mid, voters, passphrase=ROUND_PASSPHRASE)
        terminals = Terminals(app, mid)
        for voter in voters:
            terminals.token(voter)
        if close == "runoff-kill":       # the demo's planned first round (a tie for the last place), then the runoff
            for voter, b in zip(voters, _ballots(DEMO_VOTES["yes"], len(voters), rng), strict=True):
                terminals.cast(rid, voter, b)
            pending = app.voting.close_round("主任委员", mid, rid, passphrase=ROUND_PASSPHRASE).allocation.pending
            assert pending, "the demo's first round asks for no runoff"
            rid = app.voting.open_runoff("主任委员", mid, voters, passphrase=ROUND_PASSPHRASE)
            cands = list(app.views.rounds(mid)[-1].candidates)
        # who writes which ballot: drawn; each watched voter's ballot is one no other casts (3^k of them for
        # k candidates: a runoff between two allows 9 — the other voters cast copies of those and are not watched)
        order = rng.sample(voters, len(voters))
        watched = order[:min(len(voters), 3 ** len(cands) - 1)]
        ballots = distinct_ballots(watched, cands)
        everyone = {v: ballots.get(v) or ballots[rng.choice(watched)] for v in voters}
        spy = Spy.on(path, ballots, cands)
        spy.take()
        for voter in rng.sample(voters, len(voters)):                      # the order nobody should learn
            terminals.cast(rid, voter, everyone[voter])
            if voter in ballots:
                spy.cast(voter)
            else:
                spy.take()
        during = spy.links()
        note = f"{len(watched)} voters watched; " if len(watched) < len(voters) else ""
        if close == "plain":
            app.voting.close_round("主任委员", mid, rid, passphrase=ROUND_PASSPHRASE)
            note += f"compacted {app.voting.last_compacted}"
            spy.take()
        elif close == "reader":
            reader = sqlite3.connect(path)
            reader.execute("BEGIN")
            reader.execute("SELECT count(*) FROM ballot_round").fetchone()      # a snapshot held open
            try:
                app.voting.close_round("主任委员", mid, rid, passphrase=ROUND_PASSPHRASE)
                note += f"compacted {app.voting.last_compacted}"
                spy.take()
            finally:
                reader.close()
        elif close == "writer":
            writer = sqlite3.connect(path, isolation_level=None)
            real = voting_module.compact

            def writer_comes_first(engine: object) -> bool:
                writer.execute("BEGIN IMMEDIATE")
                return real(engine, busy_ms=50)  # type: ignore[arg-type]

            voting_module.compact = writer_comes_first  # type: ignore[assignment]
            try:
                app.voting.close_round("主任委员", mid, rid, passphrase=ROUND_PASSPHRASE)
                note += f"compacted {app.voting.last_compacted}"
                spy.take()
            finally:
                voting_module.compact = real
                writer.rollback()
                writer.close()
        else:
            app.close()
            ticks, period = rng.randint(1, 150), 10      # the runoff's VACUUM runs ~2000 VM steps, the first's more
            child = subprocess.run([sys.executable, "-c", KILLED_IN_VACUUM, str(path), str(mid), str(rid),
                                    ROUND_PASSPHRASE, str(ticks), str(period)],
                                   capture_output=True, text=True, timeout=120, cwd=ROOT, env=child_env())
            killed = child.returncode == -signal.SIGKILL
            note += (f"killed after {ticks}×{period} VM steps" if killed
                    else f"NOT killed (exit {child.returncode}: {(child.stdout + child.stderr).strip()[-120:]})")
            spy.take()
        app.close()
        again = Conclave(path)                      # the next open finishes a pending compaction
        again.close()
        spy.take()
        with closing(sqlite3.connect(path)) as con:  # the close committed: every ballot in the box
            kept = con.execute("SELECT count(*) FROM ballot WHERE round_id = ?", (rid,)).fetchone()[0]
            pending = con.execute("SELECT count(*) FROM meta WHERE key = ?", (COMPACTION_PENDING,)).fetchone()[0]
        return during, spy.links(), f"{note}; {kept} ballots in the box, compaction pending {bool(pending)}"
    finally:
        app.close()


def _rounds(lab: Lab, design: str) -> tuple[Outcome, list[str]]:
    out = Outcome()
    per_close: dict[str, list[int]] = {c: [] for c in CLOSES}
    notes: list[str] = []
    with cheap_codes():
        for seed in SEEDS:
            for close in CLOSES:
                during, links, note = one_round(lab, design, seed, close)
                per_close[close].append(links)
                notes.append(note)
                sound = ("13 ballots in the box, compaction pending False" in note
                         and ("kill" not in close or ("killed after" in note and "NOT" not in note)))
                if design == "sealed":
                    out.check(links == 0 and sound, f"seed {seed}, close {close} ({note}): {links} links "
                                          f"({during} during the casts)")
                else:
                    out.check(links > 0 and sound,
                              f"control, seed {seed}, close {close} ({note}): the detector found no link")
    out.figures.append(f"{len(SEEDS) * len(CLOSES)} rounds of 13 voters; links per round by close: " +
                       ", ".join(f"{c} {'/'.join(str(n) for n in v)}" for c, v in per_close.items()))
    closes = list(zip(CLOSES * len(SEEDS), notes, strict=True))
    put_off = sum('compacted False' in n for c, n in closes if c in ('reader', 'writer'))
    out.figures.append(f"compaction put off by the reader/writer, done at the next open: {put_off}/{2 * len(SEEDS)}; "
                       "SIGKILLed inside the VACUUM " + ", ".join(n.split("killed after ")[1].split(";")[0]
                                                                 for c, n in closes if "killed after" in n) +
                       f"; boxes of 13 ballots after the next open: "
                       f"{sum('13 ballots in the box, compaction pending False' in n for n in notes)}/{len(notes)}"
                       + ("; runoff rounds: " + notes[CLOSES.index("runoff-kill")].split(";")[0]
                          if "watched" in notes[CLOSES.index("runoff-kill")] else ""))
    return out, notes


@attack("ballot secrecy: the db, -wal and -shm read after every cast, the ballot table polled, the close beside "
        "a reader's snapshot or another writer's lock, a kill inside the VACUUM (links voter→ballot)")
def sealed(lab: Lab) -> Outcome:
    return _rounds(lab, "sealed")[0]


@attack("ballot secrecy, the control design (ballots in the clear as cast) under the same spy: "
        "held = the detector found links")
def control(lab: Lab) -> Outcome:
    return _rounds(lab, "control")[0]
