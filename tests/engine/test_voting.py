"""The ballot: roll, double votes, late votes, paper double entry, counts and runoffs."""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing

import pytest
from sqlalchemy import func, select

from app.domain import Step
from app.errors import RuleViolation
from app.services import Conclave
from app.services.voting import SEALED_ENTRY, canonical_choices
from app.storage.schema import audit_event
from tests.sessions import ROUND_PASSPHRASE, Staff, Terminals

from .conftest import MakeApp
from .events import statements


@pytest.fixture
def ballot(demo_at: MakeApp) -> tuple[Conclave, int, int, list[str]]:
    app, mid = demo_at(Step.PLENARY)
    voters = [m.code for m in app.views.members(mid) if m.role == "expert"]
    rid = app.voting.open_first_round("M01", mid, voters[:-1],
                                      passphrase=ROUND_PASSPHRASE)   # the last expert left before the vote
    return app, mid, rid, voters


def _audit_count(app: Conclave) -> int:
    with app.store.read() as conn:
        return int(conn.execute(select(func.count()).select_from(audit_event)).scalar_one())


def _rule(call: object) -> str:
    with pytest.raises(RuleViolation) as err:
        call()  # type: ignore[operator]
    return err.value.rule


def test_absent_expert_is_recorded_and_cannot_vote(ballot: tuple) -> None:
    app, mid, rid, voters = ballot
    terms = Terminals(app, mid)
    rnd = app.views.rounds(mid)[0]
    assert rnd.absent == (voters[-1],) and len(rnd.voters) == 12
    assert _rule(lambda: terms.cast(rid, voters[-1], {"C001": "yes"})) == "ballot.voter"


def test_chair_does_not_vote(ballot: tuple) -> None:
    app, mid, rid, _ = ballot
    terms = Terminals(app, mid)
    assert _rule(lambda: terms.cast(rid, "M01", {"C001": "yes"})) == "ballot.voter"


def test_double_vote_refused_and_first_ballot_kept(ballot: tuple) -> None:
    app, mid, rid, voters = ballot
    terms = Terminals(app, mid)
    terms.cast(rid, voters[0], {"C001": "yes"})
    assert _rule(lambda: terms.cast(rid, voters[0], {"C001": "no"})) == "ballot.double"
    assert app.views.rounds(mid)[0].ballots == 1


def test_the_voter_is_the_expert_the_session_was_unlocked_for(ballot: tuple) -> None:
    app, mid, rid, voters = ballot
    terms = Terminals(app, mid)
    token = terms.token(voters[2])
    app.voting.cast(token, rid, {"C001": "yes"})
    assert app.views.rounds(mid)[0].voted == (voters[2],)
    with app.store.read() as conn:
        last = conn.execute(select(audit_event).order_by(audit_event.c.seq.desc())).first()
    data = json.loads(last.data)
    changes = data.pop("changes")                   # the row the cast added to the roll, never the ballot
    assert (last.action, last.actor, last.meeting_id, data) == ("ballot.cast", voters[2], mid, {"round": rid})
    assert [c[:2] for c in changes] == [["voter_roll", "i"]]
    raw = sqlite3.connect(app.store.path)                        # the session's secret is never stored
    dump = "\n".join(raw.iterdump())
    raw.close()
    assert token not in dump


def test_a_locked_or_unknown_session_cannot_cast(ballot: tuple) -> None:
    app, mid, rid, voters = ballot
    terms = Terminals(app, mid)
    token = terms.token(voters[0])
    app.terminals.lock(token)                                    # Lock pressed, or the terminal idled
    before = _audit_count(app)
    assert _rule(lambda: app.voting.cast(token, rid, {"C001": "yes"})) == "terminal.session"
    assert _rule(lambda: app.voting.cast("not-a-session", rid, {"C001": "yes"})) == "terminal.session"
    assert _rule(lambda: app.voting.cast("", rid, {"C001": "yes"})) == "terminal.session"
    rnd = app.views.rounds(mid)[0]
    assert (rnd.voted, rnd.ballots, _audit_count(app)) == ((), 0, before)


