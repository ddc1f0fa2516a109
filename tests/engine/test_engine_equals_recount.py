"""The engine equals the recount: what the services store is what ``conclave recount`` finds.

Each example is one small meeting on real SQLite, driven through the services
(:mod:`tests.engine.small_meetings` says what is built once per plan and which
steps are passed over): a committee of a random level; a plan whose pass-rate cap
for a level may be missing (the default of X§10(七) applies) or overridden; quotas
(评审职数) whose keys are carried by candidates of one level; ineligible
candidates; experts absent at the vote; random ballots; and every runoff (再次投票)
the allocation asks for, opened with ``open_runoff``. The outcomes, reasons, counts,
threshold and caps the services hold must equal ``recount(export_record(...))``.

All random choices are drawn before the meeting is built, so that an example
Hypothesis throws away costs no database work.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import event, example, given, settings
from hypothesis import strategies as st

from app.record.export import export_record
from app.record.recount import recount
from app.rules.levels import REVIEWS, CommitteeLevel
from app.services import Conclave
from app.views.ballot import Results
from tests.examples import ALL, examples
from tests.sessions import ROUND_PASSPHRASE, STAFF_CODES

from .small_meetings import CALENDAR, CHAIR, Candidate, Meetings, Plan, discard

#: A plan's cap for a level: None = the plan names no cap for it (the default applies).
CAP_CHOICES = (None, "0.5", "1")
#: The plan's quotas; which level carries each key is drawn with the candidates.
QUOTA_PLANS: tuple[tuple[tuple[str, int], ...], ...] = ((), (("甲院/甲岗位", 1), ("乙院/乙岗位", 0)))
MAX_RUNOFFS = 2


@dataclass(frozen=True)
class Tally:
    """How one candidate's round-1 ballots read; the rest of the ballots leave the candidate blank."""

    yes: int
    no: int
    abstain: int


@dataclass(frozen=True)
class Runoff:
    absent: tuple[str, ...]             # of those present in round 1
    yes: tuple[int, ...]                # per candidate, used for those in the runoff (the others vote no)


@dataclass(frozen=True)
class Scenario:
    plan: Plan
    candidates: tuple[Candidate, ...]
    present: tuple[str, ...]
    ballots: int                        # handed in, in round 1
    first: tuple[Tally, ...]            # per candidate
    runoffs: tuple[Runoff, ...]


def _absent(draw: st.DrawFn, people: Sequence[str], keep: int) -> tuple[str, ...]:
    return tuple(draw(st.lists(st.sampled_from(people), max_size=len(people) - keep, unique=True)))


@functools.cache
def _yes(voters: int, need: int) -> st.SearchStrategy[int]:
    """Yes counts, often exactly at the threshold or unanimous, so that ties at a limit are common."""
    return st.one_of(st.just(need), st.just(voters), st.integers(0, voters))


