"""The secret ballot: nothing links the voter roll to the ballots.

These tests play the auditor who wants to know how E-somebody voted, with full
access to the database file: they try every link the design rules out — a
shared id, insertion order, a timestamp, a rowid, the audit trail, the physical
order of rows in the file — and must fail.

And the reader of the laptop's files at any moment (tests/spy.py): after every cast of
a 13-voter round, at a close with another program's reader or writer on the file, and
after a kill inside the compaction, the database, its WAL and its -shm link no voter to
a choice — while the control design (ballots in the clear as they are cast) shows the
links under the same detector. So does a paper batch's first copy while it waits for the
second: sealed, it shows no choice of its (here: one) paper voter.
"""

from __future__ import annotations

import hashlib
import json
import random
import signal
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest
from sqlalchemy import Engine

import app.services.terminals as terminals_module
import app.services.voting as voting_module
import app.storage.db as db_module
from app.domain import Step
from app.errors import RuleViolation
from app.services import Conclave
from app.storage.db import COMPACTION_PENDING
from tests.sessions import CHEAP, ROUND_PASSPHRASE, Staff, Terminals
from tests.spy import Spy, distinct_ballots, use_control

from .conftest import MakeApp


@pytest.fixture(autouse=True)
def _cheap_terminal_codes(monkeypatch: pytest.MonkeyPatch) -> None:
    """The terminals' one-time codes hashed cheaply: what is tested here is the ballot in the file,
    and every test unlocks 13 terminals (two deliberate scrypts each at the real cost)."""
    monkeypatch.setitem(terminals_module._SCRYPT, "n", CHEAP)
    monkeypatch.setattr(db_module, "COMPACT_BUSY_MS", 50)    # another program's snapshot: no need to wait 1 s


@pytest.fixture
def voted(demo_at: MakeApp) -> tuple[Conclave, int, list[str], list[str]]:
    """A first round in which voter i votes yes for candidate i only — so a ballot betrays its voter
    if anything links them. Returns the app, the meeting, the voters in casting order, the candidates."""
    app, mid = demo_at(Step.PLENARY)
    voters = [m.code for m in app.views.members(mid) if m.role == "expert"]
    cands = [c.code for c in app.views.candidates(mid)]
    rid = app.voting.open_first_round("主任委员", mid, voters, passphrase=ROUND_PASSPHRASE)
    terminals = Terminals(app, mid)
    for voter in voters:                         # every terminal unlocked before anyone votes
        terminals.token(voter)
    for i, voter in enumerate(voters):
        terminals.cast(rid, voter, {c: ("yes" if j == i else "no") for j, c in enumerate(cands)})
    app.voting.close_round("主任委员", mid, rid, passphrase=ROUND_PASSPHRASE)
    return app, mid, voters, cands


def _voter_of(ballot: dict[str, str], cands: list[str], voters: list[str]) -> str:
    return voters[[ballot[c] for c in cands].index("yes")]


def test_ballot_table_holds_nothing_but_round_token_and_choices(voted: tuple) -> None:
    app, *_ = voted
    con = sqlite3.connect(app.store.path)
    cols = [r[1] for r in con.execute("PRAGMA table_info(ballot)")]
    assert cols == ["round_id", "token", "choices"]
    with pytest.raises(sqlite3.OperationalError):
        con.execute("SELECT rowid FROM ballot")          # WITHOUT ROWID: no insertion counter
    roll_cols = [r[1] for r in con.execute("PRAGMA table_info(voter_roll)")]
    assert roll_cols == ["round_id", "member_id", "channel"]
    con.close()


def test_no_ordering_of_ballots_reproduces_the_casting_order(voted: tuple) -> None:
    app, _, voters, cands = voted
    con = sqlite3.connect(app.store.path)
    orders = {
        "token": "SELECT choices FROM ballot ORDER BY token",
        "table order": "SELECT choices FROM ballot",
    }
    for label, sql in orders.items():
        seen = [_voter_of(json.loads(b), cands, voters) for (b,) in con.execute(sql)]
        assert sorted(seen) == sorted(voters)
        assert seen != voters and seen != voters[::-1], f"ballots in {label} order follow the casting order"
    con.close()


def test_physical_order_in_the_file_does_not_follow_the_casting_order(voted: tuple) -> None:
    app, _, voters, cands = voted
    assert not Path(f"{app.store.path}-wal").exists() or Path(f"{app.store.path}-wal").stat().st_size == 0
    raw = app.store.path.read_bytes()
    con = sqlite3.connect(app.store.path)
    bodies = [b for (b,) in con.execute("SELECT choices FROM ballot")]
    con.close()
    positions = sorted((raw.index(b.encode("utf-8")), _voter_of(json.loads(b), cands, voters)) for b in bodies)
    in_file = [v for _, v in positions]
    assert in_file != voters and in_file != voters[::-1]