def test_a_session_lives_in_the_process_that_unlocked_it(ballot: tuple) -> None:
    app, mid, rid, voters = ballot
    terms = Terminals(app, mid)
    token = terms.token(voters[0])
    assert _rule(lambda: Conclave(app.store.path)) == "storage.busy"  # a second writer: refused at open
    with Conclave(app.store.path, read_only=True) as other:        # another program reading the file
        assert _rule(lambda: other.voting.cast(token, rid, {"C001": "yes"})) == "terminal.session"
    app.voting.cast(token, rid, {"C001": "yes"})
    assert app.views.rounds(mid)[0].voted == (voters[0],)


def test_bad_ballots_refused(ballot: tuple) -> None:
    app, mid, rid, voters = ballot
    terms = Terminals(app, mid)
    assert _rule(lambda: terms.cast(rid, voters[0], {"C999": "yes"})) == "ballot.unknown_candidate"
    assert _rule(lambda: terms.cast(rid, voters[0], {"C001": "maybe"})) == "ballot.choice"
    assert app.views.rounds(mid)[0].voted == ()


def test_live_count_shows_who_voted_never_how(ballot: tuple) -> None:
    app, mid, rid, voters = ballot
    terms = Terminals(app, mid)
    terms.cast(rid, voters[3], {"C001": "yes"})
    rnd = app.views.rounds(mid)[0]
    assert rnd.voted == (voters[3],) and rnd.ballots == 1
    assert not hasattr(rnd, "choices")


def test_no_late_vote_after_close(ballot: tuple) -> None:
    app, mid, rid, voters = ballot
    terms = Terminals(app, mid)
    terms.cast(rid, voters[0], {"C001": "yes"})
    app.voting.close_round("M01", mid, rid, passphrase=ROUND_PASSPHRASE)
    assert _rule(lambda: terms.cast(rid, voters[1], {"C001": "yes"})) == "ballot.closed"
    assert _rule(lambda: app.voting.close_round("M01", mid, rid, passphrase=ROUND_PASSPHRASE)) == "ballot.closed"


def test_paper_double_entry(ballot: tuple) -> None:
    app, mid, rid, voters = ballot
    staff = Staff(app, mid)
    for v in voters[:2]:
        app.voting.mark_paper_vote(staff.secretary, rid, v)
    batch = [{"C001": "yes", "C002": "no"}, {"C001": "abstain", "C002": "yes"}]
    assert app.voting.enter_paper_batch(staff.secretary, rid, "B1", batch)["status"] == "waiting"
    assert _rule(lambda: app.voting.enter_paper_batch(staff.secretary, rid, "B1", batch)) == "paper.same_clerk"
    typo = [{"C001": "yes", "C002": "no"}, {"C001": "no", "C002": "yes"}]
    check = app.voting.enter_paper_batch(staff.supervisor, rid, "B1", typo, passphrase=ROUND_PASSPHRASE)
    assert check["status"] == "mismatch"
    assert check["differences"] == ["ballot 2, candidate C001"]      # where, never what either copy says
    assert app.views.rounds(mid)[0].ballots == 0            # nothing guessed, nothing counted
    assert _rule(lambda: app.voting.close_round("M01", mid, rid, passphrase=ROUND_PASSPHRASE)) == "paper.unconfirmed"
    assert app.voting.enter_paper_batch(staff.supervisor, rid, "B1", batch,
                                        passphrase=ROUND_PASSPHRASE)["status"] == "accepted"
    assert app.views.rounds(mid)[0].ballots == 2
    assert _rule(lambda: app.voting.enter_paper_batch(staff.supervisor, rid, "B1", batch)) == "paper.accepted"


def _batch_row(app: Conclave) -> tuple:
    with closing(sqlite3.connect(app.store.path)) as con:
        return con.execute("SELECT clerk_a, entry_a, clerk_b, entry_b, size, status FROM paper_batch").fetchone()


