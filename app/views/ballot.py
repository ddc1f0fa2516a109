"""The secret ballot as it may be read: rounds and who has voted (never how), the count
of closed rounds and the allocation over them, and paper batches as the staff see them.

Nothing here returns a ballot's choices one by one: a round's ballots are only ever
read to be counted. The allocation applies the same rule functions as ``conclave
recount`` (:func:`app.rules.allocation.allocate`), and is computed once per change of
the meeting: results are remembered against the audit trail's head, which every
committed change moves.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Select, bindparam, func, select

from app.errors import RuleViolation
from app.rules.allocation import Allocation, Entry, Limits, RunoffResult, allocate
from app.rules.ballot import Counts, tally, threshold
from app.storage.schema import (
    audit_event,
    ballot,
    ballot_round,
    candidate,
    member,
    paper_batch,
    sealed_ballot,
    voided_round,
    voter_roll,
)
from app.storage.store import Store, snapshot_memo
from app.text import bi
from app.views.candidates import CandidateView
from app.views.meeting import meeting_row_on, quotas_on
from app.views.panel import MemberView, members


@dataclass(frozen=True)
class RoundView:
    """A ballot round as the chair sees it: never how anyone voted, only who has."""

    id: int
    number: int
    kind: str
    candidates: tuple[str, ...]
    places: int | None
    voters: tuple[str, ...]
    absent: tuple[str, ...]
    status: str
    voted: tuple[str, ...]
    ballots: int
    #: Whether the round has a key (its ballots and waiting paper copies sealed, opened with the
    #: round passphrase); False for a round an older version opened, and once closed.
    sealed: bool = False


#: One candidate's votes in one round: the rules' own type, under the name the screens use.
Tally = Counts


@dataclass(frozen=True)
class Results:
    """Counts of every round and the allocation over them (the same rules as ``conclave recount``)."""

    attending_voters: int
    threshold: int
    counts: dict[int, dict[str, Tally]]       # round number -> candidate -> counts
    allocation: Allocation
    caps: dict[str, dict[str, int]]            # level -> {"entered", "max_pass"}
    quotas: dict[str, int]                     # the plan's quotas (评审职数) the allocation applied


@dataclass(frozen=True)
class BatchView:
    """A paper batch (纸质选票批次) as the staff see it: never its contents."""

    code: str
    status: str                        # waiting / mismatch / accepted
    clerk_a: str | None                # who typed each copy: the name the plan gives the post
    clerk_b: str | None
    size: int                          # ballots in the first clerk's entry
    post_a: str | None = None          # the staff post of each copy (secretary / supervisor), as stored
    post_b: str | None = None


@dataclass(frozen=True)
class ResultRow:
    """One candidate's line in a round's results."""

    code: str
    name: str
    unit: str
    level: str
    tally: Tally | None
    outcome: str | None                # passed / failed / runoff_pending
    reason: str | None


@dataclass(frozen=True)
class VoidedRound:
    """A round voided before it was counted (:meth:`app.services.voting.VotingService.void_round`):
    its box discarded unopened, the round held again under the same number."""

    number: int
    kind: str
    voters: tuple[str, ...]
    voted: tuple[str, ...]            # who had voted when it was voided
    discarded: int                    # ballots in its box, never opened
    chair: str                        # member code of the chair or vice-chair who voided it
    reason: str


# -- rounds ------------------------------------------------------------------------
def voided_rounds(store: Store, meeting_id: int) -> list[VoidedRound]:
    """The meeting's voided rounds, in the order they were voided."""
    with store.read() as conn:
        rows = conn.execute(select(voided_round).where(voided_round.c.meeting_id == meeting_id)
                            .order_by(voided_round.c.id)).all()
    return [VoidedRound(r.number, r.kind, tuple(r.voters), tuple(r.voted), r.sealed, r.chair, r.reason)
            for r in rows]


def rounds(store: Store, meeting_id: int) -> list[RoundView]:
    with store.read() as conn:
        return rounds_on(conn, meeting_id)