def test_audit_trail_never_holds_a_choice(voted: tuple) -> None:
    app, _, voters, _ = voted
    con = sqlite3.connect(app.store.path)
    casts = con.execute("SELECT actor, data FROM audit_event WHERE action = 'ballot.cast'").fetchall()
    con.close()
    assert sorted(a for a, _ in casts) == sorted(voters)
    for _, data in casts:
        body = json.loads(data)
        assert set(body) == {"round", "changes"}
        assert {change[0] for change in body["changes"]} == {"voter_roll"}    # the roll, never the box


def test_roll_and_box_share_only_the_round(voted: tuple) -> None:
    app, *_ = voted
    con = sqlite3.connect(app.store.path)
    tokens = {t for (t,) in con.execute("SELECT token FROM ballot")}
    roll_values = {str(v) for row in con.execute("SELECT * FROM voter_roll") for v in row}
    member_ids = {str(i) for (i,) in con.execute("SELECT id FROM member")}
    con.close()
    assert not tokens & roll_values
    assert not tokens & member_ids


def test_the_link_test_would_catch_a_leaky_design(tmp_path: Path) -> None:
    """Control: a naive table with a rowid, filled in casting order, is caught by the same check."""
    con = sqlite3.connect(tmp_path / "leaky.sqlite3")
    con.execute("CREATE TABLE ballot (choices TEXT)")
    voters = [f"E{i:02d}" for i in range(13)]
    cands = [f"C{i:02d}" for i in range(13)]
    for i in range(13):
        con.execute("INSERT INTO ballot VALUES (?)", (json.dumps(
            {c: ("yes" if j == i else "no") for j, c in enumerate(cands)}),))
    rows = con.execute("SELECT choices FROM ballot ORDER BY rowid")
    seen = [_voter_of(json.loads(b), cands, voters) for (b,) in rows]
    con.close()
    assert seen == voters


# -- sealed from cast to close: the file reader at every moment ----------------------------------
# A 13-voter round cast through terminal sessions; after every cast the spy (tests/spy.py) copies
# the database, its WAL and its -shm and looks for any link between a voter and a choice; then the
# close, plain, with another program's reader holding a snapshot, with another program's writer
# holding the lock, and killed inside the compaction. The sealed design: 0 links at every moment.
# The control design (ballots in the clear as they are cast) under the same spy: links.

DESIGNS = ["sealed", "control"]


def _cast_round(demo_at: MakeApp, design: str) -> tuple[Conclave, int, int, Spy]:
    app, mid = demo_at(Step.PLENARY)
    if design == "control":
        use_control(app)
    voters = [m.code for m in app.views.members(mid) if m.role == "expert"]
    cands = [c.code for c in app.views.candidates(mid)]
    assert len(voters) == 13
    ballots = distinct_ballots(voters, cands)
    rid = app.voting.open_first_round("主任委员", mid, voters, passphrase=ROUND_PASSPHRASE)
    terminals = Terminals(app, mid)
    for voter in voters:
        terminals.token(voter)
    spy = Spy.on(app.store.path, ballots, cands)
    spy.take()
    for voter in random.Random(13).sample(voters, len(voters)):     # the order nobody should learn
        terminals.cast(rid, voter, ballots[voter])
        spy.cast(voter)
    return app, mid, rid, spy


def _pending(path: Path) -> bool:
    with closing(sqlite3.connect(path)) as con:
        return con.execute("SELECT 1 FROM meta WHERE key = ?", (COMPACTION_PENDING,)).fetchone() is not None


def _events(path: Path) -> int:
    with closing(sqlite3.connect(path)) as con:
        return int(con.execute("SELECT count(*) FROM audit_event").fetchone()[0])


def _reopened_and_compacted(app: Conclave, spy: Spy) -> None:
    """The next open for writing completes the compaction first: nothing pending, the WAL empty,
    and still no link."""
    path = app.store.path
    app.close()
    again = Conclave(path)
    try:
        assert not _pending(path) and not again.voting.compaction_pending()
        assert Path(f"{path}-wal").stat().st_size == 0
        spy.take()
    finally:
        again.close()


@pytest.mark.parametrize("design", DESIGNS)
def test_no_link_after_any_cast_nor_after_the_close(demo_at: MakeApp, design: str) -> None:
    app, mid, rid, spy = _cast_round(demo_at, design)
    during = spy.links()
    app.voting.close_round("主任委员", mid, rid, passphrase=ROUND_PASSPHRASE)
    assert app.voting.last_compacted is True and not _pending(app.store.path)
    spy.take()
    if design == "sealed":
        assert during == 0 and spy.links() == 0
        assert spy.readable(spy.snapshots[-1]) == set(spy.bodies)      # the ballots are there, in the clear
    else:
        assert during >= 13                   # each cast unmasked its voter


