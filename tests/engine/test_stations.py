"""LAN stations: pairing (one-time, expiring, five tries), tokens stored hashed and revocable, entries
written once with their ledger row (a resubmission is a duplicate that writes nothing, even after a
host restart), hostile requests refused — one ``station.refused`` event, nothing else written — and
the in-memory connection state; the live board."""

from __future__ import annotations

import datetime as dt
import json
import re
import sqlite3
import threading
import uuid
from contextlib import closing
from dataclasses import dataclass

import pytest
from sqlalchemy import event, select

from app.domain import Step
from app.errors import RuleViolation
from app.services import Conclave
from app.services import terminals as terminals_module
from app.services.stations import CONNECTED_WITHIN, PAIRING_TRIES, PAIRING_TTL, StationService
from app.storage.schema import station, station_entry
from tests.sessions import ROUND_PASSPHRASE, Staff, issue, unlock
from tests.tables import audit_actions, audit_head, snapshot

from .conftest import MakeApp

T0 = dt.datetime(2026, 11, 20, 8, 0, tzinfo=dt.UTC)


class Clock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> dt.datetime:
        return self.now


@dataclass
class Host:
    app: Conclave
    mid: int
    svc: StationService
    clock: Clock
    staff: str                        # the secretary's staff session

    def paired(self, name: str = "会议室A-1") -> str:
        offer = self.svc.open_pairing(self.staff)
        return self.svc.pair(self.mid, offer.code, name).token


def host_on(app: Conclave, mid: int) -> Host:
    clock = Clock()
    svc = StationService(app.store, app.staff, app.terminals, app.desk, clock=clock)
    return Host(app, mid, svc, clock, Staff(app, mid).secretary)


@pytest.fixture
def ballot_host(demo_at: MakeApp) -> Host:
    """Step 7 running (the demo's plenary is done)."""
    app, mid = demo_at(Step.PLENARY)
    return host_on(app, mid)


@pytest.fixture
def review_host(demo_at: MakeApp) -> Host:
    """Step 3 running (eligibility is done), nobody assigned yet."""
    app, mid = demo_at(Step.ELIGIBILITY)
    return host_on(app, mid)


@pytest.fixture(autouse=True)
def _cheap_codes(monkeypatch: pytest.MonkeyPatch) -> None:
    """One-time codes hashed with a cheap scrypt cost (as tests.sessions.CHEAP does for staff codes):
    these tests unlock many sessions, and what they test is not the hash."""
    monkeypatch.setitem(terminals_module._SCRYPT, "n", 2**4)


def experts(app: Conclave, mid: int) -> list[str]:
    return [m.code for m in app.views.members(mid) if m.role == "expert"]


def entry() -> str:
    return str(uuid.uuid4())


def refused_by_station(h: Host, rule: str, call: object, *args: object) -> RuleViolation:
    """Refused with ``rule`` (in Chinese too); one ``station.refused`` event naming it; nothing else written."""
    before, head = snapshot(h.app.store.path), audit_head(h.app.store.path)
    with pytest.raises(RuleViolation) as info:
        call(*args)  # type: ignore[operator]
    assert info.value.rule == rule, info.value
    assert info.value.violations[0].zh
    assert snapshot(h.app.store.path) == before
    events = audit_actions(h.app.store.path, head)
    assert [a for a, _ in events] == ["station.refused"], events
    assert json.loads(events[0][1])["rule"] == rule
    return info.value


# -- pairing ---------------------------------------------------------------------------------------
def test_pairing_code_works_once_and_the_token_is_kept_only_hashed(ballot_host: Host) -> None:
    h = ballot_host
    offer = h.svc.open_pairing(h.staff)
    assert len(offer.code) >= 6 and offer.expires_at == T0 + PAIRING_TTL
    paired = h.svc.pair(h.mid, offer.code.lower(), "  会议室A-1 ")
    assert h.svc.station(paired.token).name == "会议室A-1"
    with pytest.raises(RuleViolation) as info:
        h.svc.pair(h.mid, offer.code, "会议室A-2")
    assert info.value.rule == "station.no_pairing"
    with closing(sqlite3.connect(h.app.store.path)) as raw:
        dump = "\n".join(raw.iterdump())
    assert paired.token not in dump and offer.code not in dump
    events = [(a, json.loads(d)) for a, d in audit_actions(h.app.store.path) if a.startswith("station.")]
    assert [(a, d.get("result")) for a, d in events] == [("station.pairing", None), ("station.pair", "ok"),
                                                          ("station.pair", "none")]
    assert events[0][1]["staff"] == "secretary"