@st.composite
def scenarios(draw: st.DrawFn) -> Scenario:
    level: CommitteeLevel = draw(st.sampled_from(("senior", "intermediate", "junior")))
    levels = REVIEWS[level]
    caps = tuple((lv, cap) for lv in levels if (cap := draw(st.sampled_from(CAP_CHOICES))) is not None)
    quotas = draw(st.sampled_from(QUOTA_PLANS))
    key_level = {key: draw(st.sampled_from(levels)) for key, _ in quotas}
    candidates = []
    for i in range(draw(st.integers(1, 5))):
        cand_level = draw(st.sampled_from(levels))
        keys = [None, *(k for k, lv in key_level.items() if lv == cand_level)]
        candidates.append(Candidate(f"C{i + 1:02d}", cand_level, draw(st.sampled_from(keys)),
                                    draw(st.sampled_from((True, True, True, False)))))
    plan = Plan(level, caps, quotas)
    panel = plan.panel
    quorum = -(-2 * len(panel) // 3)               # the plan's default quorum: 2/3 of the panel, every round
    away = _absent(draw, panel, quorum)            # drawn once: the panel minus at most what keeps the quorum
    present = tuple(p for p in panel if p not in away)
    ballots = draw(st.integers(len(present) - 1, len(present)))
    need = -(-2 * len(present) // 3)
    first = []
    for _ in candidates:
        yes = min(draw(_yes(ballots, need)), ballots)     # one fewer ballot than voters: need may exceed it
        no = draw(st.integers(0, ballots - yes))
        first.append(Tally(yes, no, draw(st.integers(0, ballots - yes - no))))
    runoffs = []
    for _ in range(MAX_RUNOFFS):
        absent = _absent(draw, present, quorum)
        voters = len(present) - len(absent)
        runoffs.append(Runoff(absent, tuple(draw(_yes(voters, 1)) for _ in candidates)))
    return Scenario(plan, tuple(candidates), present, ballots, tuple(first), tuple(runoffs))


def _first_round(s: Scenario) -> list[dict[str, str]]:
    """The ballots of round 1, each candidate's votes spread from a different ballot on;
    a candidate left blank on a ballot is an abstention."""
    papers: list[dict[str, str]] = [{} for _ in range(s.ballots)]
    for n, (c, t) in enumerate(zip(s.candidates, s.first, strict=True)):
        pile = ["yes"] * t.yes + ["no"] * t.no + ["abstain"] * t.abstain
        pile += [""] * (s.ballots - len(pile))
        for i, paper in enumerate(papers):
            if choice := pile[(i + n) % s.ballots]:
                paper[c.code] = choice
    return papers


def _signed_in(app: Conclave, mid: int) -> dict[str, str]:
    """The plan's two staff members signed in with their own codes (set in the template:
    :class:`~tests.engine.small_meetings.Meetings`), once per meeting: post -> session token."""
    return {post: app.staff.sign_in(mid, post, code).token for post, code in STAFF_CODES.items()}


def _vote(app: Conclave, staff: dict[str, str], mid: int, rid: int, voters: Sequence[str],
          papers: Sequence[dict[str, str]]) -> Results:
    """The round voted on paper (as the kiosk's one-time codes cost a deliberate scrypt each):
    the voters handing in a ballot are ticked on the roll as the box is collected, and the two
    staff members (signed in once for the meeting) type the batch."""
    handed_in = list(zip(voters, papers, strict=False))
    if handed_in:
        app.voting.mark_paper_votes(staff["secretary"], rid, [voter for voter, _paper in handed_in])
        batch = [paper for _voter, paper in handed_in]
        app.voting.enter_paper_batch(staff["secretary"], rid, "B1", batch)
        assert app.voting.enter_paper_batch(staff["supervisor"], rid, "B1", batch,
                                            passphrase=ROUND_PASSPHRASE)["status"] == "accepted"
    return app.voting.close_round(CHAIR, mid, rid, passphrase=ROUND_PASSPHRASE)


@pytest.fixture(scope="module")
def meetings() -> Iterator[Meetings]:
    yield from Meetings.on_tmpfs()


#: The bug this test was written for: a plan stored with no cap (caps={}) let the engine pass
#: everyone at the threshold while the recount applied the default cap.
NO_CAP_IN_THE_PLAN = Scenario(
    Plan("intermediate"), (Candidate("C01", "中级"), Candidate("C02", "中级")), tuple(Plan("intermediate").panel),
    7, (Tally(7, 0, 0), Tally(5, 1, 1)), (Runoff((), (0, 0)), Runoff((), (0, 0))))


@settings(max_examples=examples(300), deadline=None)
@given(s=scenarios())
@example(s=NO_CAP_IN_THE_PLAN)
def test_stored_results_equal_the_recount_of_the_exported_record(meetings: Meetings, s: Scenario) -> None:
    app, mid = meetings.at_ballot(s.plan, s.candidates)
    try:
        staff = _signed_in(app, mid)
        results = _vote(app, staff, mid, app.voting.open_first_round(CHAIR, mid, s.present,
                                                                     passphrase=ROUND_PASSPHRASE),
                        s.present, _first_round(s))
        held = 0
        for runoff in s.runoffs:
            if results.allocation.complete:
                break
            voters = [p for p in s.present if p not in runoff.absent]
            rid = app.voting.open_runoff(CHAIR, mid, voters, passphrase=ROUND_PASSPHRASE)
            tied = set(app.views.rounds(mid)[-1].candidates)
            papers = [{c.code: "yes" if i < yes else "no" for c, yes in zip(s.candidates, runoff.yes, strict=True)
                       if c.code in tied} for i in range(len(voters))]
            results = _vote(app, staff, mid, rid, voters, papers)
            held += 1
        event(f"runoffs held: {held}")

        record = json.loads(json.dumps(export_record(app.store, mid), ensure_ascii=False))
        result = recount(record, CALENDAR)
        assert result["errors"] == []

        engine = results
        stored = {c.code: (c.outcome, c.reason) for c in app.views.candidates(mid)}
        counted = {c: (o.outcome, o.reason) for c, o in engine.allocation.outcomes.items()}
        recounted = {c["id"]: (c["outcome"], c["reason"]) for c in result["candidates"]}
        if engine.allocation.complete:
            assert stored == counted == recounted
        else:                                          # outcomes are stored once no runoff is pending
            assert set(stored.values()) == {(None, None)} and counted == recounted
        for outcome, reason in recounted.values():
            event(f"outcome: {outcome} {reason or ''}".strip())
        assert (engine.threshold, engine.attending_voters) == (result["threshold"], result["attending_voters"])
        assert engine.caps == result["caps"]
        assert {c: (t.yes, t.no, t.abstain) for c, t in engine.counts[1].items()} == {
            c["id"]: (c["yes"], c["no"], c["abstain"]) for c in result["candidates"]}
    finally:
        discard(app)


def test_ci_tries_at_least_300_examples() -> None:
    """The issue's floor: 300 random meetings in CI (``.ci/run`` sets ``CONCLAVE_EXAMPLES=all``)."""
    tried = test_stored_results_equal_the_recount_of_the_exported_record._hypothesis_internal_use_settings.max_examples  # type: ignore[attr-defined]
    assert tried == examples(300) and tried >= (300 if ALL else 20)
    assert "CONCLAVE_EXAMPLES=all" in (Path(__file__).parents[2] / ".ci" / "run").read_text(encoding="utf-8")