def test_a_waiting_paper_copy_is_sealed_and_opened_only_with_the_round_passphrase(ballot: tuple) -> None:
    app, mid, rid, voters = ballot
    staff = Staff(app, mid)
    for v in voters[:2]:
        app.voting.mark_paper_vote(staff.secretary, rid, v)
    batch = [{"C001": "yes"}, {"C001": "no"}]
    app.voting.enter_paper_batch(staff.secretary, rid, "B1", batch)
    first = _batch_row(app)
    assert first[1].startswith(SEALED_ENTRY) and first[3] is None and '"C0' not in first[1]
    # another batch of two, every choice of another length: the sealed copies have one length
    app.voting.mark_paper_vote(staff.secretary, rid, voters[2])
    app.voting.mark_paper_vote(staff.secretary, rid, voters[3])
    app.voting.enter_paper_batch(staff.secretary, rid, "B2", [{}, {}])
    with closing(sqlite3.connect(app.store.path)) as con:
        assert len({len(e) for (e,) in con.execute("SELECT entry_a FROM paper_batch")}) == 1
    # the second copy: no passphrase, or a wrong one — refused, nothing written, no event
    supervisor = staff.supervisor                                # signed in (an event of its own)
    before = _audit_count(app)
    assert _rule(lambda: app.voting.enter_paper_batch(supervisor, rid, "B1", batch)) == "ballot.passphrase"
    assert _rule(lambda: app.voting.enter_paper_batch(supervisor, rid, "B1", batch,
                                                      passphrase="not-the-passphrase")) == "ballot.passphrase"
    assert (_batch_row(app), _audit_count(app), app.views.rounds(mid)[0].ballots) == (first, before, 0)
    # a mismatch: the new copy waits sealed too, the first stays sealed; the report names no choice
    typo = [{"C001": "yes"}, {"C001": "abstain"}]
    check = app.voting.enter_paper_batch(staff.supervisor, rid, "B1", typo, passphrase=ROUND_PASSPHRASE)
    assert check == {"status": "mismatch", "differences": ["ballot 2, candidate C001"]}
    row = _batch_row(app)
    assert row[0] == "secretary" and row[2] == "supervisor" and row[5] == "mismatch"
    assert row[1].startswith(SEALED_ENTRY) and row[3].startswith(SEALED_ENTRY) and len(row[1]) == len(row[3])
    with app.store.read() as conn:
        events = conn.execute(select(audit_event.c.data).where(audit_event.c.action == "paper.enter")).scalars()
        for data in events:         # round, batch, count, post, status, number of differences; digests
            assert not {"yes", "no", "abstain"} & set(data.split('"')) and "C001" not in data
    # the secretary, checking the paper, types it again: compared with the supervisor's sealed copy
    check = app.voting.enter_paper_batch(staff.secretary, rid, "B1", typo, passphrase=ROUND_PASSPHRASE)
    assert check["status"] == "accepted" and app.views.rounds(mid)[0].ballots == 2


def test_a_sealed_copy_moved_to_another_batch_does_not_open(ballot: tuple) -> None:
    app, mid, rid, voters = ballot
    staff = Staff(app, mid)
    app.voting.mark_paper_vote(staff.secretary, rid, voters[0])
    app.voting.mark_paper_vote(staff.secretary, rid, voters[1])
    app.voting.enter_paper_batch(staff.secretary, rid, "B1", [{"C001": "yes"}])
    app.voting.enter_paper_batch(staff.secretary, rid, "B2", [{"C001": "no"}])
    with closing(sqlite3.connect(app.store.path)) as con, con:          # swapped with any SQLite tool
        con.execute("UPDATE paper_batch SET code = 'B9' WHERE code = 'B1'")
        con.execute("UPDATE paper_batch SET code = 'B1' WHERE code = 'B2'")
        con.execute("UPDATE paper_batch SET code = 'B2' WHERE code = 'B9'")
    assert _rule(lambda: app.voting.enter_paper_batch(staff.supervisor, rid, "B1", [{"C001": "no"}],
                                                      passphrase=ROUND_PASSPHRASE)) == "paper.sealed"
    assert app.views.rounds(mid)[0].ballots == 0