def test_five_wrong_codes_close_the_pairing_and_an_old_one_expires(ballot_host: Host) -> None:
    h = ballot_host
    offer = h.svc.open_pairing(h.staff)
    wrong = "".join("A" if ch != "A" else "B" for ch in offer.code)
    for left in range(PAIRING_TRIES - 1, 0, -1):
        with pytest.raises(RuleViolation) as info:
            h.svc.pair(h.mid, wrong, "T")
        assert info.value.rule == "station.pairing_code" and f"还可尝试{left}次" in (info.value.violations[0].zh or "")
    for code in (wrong, offer.code):                      # the fifth wrong try, then even the right code
        with pytest.raises(RuleViolation) as info:
            h.svc.pair(h.mid, code, "T")
        assert info.value.rule == "station.pairing_locked"
    late = h.svc.open_pairing(h.staff)
    h.clock.now = T0 + PAIRING_TTL
    with pytest.raises(RuleViolation) as info:
        h.svc.pair(h.mid, late.code, "T")
    assert info.value.rule == "station.pairing_expired"
    assert h.svc.stations(h.mid) == ()


def test_only_a_signed_in_staff_member_opens_a_pairing_or_revokes(ballot_host: Host) -> None:
    h = ballot_host
    with pytest.raises(RuleViolation) as info:
        h.svc.open_pairing("not-a-staff-session")
    assert info.value.rule == "staff.session"
    token = h.paired()
    sid = h.svc.station(token).station_id
    with pytest.raises(RuleViolation):
        h.svc.revoke("not-a-staff-session", sid)
    assert not h.svc.station(token).revoked


def test_revoked_and_unknown_tokens_are_refused_and_audited(ballot_host: Host) -> None:
    h = ballot_host
    token = h.paired()
    sid = h.svc.station(token).station_id
    session = h.svc.sign_in(token, experts(h.app, h.mid)[0], issue(h.app, h.mid, experts(h.app, h.mid)[0]))
    h.svc.revoke(h.staff, sid)
    assert h.svc.stations(h.mid)[0].revoked
    refused_by_station(h, "station.revoked", h.svc.station, token)
    refused_by_station(h, "station.revoked", h.svc.submit, token, entry(), "commitment", {}, session.token)
    refused_by_station(h, "station.unknown", h.svc.station, "forged-token")
    with pytest.raises(RuleViolation) as info:            # the expert signed in there is signed out
        h.app.terminals.session(session.token)
    assert info.value.rule == "terminal.session"
    with pytest.raises(RuleViolation) as info:
        h.svc.revoke(h.staff, sid)
    assert info.value.rule == "station.revoked"



def test_a_station_is_read_from_the_file_once_and_its_revocation_holds_at_once(ballot_host: Host) -> None:
    """Every request of a station names its token — the transport, the entry and the heartbeat each
    ask whose it is; the file is read for it once, and a revocation still stops it at once."""
    h = ballot_host
    token = h.paired()
    voter = experts(h.app, h.mid)[0]
    session = h.svc.sign_in(token, voter, issue(h.app, h.mid, voter)).token
    reads: list[str] = []

    def note(conn: object, cursor: object, statement: str, *rest: object) -> None:
        if re.search(r"\bFROM station\b", statement):
            reads.append(statement)

    event.listen(h.app.store.engine, "before_cursor_execute", note)
    try:
        for n in range(3):
            h.svc.station(token)
            h.svc.tasks(token, session)
            h.svc.seen(token, None, n)
        assert reads == []
        h.svc.revoke(h.staff, h.svc.station(token).station_id)
        refused_by_station(h, "station.revoked", h.svc.station, token)
        with pytest.raises(RuleViolation) as info:
            h.svc.seen(token, None, 0)
        assert info.value.rule == "station.revoked"
    finally:
        event.remove(h.app.store.engine, "before_cursor_execute", note)


