"""The secret ballot: nothing links the voter roll to the ballots.

These tests play the auditor who wants to know how E-somebody voted, with full
access to the database file: they try every link the design rules out — a
shared id, insertion order, a timestamp, a rowid, the audit trail, the physical
order of rows in the file — and must fail.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from app.domain import Step
from app.services import Conclave
from tests.sessions import Terminals

from .conftest import MakeApp


@pytest.fixture
def voted(demo_at: MakeApp) -> tuple[Conclave, int, list[str], list[str]]:
    """A first round in which voter i votes yes for candidate i only — so a ballot betrays its voter
    if anything links them. Returns the app, the meeting, the voters in casting order, the candidates."""
    app, mid = demo_at(Step.PLENARY)
    voters = [m.code for m in app.views.members(mid) if m.role == "expert"]
    cands = [c.code for c in app.views.candidates(mid)]
    rid = app.voting.open_first_round("主任委员", mid, voters)
    terminals = Terminals(app, mid)
    for voter in voters:                         # every terminal unlocked before anyone votes
        terminals.token(voter)
    for i, voter in enumerate(voters):
        terminals.cast(rid, voter, {c: ("yes" if j == i else "no") for j, c in enumerate(cands)})
    app.voting.close_round("主任委员", mid, rid)
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