def _rounds_statement() -> Select[Any]:
    """The meeting's rounds with who has voted and how many ballots are in the box."""
    boxed = ((select(func.count()).select_from(ballot).where(ballot.c.round_id == ballot_round.c.id)
              .correlate(ballot_round).scalar_subquery())
             + (select(func.count()).select_from(sealed_ballot).where(sealed_ballot.c.round_id == ballot_round.c.id)
                .correlate(ballot_round).scalar_subquery()))
    voted = (select(func.json_group_array(member.c.code))
             .select_from(voter_roll.join(member, member.c.id == voter_roll.c.member_id))
             .where(voter_roll.c.round_id == ballot_round.c.id).correlate(ballot_round).scalar_subquery())
    return (select(ballot_round, boxed.label("boxed"), voted.label("voted"))
            .where(ballot_round.c.meeting_id == bindparam("meeting_id")).order_by(ballot_round.c.number))


#: Built once (every cast and paper entry reads its round: building this statement and its cache
#: key cost several times running it): every round of a meeting, and one round.
_ROUNDS = _rounds_statement()
_ROUND = _ROUNDS.where(ballot_round.c.id == bindparam("round_id"))
#: The ballots in a round's box: sealed while it is open, in the clear once closed.
_BOXED = select(select(func.count()).select_from(ballot).where(ballot.c.round_id == bindparam("round_id"))
                .scalar_subquery()
                + select(func.count()).select_from(sealed_ballot)
                .where(sealed_ballot.c.round_id == bindparam("round_id")).scalar_subquery())


def rounds_on(conn: Connection, meeting_id: int, round_id: int | None = None) -> list[RoundView]:
    """The meeting's rounds (or the one ``round_id``) with who has voted and how many ballots are
    in the box — one statement, however many rounds; all of them once per read snapshot (a page
    refresh lists them and counts them: :func:`~app.storage.store.snapshot_memo`)."""
    memo = snapshot_memo(conn) if round_id is None else None
    if memo is not None and ("rounds", meeting_id) in memo:
        return list(memo[("rounds", meeting_id)])
    if round_id is None:
        rows = conn.execute(_ROUNDS, {"meeting_id": meeting_id}).all()
    else:
        rows = conn.execute(_ROUND, {"meeting_id": meeting_id, "round_id": round_id}).all()
    found = [RoundView(r.id, r.number, r.kind, tuple(r.candidates), r.places, tuple(r.voters),
                       tuple(r.absent), r.status, tuple(sorted(json.loads(r.voted))), int(r.boxed),
                       r.seal is not None) for r in rows]
    if memo is not None:
        memo[("rounds", meeting_id)] = tuple(found)
    return found


def round_on(conn: Connection, meeting_id: int, round_id: int) -> RoundView:
    found = rounds_on(conn, meeting_id, round_id)
    if not found:
        raise RuleViolation.single("ballot.unknown_round", bi(f"no ballot round {round_id} in this meeting",
                                                              f"本次会议没有第{round_id}号表决轮次"))
    return found[0]


def ballot_count_on(conn: Connection, round_id: int) -> int:
    """Ballots in the round's box: sealed while it is open, in the clear once closed."""
    return int(conn.execute(_BOXED, {"round_id": round_id}).scalar_one())


# -- the count and the allocation -----------------------------------------------------
def results(store: Store, meeting_id: int, upto: int | None = None) -> Results:
    """Counts and allocation over the closed rounds (only rounds numbered up to ``upto``, if given).

    Computed once per change of the meeting: the result is remembered against the head of
    the audit trail, which every committed change (in this process or another) moves.
    """
    with store.read() as conn:
        return remembered_results_on(store, conn, meeting_id, upto)


def remembered_results_on(store: Store, conn: Connection, meeting_id: int, upto: int | None = None) -> Results:
    """:func:`results_on`, remembered in ``store`` against the audit head — for reads only: a
    write that changed ballots inside its own transaction must count with :func:`results_on`."""
    head = conn.execute(select(func.max(audit_event.c.seq))).scalar()
    key = ("results", meeting_id, upto, head)
    hit = store.memo.get(key)
    if isinstance(hit, Results):
        return hit
    found = results_on(conn, meeting_id, upto)
    store.remember(key, found)
    return found


#: Built once (every close of a round counts, and so does a runoff's opening): what the
#: allocation reads of the candidates, and the ballots of the rounds being counted.
_ENTRIES = (select(candidate.c.code, candidate.c.level, candidate.c.eligible, candidate.c.quota_key)
            .where(candidate.c.meeting_id == bindparam("meeting_id")).order_by(candidate.c.id))
_BALLOTS = select(ballot.c.round_id, ballot.c.choices).where(ballot.c.round_id.in_(bindparam("rounds", expanding=True)))