# -- entries ---------------------------------------------------------------------------------------
def test_a_ballot_is_written_once_even_across_a_host_restart(ballot_host: Host) -> None:
    h = ballot_host
    voters = experts(h.app, h.mid)
    rid = h.app.voting.open_first_round("M01", h.mid, voters, passphrase=ROUND_PASSPHRASE)
    token = h.paired()
    session = h.svc.sign_in(token, voters[0], issue(h.app, h.mid, voters[0]))
    codes = [c.code for c in h.app.views.candidates(h.mid)]
    body = {"round_id": rid, "choices": {c: "yes" for c in codes}}
    eid = entry()
    ack = h.svc.submit(token, eid, "ballot", body, session.token)
    assert (ack.entry_id, ack.status) == (eid, "accepted")
    with h.app.store.read() as conn:
        ledger = conn.execute(select(station_entry)).all()
    assert [(r.entry_id, r.kind, r.digest) for r in ledger] == [(eid, "ballot", None)]   # no trace of choices
    cast = [json.loads(d) for a, d in audit_actions(h.app.store.path) if a == "ballot.cast"][-1]
    changed = {table for table, *_ in cast.pop("changes")}    # the rows the cast wrote (app.storage.capture)
    assert set(cast) == {"round", "station", "entry"} and changed == {"voter_roll", "station_entry"}
    before, head = snapshot(h.app.store.path), audit_head(h.app.store.path)
    assert h.svc.submit(token, eid, "ballot", body, session.token).status == "duplicate"
    # the host restarts: sessions are gone, the ledger is not
    path = h.app.store.path
    h.app.close()
    with Conclave(path) as again:
        assert again.stations.submit(token, eid, "ballot", body, session.token).status == "duplicate"
        assert again.views.rounds(h.mid)[0].ballots == 1
    assert snapshot(path) == before and audit_head(path) == head


def test_scores_and_questions_through_a_station(review_host: Host) -> None:
    h = review_host
    app, mid = h.app, h.mid
    me = next(m for m in app.views.members(mid) if m.role == "expert")
    mine = next(c.code for c in app.views.candidates(mid) if c.group == me.group and c.eligible and c.unit != me.unit)
    app.review.assign_reviewer("秘书", mid, mine, me.code)
    token = h.paired()
    session = h.svc.sign_in(token, me.code, issue(app, mid, me.code))
    sheet = {r.name: r.max_points for r in app.views.rubric(mid)}
    eid = entry()
    assert h.svc.submit(token, eid, "scores", {"candidate": mine, "points": sheet}, session.token).status == "accepted"
    ack = h.svc.submit(token, entry(), "question", {"candidate": mine, "text": "题目", "answer": "答案"}, session.token)
    assert ack.status == "accepted" and ack.result in {q.id for q in app.views.questions(mid)}
    # the same entry id with another body is a replay, refused; with the same body a duplicate
    other = {**sheet, next(iter(sheet)): 0}
    refused_by_station(h, "station.replay", h.svc.submit, token, eid, "scores",
                       {"candidate": mine, "points": other}, session.token)
    assert h.svc.submit(token, eid, "scores", {"candidate": mine, "points": sheet}, session.token).status == "duplicate"


