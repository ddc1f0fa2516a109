"""A real host and three terminals over TLS on loopback, through what experts do at terminals:
the commitment, scores and questions (step 3), question review (step 4), and the vote with a runoff
(step 7) — whose results equal ``conclave recount`` of the exported record."""

from __future__ import annotations

import random
from collections.abc import Callable

import pytest

from app.demo import _ballots, load_demo_data
from app.domain import Step
from app.record.export import export_record
from app.record.recount import recount
from app.rules.calendar import WorkCalendar
from tests.sessions import SECRETARY

from .conftest import MID, Lan, close_round, open_round

LanAt = Callable[[Step | int], Lan]


def test_experts_sign_the_commitment_at_three_terminals(lan_at: LanAt, monkeypatch: pytest.MonkeyPatch) -> None:
    for proxy in ("HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy"):   # a terminal talks to the host only
        monkeypatch.setenv(proxy, "http://192.0.2.1:9")
    lan = lan_at(0)                                  # set up: step 1 is next
    app = lan.app
    experts = [m.code for m in app.views.members(MID) if m.role == "expert"][:3]
    terminals = [lan.client(f"终端{i + 1}") for i in range(3)]
    assert len({t.station_id for t in terminals}) == 3
    for terminal, expert in zip(terminals, experts, strict=True):
        app.setup.check_in(SECRETARY, MID, expert)
        session = lan.sign_in(terminal, expert)
        tasks = terminal.tasks(session)
        assert tasks.member_code == expert and tasks.commitment_open and not tasks.commitment_signed
        assert terminal.submit(session, "commitment", {}).status == "accepted"
        assert terminal.tasks(session).commitment_signed
        terminal.lock(session)
    signed = {m.code for m in app.views.members(MID) if m.commitment_signed}
    assert set(experts) <= signed
    assert all(t.pending() == 0 for t in terminals)


def test_primary_reviewers_score_and_draft_questions_over_the_lan(lan_at: LanAt) -> None:
    lan = lan_at(Step.ELIGIBILITY)                   # step 3 runs
    app = lan.app
    by_group: dict[str, list[str]] = {}
    for m in app.views.members(MID):
        if m.role == "expert" and m.group:
            by_group.setdefault(m.group, []).append(m.code)
    eligible = [c for c in app.views.candidates(MID) if c.eligible][:3]
    reviewers = {c.code: by_group[c.group][0] for c in eligible}          # the secretary assigns them
    for code, expert in reviewers.items():
        app.review.assign_reviewer(SECRETARY, MID, code, expert)
    terminals = [lan.client(f"终端{i + 1}") for i in range(3)]
    for terminal, (code, expert) in zip(terminals, reviewers.items(), strict=True):
        session = lan.sign_in(terminal, expert)
        tasks = terminal.tasks(session)
        assert tasks.review_open and code in {r.code for r in tasks.review}
        points = {name: top // 2 for name, top in tasks.rubric}
        assert terminal.submit(session, "scores", {"candidate": code, "points": points}).status == "accepted"
        ack = terminal.submit(session, "question", {"candidate": code, "text": "请谈谈代表性业绩的创新之处。",
                                                    "answer": "要点：创新性；效益；可推广性。"})
        assert ack.status == "accepted" and isinstance(ack.result, int)
        mine = next(r for r in terminal.tasks(session).review if r.code == code)
        assert mine.points == points and mine.questions == 1
        terminal.lock(session)
    drafted = [q for q in app.views.questions(MID) if q.candidate in reviewers]
    assert {(q.candidate, q.setter) for q in drafted} == set(reviewers.items())


def test_questions_are_reviewed_by_another_expert_over_the_lan(lan_at: LanAt) -> None:
    lan = lan_at(Step.PRIMARY_REVIEW)               # step 4 runs: the demo's questions await review
    app = lan.app
    terminals = [lan.client(f"终端{i + 1}") for i in range(3)]
    reviewed: set[int] = set()
    experts = [m.code for m in app.views.members(MID) if m.role == "expert"]
    for i, expert in enumerate(experts[:6]):
        terminal = terminals[i % 3]
        session = lan.sign_in(terminal, expert)
        waiting = [q for q in terminal.tasks(session).questions_to_review if not q.reviewed]
        if waiting:
            q = waiting[0]
            assert terminal.submit(session, "question_review", {"question_id": q.id}).status == "accepted"
            reviewed.add(q.id)
        terminal.lock(session)
    assert reviewed
    rows = {q.id: q for q in app.views.questions(MID)}
    assert all(rows[qid].reviewer is not None and rows[qid].reviewer != rows[qid].setter for qid in reviewed)


def test_a_vote_with_a_runoff_at_three_terminals_agrees_with_the_recount(lan_at: LanAt) -> None:
    lan = lan_at(Step.PLENARY)                       # step 7 runs: the ballot
    app = lan.app
    d = load_demo_data()
    terminals = [lan.client(f"终端{i + 1}") for i in range(3)]
    experts = [m.code for m in app.views.members(MID) if m.role == "expert"]
    rng = random.Random(12)

    def vote(round_id: int, ballots: list[dict[str, str]]) -> None:
        for i, (expert, ballot) in enumerate(zip(experts, ballots, strict=True)):
            terminal = terminals[i % 3]                 # experts take turns at the three terminals
            session = lan.sign_in(terminal, expert)
            tasks = terminal.tasks(session)
            assert tasks.ballot is not None and tasks.ballot.round_id == round_id
            assert {c.code for c in tasks.ballot.candidates} == set(ballot)
            assert terminal.submit(session, "ballot", {"round_id": round_id, "choices": ballot}).status == "accepted"
            if i == 0:
                assert terminal.tasks(session).ballot is None               # voted: nothing more to vote
            terminal.lock(session)

    rid = open_round(app, MID, experts)
    vote(rid, _ballots(d["votes"]["yes"], len(experts), rng))
    results = close_round(app, MID, rid)
    assert [sorted(p.candidates) for p in results.allocation.pending] == [["C024", "C029"]]
    rid = open_round(app, MID, experts, runoff=True)
    vote(rid, _ballots(d["votes"]["runoff_yes"], len(experts), rng))
    results = close_round(app, MID, rid)
    assert not results.allocation.pending
    assert all(t.pending() == 0 for t in terminals)
    for t in terminals:                                        # no ballot lingers on a terminal's disk
        for f in t.journal.path.parent.iterdir():
            assert b'"choices"' not in f.read_bytes(), f
    for number, tallies in results.counts.items():            # every ballot arrived, once
        assert all(t.yes + t.no + t.abstain == len(experts) for t in tallies.values()), number

    recounted = recount(export_record(app.store, MID), WorkCalendar())
    assert recounted["errors"] == []
    stored = {c.code: (c.outcome, c.reason) for c in app.views.candidates(MID)}
    assert stored == {c["id"]: (c["outcome"], c["reason"]) for c in recounted["candidates"]}
    assert sum(1 for o, _ in stored.values() if o == "passed") > 0