def results_on(conn: Connection, meeting_id: int, upto: int | None = None) -> Results:
    m = meeting_row_on(conn, meeting_id)
    closed = [r for r in rounds_on(conn, meeting_id)
              if r.status == "closed" and (upto is None or r.number <= upto)]
    cands = conn.execute(_ENTRIES, {"meeting_id": meeting_id}).all()
    counts = counts_on(conn, closed)
    first = closed[0] if closed and closed[0].kind == "first" else None
    n = len(first.voters) if first else 0          # a round never opens without voters
    need = threshold(n) if first else 0
    first_counts = counts.get(1, {})
    entries = [Entry(c.code, c.level, bool(c.eligible), c.quota_key,
                     first_counts.get(c.code, Tally(0, 0, 0)).yes) for c in cands]
    quotas = quotas_on(conn, meeting_id)
    limits = Limits.from_plan(entries, m.caps, quotas)
    entered = Counter(e.level for e in entries)
    caps = {lvl: {"entered": entered[lvl], "max_pass": limits.caps[lvl]}
            for lvl in limits.caps if entered[lvl]}
    runoffs = [RunoffResult(frozenset(r.candidates), {k: v.yes for k, v in counts[r.number].items()})
               for r in closed if r.kind == "runoff"]
    allocation = allocate(entries, need, limits, runoffs) if first else Allocation({}, [])
    return Results(n, need, counts, allocation, caps, quotas)


def counts_on(conn: Connection, closed: Sequence[RoundView]) -> dict[int, dict[str, Tally]]:
    """The count of each round, candidate by candidate, in one statement (the ballots are
    read only to be counted, never returned)."""
    boxes: dict[int, list[dict[str, str]]] = {r.id: [] for r in closed}
    if closed:
        for rid, body in conn.execute(_BALLOTS, {"rounds": list(boxes)}):
            boxes[rid].append(json.loads(body))
    # counted by the rules' own tally, as ``conclave recount`` counts
    return {r.number: tally(boxes[r.id], r.candidates) for r in closed}


def result_rows(results: Results, candidates: Sequence[CandidateView], number: int = 1) -> list[ResultRow]:
    """The candidates of round ``number`` with that round's counts and their current outcome."""
    counts = results.counts.get(number, {})
    on_ballot = candidates if number == 1 else [c for c in candidates if c.code in counts]
    outcomes = results.allocation.outcomes
    return [ResultRow(c.code, c.name, c.unit, c.level, counts.get(c.code),
                      outcomes[c.code].outcome if c.code in outcomes else c.outcome,
                      outcomes[c.code].reason if c.code in outcomes else c.reason)
            for c in on_ballot]


# -- paper ballots ----------------------------------------------------------------------
def vote_presider(store: Store, meeting_id: int, among: Sequence[MemberView] | None = None) -> MemberView | None:
    """Who presided at the vote (主持表决), as recorded at step 7; None until it is. ``among``: the
    meeting's members when the caller has just read them (not read again)."""
    with store.read() as conn:
        code = meeting_row_on(conn, meeting_id).vote_presider
    if not code:
        return None
    return next((m for m in (members(store, meeting_id) if among is None else among) if m.code == code), None)


def paper_batches(store: Store, round_id: int) -> list[BatchView]:
    """The round's paper batches. A copy is stored under the staff post that typed it (see
    :meth:`app.services.voting.VotingService.enter_paper_batch`); it is shown with the name the
    plan gives that post. A file written before staff sign-in holds a typed name: shown as it is."""
    with store.read() as conn:
        rows = conn.execute(select(paper_batch).where(paper_batch.c.round_id == round_id)
                            .order_by(paper_batch.c.code)).all()
        mid = conn.execute(select(ballot_round.c.meeting_id).where(ballot_round.c.id == round_id)).scalar()
        m = meeting_row_on(conn, mid) if mid is not None and rows else None
    names = {"secretary": m.secretary, "supervisor": m.supervisor} if m is not None else {}

    def shown(stored: str | None) -> str | None:
        return (names.get(stored) or stored) if stored else None

    return [BatchView(r.code, r.status, shown(r.clerk_a), shown(r.clerk_b),
                      r.size or _typed_count(r.entry_a), r.clerk_a, r.clerk_b) for r in rows]


def _typed_count(entry: str | None) -> int:
    """The ballots of a batch stored without its size (an older version's copy, a JSON list in the
    clear); a sealed copy (:data:`app.services.voting.SEALED_ENTRY`) always has its size beside it."""
    return len(json.loads(entry)) if entry and entry.startswith("[") else 0