def test_hostile_entries_are_refused_with_nothing_written(review_host: Host) -> None:
    h = review_host
    app, mid = h.app, h.mid
    me = next(m for m in app.views.members(mid) if m.role == "expert")
    cands = [c for c in app.views.candidates(mid) if c.group == me.group and c.eligible and c.unit != me.unit]
    mine, theirs = cands[0].code, cands[1].code
    app.review.assign_reviewer("秘书", mid, mine, me.code)
    token = h.paired()
    session = h.svc.sign_in(token, me.code, issue(app, mid, me.code)).token
    sheet = {r.name: r.max_points for r in app.views.rubric(mid)}
    item = next(iter(sheet))
    submit = h.svc.submit
    refused_by_station(h, "station.entry", submit, token, "not-a-uuid", "scores", {}, session)
    refused_by_station(h, "station.kind", submit, token, entry(), "delete_everything", {}, session)
    refused_by_station(h, "station.body", submit, token, entry(), "scores", {"candidate": mine}, session)
    refused_by_station(h, "station.body", submit, token, entry(), "scores", [1, 2], session)
    refused_by_station(h, "station.body", submit, token, entry(), "scores",
                       {"candidate": mine, "points": {**sheet, item: "10"}}, session)
    refused_by_station(h, "station.body", submit, token, entry(), "question",
                       {"candidate": mine, "text": "x" * 10_001, "answer": "a"}, session)
    for choices in ({mine: 1}, {1: "yes"}, {mine: "yes", theirs: None}):      # a choice by code, as text
        refused_by_station(h, "station.body", submit, token, entry(), "ballot", {"round_id": 1, "choices": choices},
                           session)
    refused_by_station(h, "score.range", submit, token, entry(), "scores",
                       {"candidate": mine, "points": {**sheet, item: sheet[item] + 1}}, session)
    refused_by_station(h, "desk.not_assigned", submit, token, entry(), "scores",
                       {"candidate": theirs, "points": sheet}, session)
    app.setup.declare_conflict(me.code, mid, me.code, theirs, "亲属关系")
    refused_by_station(h, "review.conflict", submit, token, entry(), "scores",
                       {"candidate": theirs, "points": sheet}, session)
    refused_by_station(h, "step.not_reached", submit, token, entry(), "question_review", {"question_id": 1}, session)
    refused_by_station(h, "terminal.session", submit, token, entry(), "commitment", {}, "stale-session")
    # a session signed in at another station is not this one's to use
    second = h.paired("会议室A-2")
    refused_by_station(h, "station.session", submit, second, entry(), "scores",
                       {"candidate": mine, "points": sheet}, session)
    refused_by_station(h, "station.session", h.svc.tasks, second, session)
    assert [r.code for r in h.svc.tasks(token, session).review] == [mine]


def test_a_vote_in_a_closed_round_is_refused(ballot_host: Host) -> None:
    h = ballot_host
    voters = experts(h.app, h.mid)
    rid = h.app.voting.open_first_round("M01", h.mid, voters, passphrase=ROUND_PASSPHRASE)
    token = h.paired()
    session = h.svc.sign_in(token, voters[0], issue(h.app, h.mid, voters[0])).token
    h.app.voting.close_round("M01", h.mid, rid, passphrase=ROUND_PASSPHRASE)
    refused_by_station(h, "ballot.closed", h.svc.submit, token, entry(), "ballot",
                       {"round_id": rid, "choices": {}}, session)


def test_an_entry_from_an_expert_recorded_as_departed_is_refused(ballot_host: Host) -> None:
    """The station passes the session on without reading it again; the desk's own check, in the
    same turn, finds the departure and nothing is written."""
    h = ballot_host
    voters = experts(h.app, h.mid)
    token = h.paired()
    session = h.svc.sign_in(token, voters[0], issue(h.app, h.mid, voters[0])).token
    h.app.setup.record_departure("秘书", h.mid, voters[0], "身体不适")
    rid = h.app.voting.open_first_round("M01", h.mid, voters[1:], passphrase=ROUND_PASSPHRASE)
    refused_by_station(h, "terminal.departed", h.svc.submit, token, entry(), "ballot",
                       {"round_id": rid, "choices": {}}, session)


