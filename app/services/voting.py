"""Step 7, the secret ballot (无记名投票).

Secrecy by construction: the voter roll (``voter_roll``: who has voted) and the
ballots (``ballot``: what was voted) share nothing but the round. A ballot row
has a random 128-bit key, its choices, and nothing else — no voter, no time, no
sequence, no rowid (``WITHOUT ROWID``). The audit event of a cast names the
voter and the round, never the choices. When a round closes the database is
rebuilt (``VACUUM``) and the WAL emptied, so that even the physical order of
rows and pages no longer reflects the order of voting.

Results are never edited: a runoff (再次投票) is a new round; a closed round
cannot be reopened; outcomes are written once, when no runoff is pending.

Two ways in: electronic ballots cast from a terminal (:meth:`cast`), and paper
ballots typed in by two staff independently (:meth:`enter_paper_batch`); a
mismatch between the two entries is shown, never guessed.
"""

from __future__ import annotations

import datetime as dt
import json
import secrets
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Row, func, insert, select, update

from app.domain import Choice, Role, Step
from app.rules.allocation import Allocation, Entry, Limits, RunoffResult, allocate
from app.rules.ballot import Counts, tally, threshold
from app.services.base import Store, fail, meeting_row, member_row, require_step
from app.storage.db import compact
from app.storage.schema import ballot, ballot_round, candidate, meeting, member, paper_batch, quota, voter_roll
from app.text import bi


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


#: One candidate's votes in one round; the rules' own type, under the name the interface uses.
Tally = Counts


@dataclass(frozen=True)
class Results:
    """Counts of every round and the allocation over them (the same rules as ``conclave recount``)."""

    attending_voters: int
    threshold: int
    counts: dict[int, dict[str, Tally]]       # round number -> candidate -> counts
    allocation: Allocation
    caps: dict[str, dict[str, int]]            # level -> {"entered", "max_pass"}