@pytest.mark.parametrize("design", DESIGNS)
def test_no_link_with_a_reader_holding_a_snapshot_at_close(demo_at: MakeApp, design: str) -> None:
    app, mid, rid, spy = _cast_round(demo_at, design)
    reader = sqlite3.connect(app.store.path)
    reader.execute("BEGIN")
    reader.execute("SELECT count(*) FROM ballot_round").fetchone()     # a snapshot held open
    try:
        app.voting.close_round("主任委员", mid, rid, passphrase=ROUND_PASSPHRASE)
        assert app.voting.last_compacted is False and _pending(app.store.path)    # said, not assumed
        assert app.voting.compaction_pending()
        at_close = spy.take()
        if design == "sealed":          # opened again while the reader still holds it: still pending, and said
            path = app.store.path
            app.close()
            app = Conclave(path)
            assert app.voting.compaction_pending() and _pending(path)
    finally:
        reader.close()
    if design == "sealed":
        assert spy.order_links(at_close) == 0 and spy.links() == 0
        _reopened_and_compacted(app, spy)
        assert spy.links() == 0
    else:
        assert spy.order_links(at_close) == 13            # the WAL keeps every cast's page, in order


@pytest.mark.parametrize("design", DESIGNS)
def test_no_link_with_a_writer_holding_the_lock_at_close(demo_at: MakeApp, design: str,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    app, mid, rid, spy = _cast_round(demo_at, design)
    writer = sqlite3.connect(app.store.path, isolation_level=None)
    real = voting_module.compact

    def writer_comes_first(engine: Engine) -> bool:      # another program takes the lock after the commit
        writer.execute("BEGIN IMMEDIATE")
        return real(engine, busy_ms=50)

    monkeypatch.setattr(voting_module, "compact", writer_comes_first)
    try:
        results = app.voting.close_round("主任委员", mid, rid, passphrase=ROUND_PASSPHRASE)
        assert results.attending_voters == 13                           # the close itself committed
        assert app.voting.last_compacted is False and _pending(app.store.path)
        at_close = spy.take()
    finally:
        writer.rollback()
        writer.close()
    assert app.views.rounds(mid)[0].status == "closed"
    if design == "sealed":
        assert spy.links() == 0
        _reopened_and_compacted(app, spy)
        assert spy.links() == 0
    else:
        assert spy.order_links(at_close) == 13


KILLED_IN_VACUUM = """
import os, signal, sqlite3, sys
import app.services.voting as voting
from app.services import Conclave

def dying(engine, busy_ms=0):
    con = sqlite3.connect(engine.url.database)
    ticks = [0]
    def tick():
        ticks[0] += 1
        if ticks[0] == 20:
            os.kill(os.getpid(), signal.SIGKILL)      # the power cut, inside the VACUUM
        return 0
    con.set_progress_handler(tick, 100)
    con.execute("VACUUM")
    print("the VACUUM finished", flush=True)

voting.compact = dying
app = Conclave(sys.argv[1])
app.voting.close_round("M01", 1, int(sys.argv[2]), passphrase=sys.argv[3])
"""


@pytest.mark.parametrize("design", DESIGNS)
def test_no_link_after_a_kill_inside_the_compaction(demo_at: MakeApp, design: str) -> None:
    """The one test of an expensive thing (a child process per design)."""
    app, _mid, rid, spy = _cast_round(demo_at, design)
    path = app.store.path
    app.close()
    child = subprocess.run([sys.executable, "-c", KILLED_IN_VACUUM, str(path), str(rid), ROUND_PASSPHRASE],
                           capture_output=True, text=True, timeout=120)
    assert child.returncode == -signal.SIGKILL, child.stderr
    assert "finished" not in child.stdout
    assert _pending(path)                                  # the close committed; its compaction did not
    spy.take()
    if design == "sealed":
        assert spy.links() == 0
        _reopened_and_compacted(app, spy)
        assert spy.links() == 0
        with closing(sqlite3.connect(path)) as con:
            assert con.execute("SELECT count(*) FROM ballot").fetchone()[0] == 13
    else:
        assert spy.links() >= 13


# -- the sealed box itself -----------------------------------------------------------------------
def test_sealed_ballots_have_one_length_and_the_close_records_tally_and_box(demo_at: MakeApp) -> None:
    app, mid = demo_at(Step.PLENARY)
    voters = [m.code for m in app.views.members(mid) if m.role == "expert"]
    cands = [c.code for c in app.views.candidates(mid)]
    rid = app.voting.open_first_round("主任委员", mid, voters, passphrase=ROUND_PASSPHRASE)
    terminals = Terminals(app, mid)
    choices = ["yes", "no", "abstain"]
    for i, voter in enumerate(voters[:3]):                # all yes, all no, all abstain: lengths differ in clear
        terminals.cast(rid, voter, dict.fromkeys(cands, choices[i]))
    with closing(sqlite3.connect(app.store.path)) as con:
        lengths = {len(s) for (s,) in con.execute("SELECT sealed FROM sealed_ballot")}
        assert len(lengths) == 1
        assert con.execute("SELECT count(*) FROM ballot").fetchone()[0] == 0
    staff = Staff(app, mid)
    for voter in voters[3:]:
        app.voting.mark_paper_vote(staff.secretary, rid, voter)
    app.voting.enter_paper_batch(staff.secretary, rid, "B1", [{} for _ in voters[3:]])
    app.voting.enter_paper_batch(staff.supervisor, rid, "B1", [{} for _ in voters[3:]], passphrase=ROUND_PASSPHRASE)
    app.voting.close_round("主任委员", mid, rid, passphrase=ROUND_PASSPHRASE)
    with closing(sqlite3.connect(app.store.path)) as con:
        data = json.loads(con.execute("SELECT data FROM audit_event WHERE action = 'ballot.close'").fetchone()[0])
        box = [f"{t}\t{b}" for t, b in con.execute("SELECT token, choices FROM ballot")]
        assert con.execute("SELECT count(*) FROM sealed_ballot").fetchone()[0] == 0
        assert con.execute("SELECT seal FROM ballot_round").fetchone()[0] is None     # the round's key is gone
    assert data["tally"] == {c: [1, 1, 11] for c in cands}
    assert data["box_sha256"] == hashlib.sha256("\n".join(sorted(box)).encode("utf-8")).hexdigest()   # key and choices


@pytest.mark.parametrize("design", DESIGNS)
def test_a_waiting_paper_copy_of_one_voter_shows_no_choice(demo_at: MakeApp, design: str) -> None:
    """One expert votes on paper: the roll marks them ``paper``, and the batch's first copy waits
    for the second. Sealed, the db, WAL and -shm show no choice, then nor after the second copy;
    the control (the waiting copy in the clear) unmasks the paper voter under the same spy."""
    app, mid = demo_at(Step.PLENARY)
    if design == "control":
        use_control(app)
    voters = [m.code for m in app.views.members(mid) if m.role == "expert"]
    cands = [c.code for c in app.views.candidates(mid)]
    ballots = distinct_ballots(voters, cands)
    rid = app.voting.open_first_round("主任委员", mid, voters, passphrase=ROUND_PASSPHRASE)
    staff = Staff(app, mid)
    paper_voter = voters[4]
    spy = Spy.on(app.store.path, ballots, cands)
    spy.take()
    app.voting.mark_paper_vote(staff.secretary, rid, paper_voter)
    app.voting.enter_paper_batch(staff.secretary, rid, "B1", [ballots[paper_voter]])
    spy.cast(paper_voter)
    if design == "control":
        assert spy.links() == 1 and spy.readable(spy.snapshots[-1]) == {paper_voter}
        return
    assert spy.links() == 0 and not spy.readable(spy.snapshots[-1])
    check = app.voting.enter_paper_batch(staff.supervisor, rid, "B1", [ballots[paper_voter]],
                                         passphrase=ROUND_PASSPHRASE)
    assert check["status"] == "accepted"
    spy.take()
    assert spy.links() == 0 and not spy.readable(spy.snapshots[-1])


def test_a_wrong_passphrase_opens_nothing_and_changes_nothing(demo_at: MakeApp) -> None:
    app, mid = demo_at(Step.PLENARY)
    voters = [m.code for m in app.views.members(mid) if m.role == "expert"]
    rid = app.voting.open_first_round("主任委员", mid, voters, passphrase=ROUND_PASSPHRASE)
    terminals = Terminals(app, mid)
    for voter in voters:
        terminals.cast(rid, voter, {})
    events = _events(app.store.path)
    for wrong in ("not-the-round-passphrase", None):
        with pytest.raises(RuleViolation) as err:
            app.voting.close_round("主任委员", mid, rid, passphrase=wrong)
        assert err.value.rule == "ballot.passphrase" and "表决口令" in str(err.value.violations[0].text("zh"))
    assert app.views.rounds(mid)[0].status == "open" and app.views.rounds(mid)[0].ballots == 13
    assert _events(app.store.path) == events
    app.voting.close_round("主任委员", mid, rid, passphrase=ROUND_PASSPHRASE)
    assert app.views.rounds(mid)[0].status == "closed"


def test_a_short_round_passphrase_is_refused(demo_at: MakeApp) -> None:
    app, mid = demo_at(Step.PLENARY)
    voters = [m.code for m in app.views.members(mid) if m.role == "expert"]
    with pytest.raises(RuleViolation) as err:
        app.voting.open_first_round("主任委员", mid, voters, passphrase="short")
    assert err.value.rule == "ballot.passphrase"
    assert app.views.rounds(mid) == []