def test_the_same_entry_sent_twice_at_once_is_written_once(ballot_host: Host) -> None:
    h = ballot_host
    voters = experts(h.app, h.mid)
    rid = h.app.voting.open_first_round("M01", h.mid, voters, passphrase=ROUND_PASSPHRASE)
    token = h.paired()
    session = h.svc.sign_in(token, voters[0], issue(h.app, h.mid, voters[0])).token
    eid, acks = entry(), []
    body = {"round_id": rid, "choices": {}}

    def send() -> None:
        acks.append(h.svc.submit(token, eid, "ballot", body, session).status)

    threads = [threading.Thread(target=send) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(acks) == ["accepted", "duplicate", "duplicate", "duplicate"]
    assert h.app.views.rounds(h.mid)[0].ballots == 1


# -- sessions at stations --------------------------------------------------------------------------
def test_one_expert_at_one_station_at_a_time(ballot_host: Host) -> None:
    h = ballot_host
    a, b = h.paired("A"), h.paired("B")
    one, two = experts(h.app, h.mid)[:2]
    first = h.svc.sign_in(a, one, issue(h.app, h.mid, one))
    moved = h.svc.sign_in(b, one, issue(h.app, h.mid, one))      # a new code, at another station
    with pytest.raises(RuleViolation):
        h.app.terminals.session(first.token)
    assert h.app.terminals.session(moved.token).member_code == one
    h.svc.sign_in(b, two, issue(h.app, h.mid, two))              # station B signs in someone else
    with pytest.raises(RuleViolation):
        h.app.terminals.session(moved.token)


# -- connection state and the board ---------------------------------------------------------------
def test_station_states_say_who_is_connected(ballot_host: Host) -> None:
    h = ballot_host
    a, b = h.paired("A"), h.paired("B")
    voter = experts(h.app, h.mid)[0]
    h.svc.sign_in(a, voter, issue(h.app, h.mid, voter))
    h.svc.seen(a, "whoever the terminal says", 2)
    h.svc.seen(b, None, 0)
    states = {s.name: s for s in h.svc.station_states(h.mid)}
    name = next(m.name for m in h.app.views.members(h.mid) if m.code == voter)
    assert (states["A"].connected, states["A"].expert, states["A"].pending, states["A"].last_seen) == (
        True, name, 2, T0)
    assert states["B"].connected and states["B"].expert is None
    h.clock.now = T0 + CONNECTED_WITHIN + dt.timedelta(seconds=1)
    h.svc.seen(b, None, 0)
    assert [s.name for s in h.svc.station_states(h.mid) if s.connected] == ["B"]
    assert h.svc.connected(h.mid) == 1
    h.svc.revoke(h.staff, h.svc.station(b).station_id)
    assert h.svc.connected(h.mid) == 0 and [s.revoked for s in h.svc.station_states(h.mid)] == [False, True]


def test_seen_from_many_threads_at_once(ballot_host: Host) -> None:
    h = ballot_host
    tokens = [h.paired(f"T{i}") for i in range(3)]

    def beat(token: str) -> None:
        for n in range(50):
            h.svc.seen(token, None, n)

    threads = [threading.Thread(target=beat, args=(t,)) for t in tokens]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert [s.pending for s in h.svc.station_states(h.mid)] == [49, 49, 49]


def test_the_board_shows_who_voted_never_how(ballot_host: Host) -> None:
    h = ballot_host
    app, mid = h.app, h.mid
    assert app.views.board(mid).round_number is None
    voters = experts(app, mid)
    rid = app.voting.open_first_round("M01", mid, voters, passphrase=ROUND_PASSPHRASE)
    names = {m.code: m.name for m in app.views.members(mid)}
    for v in voters[:3]:
        app.desk.cast(unlock(app, mid, v), rid, {})
    token = h.paired()
    app.stations.seen(token, None, 0)                  # the Conclave's own station service counts it
    board = app.views.board(mid)
    assert board.round_number == 1 and board.open and board.stations_connected == 1
    assert set(board.voted) == {names[v] for v in voters[:3]}
    assert set(board.waiting) == {names[v] for v in voters[3:]}
    assert list(board.voted) == [names[v] for v in sorted(voters[:3])]   # the panel's order, not the voting's


def test_the_station_tables_come_with_schema_7(tmp_path) -> None:
    from app.storage import db

    engine = db.open_engine(tmp_path / "old.sqlite3")
    with engine.begin() as conn:
        station_entry.drop(conn)
        station.drop(conn)
    with engine.begin() as conn:
        db.MIGRATIONS[6](conn)
        db.MIGRATIONS[6](conn)                           # and again: a file that has them already
        assert {"station", "station_entry"} <= {r[0] for r in conn.exec_driver_sql(
            "SELECT name FROM sqlite_master WHERE type = 'table'")}
    engine.dispose()