def canonical_choices(choices: Mapping[str, str], on_ballot: Sequence[str]) -> str:
    """Every candidate on the ballot, missing ones as abstentions, sorted — one spelling per vote."""
    full = {code: Choice(choices.get(code, Choice.ABSTAIN)).value for code in on_ballot}
    return json.dumps(full, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


class VotingService:
    def __init__(self, store: Store) -> None:
        self.store = store

    # -- rounds ----------------------------------------------------------------
    def open_first_round(self, actor: str, meeting_id: int, present: Sequence[str],
                         vote_date: dt.date | None = None) -> int:
        """Start the ballot; ``present`` are the experts present at the vote (no proxy, no late vote)."""
        with self.store.write(actor, "ballot.open", meeting_id, present=sorted(present)) as tx:
            require_step(tx.conn, meeting_id, Step.BALLOT)
            if tx.conn.execute(select(ballot_round.c.id).where(
                    ballot_round.c.meeting_id == meeting_id)).first():
                raise fail("ballot.started", "the ballot has already been opened")
            undecided = tx.conn.execute(select(candidate.c.code).where(
                candidate.c.meeting_id == meeting_id, candidate.c.eligible.is_(None))).scalars().all()
            if undecided:
                raise fail("ballot.undecided", f"eligibility not decided for: {', '.join(undecided)}")
            codes = tx.conn.execute(select(candidate.c.code).where(
                candidate.c.meeting_id == meeting_id).order_by(candidate.c.id)).scalars().all()
            rid = self._insert_round(tx.conn, meeting_id, 1, "first", list(codes), None, present)
            m = meeting_row(tx.conn, meeting_id)
            tx.conn.execute(update(meeting).where(meeting.c.id == meeting_id).values(
                vote_date=vote_date or m.meeting_date))
            tx.data["round"] = 1
        return rid

    def open_runoff(self, actor: str, meeting_id: int, present: Sequence[str]) -> int:
        """Open the runoff the allocation asks for next (tied candidates, remaining places)."""
        with self.store.write(actor, "ballot.runoff", meeting_id, present=sorted(present)) as tx:
            require_step(tx.conn, meeting_id, Step.BALLOT)
            rounds = self._rounds(tx.conn, meeting_id)
            if not rounds or any(r.status == "open" for r in rounds):
                raise fail("ballot.round_open", "close the current round before a runoff")
            pending = self._results(tx.conn, meeting_id).allocation.pending
            if not pending:
                raise fail("runoff.none", "no runoff is needed: every outcome is decided")
            nxt = pending[0]
            codes = [c for c in rounds[0].candidates if c in nxt.candidates]
            number = rounds[-1].number + 1
            rid = self._insert_round(tx.conn, meeting_id, number, "runoff", codes, nxt.places, present)
            tx.data.update(round=number, candidates=codes, places=nxt.places)
        return rid

    def _insert_round(self, conn: Connection, meeting_id: int, number: int, kind: str,
                      codes: list[str], places: int | None, present: Sequence[str]) -> int:
        experts = {r.code: r for r in conn.execute(select(member).where(
            member.c.meeting_id == meeting_id, member.c.role == Role.EXPERT.value,
            member.c.checked_in.is_(True)))}
        gone = sorted(code for code in present if code in experts and experts[code].departed)
        if gone:
            raise fail("ballot.voter", bi(f"recorded as having left the meeting: {', '.join(gone)}",
                                          f"已登记中途离会，不得参加表决：{'、'.join(gone)}"))
        unknown = sorted(set(present) - set(experts))
        if unknown:
            raise fail("ballot.voter", f"not experts of this panel present at the meeting: "
                       f"{', '.join(unknown)} (the chair and vice-chair do not vote)")
        voters = sorted(set(present))
        if not voters:
            raise fail("ballot.voter", "nobody is present to vote")
        absent = sorted(set(experts) - set(voters))
        return int(conn.execute(insert(ballot_round).values(
            meeting_id=meeting_id, number=number, kind=kind, candidates=codes, places=places,
            voters=voters, absent=absent, status="open")).inserted_primary_key[0])

    def close_round(self, actor: str, meeting_id: int, round_id: int) -> Results:
        """Close a round for good; outcomes are stored once no runoff is pending."""
        with self.store.write(actor, "ballot.close", meeting_id, round=round_id) as tx:
            rnd = self._round(tx.conn, meeting_id, round_id)
            if rnd.status != "open":
                raise fail("ballot.closed", f"round {rnd.number} is already closed")
            waiting = tx.conn.execute(select(paper_batch.c.code).where(
                paper_batch.c.round_id == round_id, paper_batch.c.status != "accepted")).scalars().all()
            if waiting:
                raise fail("paper.unconfirmed", bi("paper batches not yet confirmed by a second entry: "
                                                   + ", ".join(waiting),
                                                   f"以下纸质选票批次尚未经第二人核对录入：{'、'.join(waiting)}"))
            uncounted = len(rnd.voted) - self._ballot_count(tx.conn, round_id)
            if uncounted > 0:
                raise fail("paper.uncounted", bi(
                    f"round {rnd.number}: {uncounted} paper ballot(s) handed in but not yet typed in; "
                    "closing now would lose them", f"第{rnd.number}轮：已投入{uncounted}张纸质选票尚未录入，"
                    "现在结束将使其丢失"))
            tx.conn.execute(update(ballot_round).where(ballot_round.c.id == round_id).values(
                status="closed"))
            results = self._results(tx.conn, meeting_id)
            tx.data.update(number=rnd.number, ballots=self._ballot_count(tx.conn, round_id),
                           pending=len(results.allocation.pending))
            if not results.allocation.pending:
                for code, out in results.allocation.outcomes.items():
                    tx.conn.execute(update(candidate).where(
                        candidate.c.meeting_id == meeting_id, candidate.c.code == code).values(
                        outcome=out.outcome, reason=out.reason))
        compact(self.store.engine)
        return results

    # -- casting ---------------------------------------------------------------
    def cast(self, meeting_id: int, round_id: int, voter: str, choices: Mapping[str, str]) -> None:
        """An electronic ballot from a terminal: the roll gets the voter, the box gets the choices."""
        with self.store.write(voter, "ballot.cast", meeting_id, round=round_id) as tx:
            rnd = self._open_round(tx.conn, meeting_id, round_id)
            body = self._checked_ballot(rnd, choices, where="the ballot")
            self._mark_roll(tx.conn, meeting_id, rnd, voter, "terminal")
            self._drop_in_box(tx.conn, rnd, [body])

    def mark_paper_vote(self, actor: str, meeting_id: int, round_id: int, voter: str) -> None:
        """A voter hands in a paper ballot: staff tick the roll (the ballot goes in the box unseen)."""
        with self.store.write(actor, "ballot.paper_roll", meeting_id, round=round_id, voter=voter) as tx:
            rnd = self._open_round(tx.conn, meeting_id, round_id)
            self._mark_roll(tx.conn, meeting_id, rnd, voter, "paper")

    def enter_paper_batch(self, actor: str, meeting_id: int, round_id: int, batch: str,
                          ballots: Sequence[Mapping[str, str]]) -> dict[str, Any]:
        """One clerk's typing of a batch of paper ballots (two clerks type each batch).

        Returns ``{"status": "waiting" | "accepted" | "mismatch", "differences": [...]}``.
        The ballots enter the box only when two different clerks typed the same thing.
        """
        with self.store.write(actor, "paper.enter", meeting_id, round=round_id, batch=batch,
                              count=len(ballots)) as tx:
            rnd = self._open_round(tx.conn, meeting_id, round_id)
            bodies = [self._checked_ballot(rnd, b, where=f"batch {batch}, ballot {i}")
                      for i, b in enumerate(ballots, 1)]
            entry = json.dumps(bodies, ensure_ascii=False)
            row = tx.conn.execute(select(paper_batch).where(
                paper_batch.c.round_id == round_id, paper_batch.c.code == batch)).first()
            if row is None:
                tx.conn.execute(insert(paper_batch).values(
                    round_id=round_id, code=batch, clerk_a=actor, entry_a=entry, size=len(bodies),
                    status="waiting"))
                tx.data["status"] = "waiting"
                return {"status": "waiting", "differences": []}
            if row.status == "accepted":
                raise fail("paper.accepted", f"batch {batch} is already confirmed and counted")
            if actor == row.clerk_a and row.clerk_b is None:
                raise fail("paper.same_clerk", bi(f"batch {batch} must be typed again by a different person",
                                                  f"批次{batch}须由另一名工作人员再次录入"))
            other = row.entry_b if actor == row.clerk_a else row.entry_a
            values = {"clerk_a": actor, "entry_a": entry} if actor == row.clerk_a else \
                     {"clerk_b": actor, "entry_b": entry}
            diffs = _differences(json.loads(other), bodies, rnd.candidates)
            status = "mismatch" if diffs else "accepted"
            if not diffs:
                # Counted: the typed copies go (they hold the batch's ballots in paper order,
                # which with few paper voters could point at them); clerks and size stay.
                values.update(entry_a=None, entry_b=None)
            tx.conn.execute(update(paper_batch).where(
                paper_batch.c.round_id == round_id, paper_batch.c.code == batch).values(
                status=status, **values))
            if not diffs:
                self._drop_in_box(tx.conn, rnd, bodies)
            tx.data.update(status=status, differences=len(diffs))
        return {"status": status, "differences": diffs}

    def _mark_roll(self, conn: Connection, meeting_id: int, rnd: RoundView, voter: str,
                   channel: str) -> None:
        if voter not in rnd.voters:
            raise fail("ballot.voter", bi(f"{voter} is not on the roll of round {rnd.number} "
                                          "(absent at the opening of the vote, or presiding)",
                                          f"{voter}不在第{rnd.number}轮投票名单中（开始表决时未出席，或为主任委员、副主任委员）"))
        if voter in rnd.voted:
            raise fail("ballot.double", bi(f"{voter} has already voted in round {rnd.number}",
                                           f"{voter}已在第{rnd.number}轮投过票"))
        mid = member_row(conn, meeting_id, voter).id
        conn.execute(insert(voter_roll).values(round_id=rnd.id, member_id=mid, channel=channel))

    def _drop_in_box(self, conn: Connection, rnd: RoundView, bodies: Sequence[str]) -> None:
        total = self._ballot_count(conn, rnd.id) + len(bodies)
        roll = conn.execute(select(func.count()).select_from(voter_roll).where(
            voter_roll.c.round_id == rnd.id)).scalar_one()
        if total > roll:
            raise fail("ballot.count", bi(f"round {rnd.number}: {total} ballots but only {roll} voters "
                                          "on the roll — there are never more ballots than voters",
                                          f"第{rnd.number}轮：选票{total}张，已投票评委仅{roll}人——选票不得多于投票人数"))
        conn.execute(insert(ballot), [{"round_id": rnd.id, "token": secrets.token_hex(16),
                                       "choices": b} for b in bodies])

    @staticmethod
    def _checked_ballot(rnd: RoundView, choices: Mapping[str, str], where: str) -> str:
        unknown = sorted(set(choices) - set(rnd.candidates))
        if unknown:
            raise fail("ballot.unknown_candidate", f"{where}: not on this round's ballot: {', '.join(unknown)}")
        bad = {c: v for c, v in choices.items() if v not in {x.value for x in Choice}}
        if bad:
            raise fail("ballot.choice", f"{where}: a choice is yes, no or abstain; got {bad}")
        return canonical_choices(choices, rnd.candidates)

    # -- reading ---------------------------------------------------------------
    def rounds(self, meeting_id: int) -> list[RoundView]:
        with self.store.read() as conn:
            return self._rounds(conn, meeting_id)

    def results(self, meeting_id: int, upto: int | None = None) -> Results:
        """Counts and allocation over the closed rounds (only rounds numbered up to ``upto``, if given)."""
        with self.store.read() as conn:
            return self._results(conn, meeting_id, upto)

    def _rounds(self, conn: Connection, meeting_id: int) -> list[RoundView]:
        rows = conn.execute(select(ballot_round).where(ballot_round.c.meeting_id == meeting_id)
                            .order_by(ballot_round.c.number)).all()
        return [self._view(conn, r) for r in rows]

    def _round(self, conn: Connection, meeting_id: int, round_id: int) -> RoundView:
        row = conn.execute(select(ballot_round).where(ballot_round.c.id == round_id,
                                                      ballot_round.c.meeting_id == meeting_id)).first()
        if row is None:
            raise fail("ballot.unknown_round", f"no ballot round {round_id} in this meeting")
        return self._view(conn, row)

    def _open_round(self, conn: Connection, meeting_id: int, round_id: int) -> RoundView:
        rnd = self._round(conn, meeting_id, round_id)
        if rnd.status != "open":
            raise fail("ballot.closed", bi(f"round {rnd.number} is closed: no late votes",
                                           f"第{rnd.number}轮表决已结束，不得补投"))
        return rnd

    def _view(self, conn: Connection, r: Row[Any]) -> RoundView:
        voted = conn.execute(select(member.c.code).join(voter_roll, voter_roll.c.member_id == member.c.id)
                             .where(voter_roll.c.round_id == r.id).order_by(member.c.code)).scalars()
        return RoundView(r.id, r.number, r.kind, tuple(r.candidates), r.places, tuple(r.voters),
                         tuple(r.absent), r.status, tuple(voted), self._ballot_count(conn, r.id))

    @staticmethod
    def _ballot_count(conn: Connection, round_id: int) -> int:
        return int(conn.execute(select(func.count()).select_from(ballot).where(
            ballot.c.round_id == round_id)).scalar_one())

    def _results(self, conn: Connection, meeting_id: int, upto: int | None = None) -> Results:
        m = meeting_row(conn, meeting_id)
        rounds = [r for r in self._rounds(conn, meeting_id)
                  if r.status == "closed" and (upto is None or r.number <= upto)]
        cands = conn.execute(select(candidate).where(candidate.c.meeting_id == meeting_id)
                             .order_by(candidate.c.id)).all()
        counts: dict[int, dict[str, Tally]] = {}
        for r in rounds:
            counts[r.number] = _count(conn, r)
        first = rounds[0] if rounds and rounds[0].kind == "first" else None
        n = len(first.voters) if first else 0          # a round never opens without voters
        need = threshold(n) if first else 0
        first_counts = counts.get(1, {})
        entries = [Entry(c.code, c.level, bool(c.eligible), c.quota_key,
                         first_counts.get(c.code, Tally(0, 0, 0)).yes) for c in cands]
        quotas = {r.key: r.places for r in conn.execute(select(quota).where(quota.c.meeting_id == meeting_id))}
        limits = Limits.from_plan(entries, m.caps, quotas)
        entered = Counter(e.level for e in entries)
        caps = {lvl: {"entered": entered[lvl], "max_pass": limits.caps[lvl]}
                for lvl in limits.caps if entered[lvl]}
        runoffs = [RunoffResult(frozenset(r.candidates), {k: v.yes for k, v in counts[r.number].items()})
                   for r in rounds if r.kind == "runoff"]
        allocation = allocate(entries, need, limits, runoffs) if first else Allocation({}, [])
        return Results(n, need, counts, allocation, caps)


def _count(conn: Connection, rnd: RoundView) -> dict[str, Tally]:
    """One round counted by the rules' :func:`~app.rules.ballot.tally`, as ``conclave recount`` counts it."""
    bodies = conn.execute(select(ballot.c.choices).where(ballot.c.round_id == rnd.id)).scalars()
    return tally([json.loads(b) for b in bodies], rnd.candidates)


def _differences(a: list[str], b: list[str], codes: Sequence[str]) -> list[str]:
    """Human-readable differences between two typings of the same batch."""
    out: list[str] = []
    if len(a) != len(b):
        out.append(f"the first entry has {len(a)} ballots, the second {len(b)}")
    for i, (x, y) in enumerate(zip(a, b, strict=False), 1):
        ja, jb = json.loads(x), json.loads(y)
        for code in codes:
            if ja.get(code) != jb.get(code):
                out.append(f"ballot {i}, candidate {code}: {ja.get(code)} vs {jb.get(code)}")
    return out
