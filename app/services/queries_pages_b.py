"""Read-only views for the wizard's steps 5–10 (小组评议 … 结果公示) and the results screen.

Plain functions over a :class:`~app.services.base.Store` (SQLAlchemy Core, like
:mod:`app.services.queries`); they never change anything. Nothing here reads a
ballot's choices: paper batches are described by their code, clerks, status and
size only, so the interface cannot show one clerk's typing to the other.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, select

from app.services.base import Store
from app.services.queries import CandidateView
from app.services.voting import Results, Tally
from app.storage.schema import candidate, member, paper_batch, quota, rubric_item, score


@dataclass(frozen=True)
class ScoreTotal:
    """A candidate's quantitative score (量化评分): the mean of the scorers' sheet totals."""

    total: float
    scorers: int
    maximum: int


@dataclass(frozen=True)
class PlenaryNote:
    """What steps 5 and 6 recorded beside the recommendation itself."""

    recommendation_note: str | None
    presenter: str | None
    conclusion: str | None
    reviewer_name: str | None          # 主审评委, a natural presenter


@dataclass(frozen=True)
class BatchView:
    """A paper batch (纸质选票批次) as the staff see it: never its contents."""

    code: str
    status: str                        # waiting / mismatch / accepted
    clerk_a: str | None
    clerk_b: str | None
    size: int                          # ballots in the first clerk's entry


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


def score_totals(store: Store, meeting_id: int) -> dict[str, ScoreTotal]:
    with store.read() as conn:
        maximum = int(conn.execute(select(func.coalesce(func.sum(rubric_item.c.max_points), 0)).where(
            rubric_item.c.meeting_id == meeting_id)).scalar_one())
        rows = conn.execute(
            select(candidate.c.code, score.c.member_id, func.sum(score.c.points).label("points"))
            .join(score, score.c.candidate_id == candidate.c.id)
            .where(candidate.c.meeting_id == meeting_id)
            .group_by(candidate.c.code, score.c.member_id)).all()
    sheets: dict[str, list[int]] = defaultdict(list)
    for r in rows:
        sheets[r.code].append(int(r.points))
    return {code: ScoreTotal(sum(v) / len(v), len(v), maximum) for code, v in sheets.items()}


def plenary_notes(store: Store, meeting_id: int) -> dict[str, PlenaryNote]:
    with store.read() as conn:
        names = {r.id: r.name for r in conn.execute(select(member.c.id, member.c.name).where(
            member.c.meeting_id == meeting_id))}
        rows = conn.execute(select(candidate).where(candidate.c.meeting_id == meeting_id)).all()
    return {r.code: PlenaryNote(r.recommendation_note, r.plenary_presenter, r.plenary_conclusion,
                                names.get(r.reviewer_id)) for r in rows}


def departed_members(store: Store, meeting_id: int) -> set[str]:
    """Codes of the panel members recorded as having left the meeting (离会)."""
    with store.read() as conn:
        return set(conn.execute(select(member.c.code).where(
            member.c.meeting_id == meeting_id, member.c.departed.is_(True))).scalars())


def paper_batches(store: Store, round_id: int) -> list[BatchView]:
    with store.read() as conn:
        rows = conn.execute(select(paper_batch).where(paper_batch.c.round_id == round_id)
                            .order_by(paper_batch.c.code)).all()
    return [BatchView(r.code, r.status, r.clerk_a, r.clerk_b, r.size or len(json.loads(r.entry_a or "[]")))
            for r in rows]


def quotas(store: Store, meeting_id: int) -> dict[str, int]:
    """The plan's quotas (评审职数) per key (unit/post)."""
    with store.read() as conn:
        return {r.key: r.places for r in conn.execute(select(quota).where(quota.c.meeting_id == meeting_id))}


def result_rows(results: Results, candidates: Sequence[CandidateView], number: int = 1) -> list[ResultRow]:
    """The candidates of round ``number`` with that round's counts and their current outcome."""
    counts = results.counts.get(number, {})
    on_ballot = candidates if number == 1 else [c for c in candidates if c.code in counts]
    outcomes = results.allocation.outcomes
    return [ResultRow(c.code, c.name, c.unit, c.level, counts.get(c.code),
                      outcomes[c.code].outcome if c.code in outcomes else c.outcome,
                      outcomes[c.code].reason if c.code in outcomes else c.reason)
            for c in on_ballot]
