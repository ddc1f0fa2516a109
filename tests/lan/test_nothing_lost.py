"""Nothing lost, nothing twice: an acknowledgement lost on the way back, the link cut mid-vote, the
host restarted (a new process on the same database, certificate and station tokens) and a terminal
restarted — and every ballot arrives exactly once (the count and the entry ledger say so)."""

from __future__ import annotations

import random
import sqlite3
from contextlib import closing
from pathlib import Path

from app.demo import _ballots, load_demo_data
from app.domain import Step
from app.lan.client import StationClient
from app.lan.host import Host
from app.services import Conclave
from tests.sessions import Staff

from .conftest import MID, Lan, close_round, open_round
from .proxy import Relay


def _ledger(path: Path) -> dict[str, int]:
    with closing(sqlite3.connect(path)) as conn:
        return dict(conn.execute("SELECT kind, COUNT(*) FROM station_entry GROUP BY kind").fetchall())


def test_a_cut_mid_vote_and_a_host_restart_lose_nothing_and_duplicate_nothing(lan_at, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    lan: Lan = lan_at(Step.PLENARY)
    app = lan.app
    experts = [m.code for m in app.views.members(MID) if m.role == "expert"]
    ballots = dict(zip(experts, _ballots(load_demo_data()["votes"]["yes"], len(experts), random.Random(5)),
                       strict=True))
    relay = Relay(("127.0.0.1", lan.host.port))          # the network between terminals and host
    terminals = []
    for i in range(3):
        t = StationClient(relay.address, lan.host.fingerprint, tmp_path / f"t{i}")
        t.pair(lan.pairing_code(), f"终端{i + 1}")
        terminals.append(t)
    rid = open_round(app, MID, experts)
    queue = list(experts)

    def vote_at(t: StationClient, expert: str) -> str:
        s = lan.sign_in(t, expert)
        return t.submit(s, "ballot", {"round_id": rid, "choices": ballots[expert]}).status

    # 1. two ordinary votes
    for t in terminals[:2]:
        assert vote_at(t, queue.pop(0)) == "accepted"

    # 2. an acknowledgement lost on the way back: the host has the ballot, the terminal does not know
    a = terminals[0]
    expert = queue.pop(0)
    s = lan.sign_in(a, expert)
    relay.lose_next_answer()
    assert a.submit(s, "ballot", {"round_id": rid, "choices": ballots[expert]}).status == "pending"
    assert a.pending() == 1
    assert a.flush() == 1 and a.pending() == 0          # sent again: the host answers "duplicate"
    assert _ledger(app.path)["ballot"] == 3

    # 3. the link is cut mid-vote: the entry stays on the terminal
    b = terminals[1]
    expert_b = queue.pop(0)
    s_b = lan.sign_in(b, expert_b)
    port = lan.host.port
    lan.host.stop(grace=0)
    relay.cut()
    assert b.submit(s_b, "ballot", {"round_id": rid, "choices": ballots[expert_b]}).status == "pending"
    c = terminals[2]                                  # and one made before the cut, on a terminal restarted later
    assert b.pending() == 1 and c.pending() == 0

    # 4. the host restarts: a new program on the same database, the same certificate and tokens
    app.close()
    app2 = Conclave(app.path)
    lan.app = app2
    lan.staff = Staff(app2, MID)                      # staff sessions died with the old program
    host2 = Host(app2, MID, "127.0.0.1", port)
    assert host2.fingerprint == lan.host.fingerprint
    host2.start()
    lan.host = host2
    assert b.flush() == 0 and b.pending() == 1        # the old session died with the host: kept
    lan.sign_in(b, expert_b)                          # signing in again sends what waited
    assert b.pending() == 0

    # 5. a terminal restarted with an entry in its journal
    expert_c = queue.pop(0)
    s_c = lan.sign_in(c, expert_c)
    relay.cut()
    host2.stop(grace=0)
    assert c.submit(s_c, "ballot", {"round_id": rid, "choices": ballots[expert_c]}).status == "pending"
    c.close()                                          # the terminal program ends
    host2.start()
    c = StationClient(relay.address, lan.host.fingerprint, tmp_path / "t2")
    lan.clients.append(c)
    assert c.paired and c.pending() == 1
    lan.sign_in(c, expert_c)
    assert c.pending() == 0

    # 6. everybody else votes; every ballot arrived exactly once
    for i, expert in enumerate(queue):
        assert vote_at(terminals[i % 2], expert) == "accepted"
    assert _ledger(app2.path)["ballot"] == len(experts)
    results = close_round(app2, MID, rid)
    for tally in results.counts[1].values():
        assert tally.yes + tally.no + tally.abstain == len(experts)
    for t in (*terminals[:2], c):
        t.close()
    relay.close()


def test_a_ballot_kept_on_a_terminal_for_a_round_voided_meanwhile_is_refused_never_counted(  # type: ignore[no-untyped-def]
        lan_at, tmp_path: Path) -> None:
    # the link is down while an expert votes; meanwhile the round is voided (its passphrase lost) and held
    # again. The kept ballot arrives: refused for good and erased from the terminal, never counted in the
    # new round, where the expert votes again.
    lan: Lan = lan_at(Step.PLENARY)
    app = lan.app
    experts = [m.code for m in app.views.members(MID) if m.role == "expert"]
    cands = [c.code for c in app.views.candidates(MID)]
    relay = Relay(("127.0.0.1", lan.host.port))
    t = StationClient(relay.address, lan.host.fingerprint, tmp_path / "t")
    t.pair(lan.pairing_code(), "终端1")
    rid = open_round(app, MID, experts)
    s = lan.sign_in(t, experts[0])
    port = lan.host.port
    lan.host.stop(grace=0)                                            # the link is down
    relay.cut()
    assert t.submit(s, "ballot", {"round_id": rid, "choices": {c: "no" for c in cands}}).status == "pending"
    app.voting.void_round(lan.staff.supervisor, MID, rid, "M01", "纪检监察人员遗失本轮表决口令，票箱无法开启")
    again = open_round(app, MID, experts)
    lan.host = Host(app, MID, "127.0.0.1", port)                      # back, the same program
    lan.host.start()
    t.flush()
    assert t.pending() == 0                                           # refused for good: nothing kept
    assert [(kind, exc.rule) for kind, exc in t.refused] == [("ballot", "ballot.voided")]
    assert app.views.rounds(MID)[0].voted == () and _ledger(app.path).get("ballot", 0) == 0
    s = lan.sign_in(t, experts[0])
    assert t.submit(s, "ballot", {"round_id": again, "choices": {c: "yes" for c in cands}}).status == "accepted"
    assert app.views.rounds(MID)[0].voted == (experts[0],)
    t.close()
    relay.close()