def test_a_copy_an_older_version_left_in_the_clear_is_still_compared(ballot: tuple) -> None:
    app, mid, rid, voters = ballot
    staff = Staff(app, mid)
    app.voting.mark_paper_vote(staff.secretary, rid, voters[0])
    plain = json.dumps([canonical_choices({"C001": "yes"}, app.views.rounds(mid)[0].candidates)])
    with closing(sqlite3.connect(app.store.path)) as con, con:
        con.execute("INSERT INTO paper_batch (round_id, code, clerk_a, entry_a, status) "
                    "VALUES (?, 'B1', 'secretary', ?, 'waiting')", (rid, plain))
    assert app.views.paper_batches(rid)[0].size == 1             # no size stored: counted from the copy
    check = app.voting.enter_paper_batch(staff.supervisor, rid, "B1", [{"C001": "no"}], passphrase=ROUND_PASSPHRASE)
    assert check["differences"] == ["ballot 1, candidate C001"]
    row = _batch_row(app)
    assert row[1].startswith(SEALED_ENTRY) and row[3].startswith(SEALED_ENTRY)     # both wait sealed now
    assert app.voting.enter_paper_batch(staff.secretary, rid, "B1", [{"C001": "yes"}],
                                        passphrase=ROUND_PASSPHRASE)["status"] == "mismatch"
    assert app.voting.enter_paper_batch(staff.secretary, rid, "B1", [{"C001": "no"}],
                                        passphrase=ROUND_PASSPHRASE)["status"] == "accepted"


def test_never_more_ballots_than_voters_on_the_roll(ballot: tuple) -> None:
    app, mid, rid, voters = ballot
    staff = Staff(app, mid)
    app.voting.mark_paper_vote(staff.secretary, rid, voters[0])
    batch = [{"C001": "yes"}, {"C001": "yes"}]
    app.voting.enter_paper_batch(staff.secretary, rid, "B1", batch)
    assert _rule(lambda: app.voting.enter_paper_batch(staff.supervisor, rid, "B1", batch,
                                                      passphrase=ROUND_PASSPHRASE)) == "ballot.count"


def test_runoff_only_when_needed(ballot: tuple) -> None:
    app, mid, rid, voters = ballot
    terms = Terminals(app, mid)
    assert _rule(lambda: app.voting.open_runoff("M01", mid, voters, passphrase=ROUND_PASSPHRASE)) == "ballot.round_open"
    for v in voters[:-1]:
        terms.cast(rid, v, {c.code: "yes" for c in app.views.candidates(mid)})
    results = app.voting.close_round("M01", mid, rid, passphrase=ROUND_PASSPHRASE)
    # everyone at 12 of 12: a tie across the cap of 24 among the 29 eligible (quota key aside)
    assert results.allocation.pending
    runoff = app.voting.open_runoff("M01", mid, voters[:-1], passphrase=ROUND_PASSPHRASE)
    assert app.views.rounds(mid)[1].kind == "runoff" and app.views.rounds(mid)[1].id == runoff


def test_round_cannot_close_with_paper_ballots_uncounted(ballot: tuple) -> None:
    app, mid, rid, voters = ballot
    staff = Staff(app, mid)
    app.voting.mark_paper_vote(staff.secretary, rid, voters[0])
    assert _rule(lambda: app.voting.close_round("M01", mid, rid, passphrase=ROUND_PASSPHRASE)) == "paper.uncounted"
    app.voting.enter_paper_batch(staff.secretary, rid, "B1", [{"C001": "yes"}])
    app.voting.enter_paper_batch(staff.supervisor, rid, "B1", [{"C001": "yes"}], passphrase=ROUND_PASSPHRASE)
    app.voting.close_round("M01", mid, rid, passphrase=ROUND_PASSPHRASE)


def test_the_paper_roll_ticked_in_one_go_is_all_or_nothing_and_one_event(ballot: tuple) -> None:
    app, mid, rid, voters = ballot
    staff = Staff(app, mid)
    app.voting.mark_paper_vote(staff.secretary, rid, voters[0])
    before = _audit_count(app)
    for wrong, rule in (([voters[2], voters[1], voters[0]], "ballot.double"),    # already ticked
                        ([voters[1], voters[2], voters[1]], "ballot.double"),    # listed twice
                        ([voters[1], voters[-1]], "ballot.voter"),               # not on the roll (absent)
                        ([voters[1], "M01"], "ballot.voter"),                    # the chair does not vote
                        ([], "ballot.voter")):
        assert _rule(lambda w=wrong: app.voting.mark_paper_votes(staff.secretary, rid, w)) == rule
    assert (app.views.rounds(mid)[0].voted, _audit_count(app)) == ((voters[0],), before)     # nothing ticked
    app.voting.mark_paper_votes(staff.secretary, rid, [voters[2], voters[1]])
    assert app.views.rounds(mid)[0].voted == tuple(sorted(voters[:3])) and _audit_count(app) == before + 1
    with app.store.read() as conn:
        last = conn.execute(select(audit_event).order_by(audit_event.c.seq.desc())).first()
        channels = conn.exec_driver_sql("SELECT channel FROM voter_roll").scalars().all()
    data = json.loads(last.data)
    assert [c[:2] for c in data.pop("changes")] == [["voter_roll", "i"]] * 2
    assert (last.action, data) == ("ballot.paper_roll", {"round": rid, "voters": sorted(voters[1:3]),
                                                         "staff": "secretary"})
    assert channels == ["paper"] * 3
    app.voting.enter_paper_batch(staff.secretary, rid, "B1", [{"C001": "yes"}] * 3)
    assert app.voting.enter_paper_batch(staff.supervisor, rid, "B1", [{"C001": "yes"}] * 3,
                                        passphrase=ROUND_PASSPHRASE)["status"] == "accepted"
    assert _rule(lambda: app.voting.mark_paper_votes("not-a-session", rid, [voters[3]])) == "staff.session"


def test_ticking_the_whole_paper_roll_costs_what_ticking_one_voter_does(ballot: tuple) -> None:
    """The voters of a paper roll are read in one statement and ticked in one, not one each."""
    app, mid, rid, voters = ballot
    clerk = Staff(app, mid).secretary           # signed in before the count
    with statements(app) as one:
        app.voting.mark_paper_votes(clerk, rid, voters[:1])
    with statements(app) as rest:
        app.voting.mark_paper_votes(clerk, rid, voters[1:-1])
    assert set(app.views.rounds(mid)[0].voted) == set(voters[:-1]) and len(rest) == len(one)


def test_accepted_paper_batches_keep_no_typed_ballots(ballot: tuple) -> None:
    app, mid, rid, voters = ballot
    staff = Staff(app, mid)
    app.voting.mark_paper_vote(staff.secretary, rid, voters[0])
    app.voting.enter_paper_batch(staff.secretary, rid, "B1", [{"C001": "no"}])
    app.voting.enter_paper_batch(staff.supervisor, rid, "B1", [{"C001": "no"}], passphrase=ROUND_PASSPHRASE)
    con = sqlite3.connect(app.store.path)
    row = con.execute("SELECT entry_a, entry_b, size, status FROM paper_batch").fetchone()
    con.close()
    assert row == (None, None, 1, "accepted")


def test_an_expert_who_left_is_recorded_and_cannot_vote(demo_at: MakeApp) -> None:
    app, mid = demo_at(Step.PLENARY)
    voters = [m.code for m in app.views.members(mid) if m.role == "expert"]
    assert _rule(lambda: app.setup.record_departure("秘书", mid, voters[0], " ")) == "panel.departure_reason"
    app.setup.record_departure("秘书", mid, voters[0], "因急诊返回单位")
    assert _rule(lambda: app.setup.record_departure("秘书", mid, voters[0], "再次")) == "panel.departed"
    assert _rule(lambda: app.voting.open_first_round("M01", mid, voters, passphrase=ROUND_PASSPHRASE)) == "ballot.voter"
    app.voting.open_first_round("M01", mid, voters[1:], passphrase=ROUND_PASSPHRASE)
    assert app.views.rounds(mid)[0].absent == (voters[0],)
