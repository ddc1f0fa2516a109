"""Read-only views for the setup page and steps 1–4 of the wizard (plan, draw, pool,
panel details, scores, questions, interviews).

Plain functions over a :class:`~app.services.Conclave` (SQLAlchemy Core, like
:mod:`app.services.queries`); nothing here writes. The draw preview applies the same
exclusion rules as the draw itself (:func:`app.rules.draw.exclusions`), so the
counts the secretary sees before the draw are the ones the draw will use.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from app.rules.draw import PoolExpert, exclusions
from app.services import Conclave
from app.services.base import meeting_row
from app.services.queries import MemberView
from app.storage.schema import (
    candidate,
    committee,
    draw,
    interview,
    member,
    pool_expert,
    question,
    quota,
    rubric_item,
    score,
)


@dataclass(frozen=True)
class PlanView:
    """The committee and the annual plan (年度评审方案) of one meeting."""

    committee_id: int
    committee: str
    level: str
    organized_by: str
    field: str
    filing_number: str
    filing_date: dt.date
    year: int
    title: str
    place: str
    plan_filed: dt.date
    meeting_date: dt.date
    reduced_panel_approved: bool
    rubric: tuple[tuple[str, int], ...]
    caps: dict[str, str]
    quotas: dict[str, int]
    supervisor: str
    secretary: str
    commitment_reader: str | None


@dataclass(frozen=True)
class PoolRow:
    code: str
    name: str
    unit: str
    specialty: str
    title: str
    title_years: int
    excluded: tuple[str, ...]       # the draw's exclusion rules for this expert this year


@dataclass(frozen=True)
class DrawView:
    """The recorded draw (抽取记录): what an auditor needs to redo it."""

    seed: str
    pool_sha256: str
    witness: str
    needs: dict[str, int]
    drawn: dict[str, list[str]]
    alternates: dict[str, list[str]]
    excluded: list[tuple[str, str]]   # (expert code, rule)


@dataclass(frozen=True)
class PanelRow(MemberView):
    """A panel member with what the setup and step-1 pages also show."""

    departed: bool
    declared_conflicts: tuple[str, ...]


@dataclass(frozen=True)
class QuestionRow:
    id: int
    candidate: str
    candidate_name: str
    text: str
    answer: str
    setter: str
    setter_name: str
    reviewer: str | None
    reviewer_name: str | None


@dataclass(frozen=True)
class ScoreSheet:
    """One expert's score sheet for one candidate (量化评分表)."""

    candidate: str
    scorer: str
    points: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.points.values())


@dataclass(frozen=True)
class InterviewRow:
    candidate: str
    seconds: int
    result_told: bool
    note: str | None


def plan(app: Conclave, meeting_id: int) -> PlanView:
    with app.store.read() as conn:
        m = meeting_row(conn, meeting_id)
        com = conn.execute(select(committee).where(committee.c.id == m.committee_id)).one()
        items = conn.execute(select(rubric_item.c.name, rubric_item.c.max_points).where(
            rubric_item.c.meeting_id == meeting_id).order_by(rubric_item.c.position)).all()
        quotas = conn.execute(select(quota.c.key, quota.c.places).where(
            quota.c.meeting_id == meeting_id).order_by(quota.c.key)).all()
    return PlanView(
        committee_id=com.id, committee=com.name, level=com.level, organized_by=com.organized_by,
        field=com.field, filing_number=com.filing_number or "", filing_date=com.filing_date,
        year=m.year, title=m.title, place=m.place, plan_filed=m.plan_filed, meeting_date=m.meeting_date,
        reduced_panel_approved=bool(m.reduced_panel_approved),
        rubric=tuple((r.name, int(r.max_points)) for r in items), caps=dict(m.caps or {}),
        quotas={r.key: int(r.places) for r in quotas}, supervisor=m.supervisor or "",
        secretary=m.secretary or "", commitment_reader=m.commitment_reader)


def committees(app: Conclave) -> list[dict[str, Any]]:
    """Every committee in the database (for the start dialog: reuse one already created)."""
    with app.store.read() as conn:
        rows = conn.execute(select(committee).order_by(committee.c.id)).all()
    return [dict(r._mapping) for r in rows]


def pool(app: Conclave, meeting_id: int) -> list[PoolRow]:
    """The committee's expert pool, each expert with the rules that keep them out of this draw."""
    with app.store.read() as conn:
        m = meeting_row(conn, meeting_id)
        rows = conn.execute(select(pool_expert).where(
            pool_expert.c.committee_id == m.committee_id).order_by(pool_expert.c.code)).all()
        units = set(conn.execute(select(candidate.c.unit).where(
            candidate.c.meeting_id == meeting_id)).scalars())
    experts = [PoolExpert(id=r.code, name=r.name, unit=r.unit, specialty=r.specialty, title=r.title,
                          title_years=r.title_years, served=tuple(r.served), blacklisted=r.blacklisted,
                          conflict_units=tuple(r.conflict_units)) for r in rows]
    rules: dict[str, list[str]] = {}
    for x in exclusions(experts, m.year, units):
        rules.setdefault(x.id, []).append(x.rule)
    return [PoolRow(e.id, e.name, e.unit, e.specialty, e.title, e.title_years, tuple(rules.get(e.id, ())))
            for e in experts]


def specialty_counts(app: Conclave, meeting_id: int) -> dict[str, tuple[int, int, int]]:
    """Per specialty: (candidates, experts in the pool, experts the draw may take)."""
    with app.store.read() as conn:
        specialties = conn.execute(select(candidate.c.specialty).where(
            candidate.c.meeting_id == meeting_id)).scalars().all()
    wanted = Counter(specialties)
    experts = pool(app, meeting_id)
    in_pool = Counter(e.specialty for e in experts)
    free = Counter(e.specialty for e in experts if not e.excluded)
    names = sorted(set(wanted) | set(in_pool), key=lambda s: (-wanted[s], s))
    return {s: (wanted[s], in_pool[s], free[s]) for s in names}


def draw_record(app: Conclave, meeting_id: int) -> DrawView | None:
    with app.store.read() as conn:
        r = conn.execute(select(draw).where(draw.c.meeting_id == meeting_id)).first()
    if r is None:
        return None
    return DrawView(seed=r.seed, pool_sha256=r.pool_sha256, witness=r.witness, needs=dict(r.needs),
                    drawn={k: list(v) for k, v in r.drawn.items()},
                    alternates={k: list(v) for k, v in r.alternates.items()},
                    excluded=[(x["id"], x["rule"]) for x in r.excluded])


def panel(app: Conclave, meeting_id: int) -> list[PanelRow]:
    """The panel with what :meth:`QueryService.members` leaves out (departed, declared conflicts)."""
    with app.store.read() as conn:
        rows = conn.execute(select(member).where(member.c.meeting_id == meeting_id)
                            .order_by(member.c.id)).all()
    return [PanelRow(r.code, r.name, r.unit, r.title, r.role, r.group_code, bool(r.checked_in),
                     bool(r.commitment_signed), bool(r.departed), tuple(r.declared_conflicts or ()))
            for r in rows]


def questions(app: Conclave, meeting_id: int) -> list[QuestionRow]:
    setter = member.alias("setter")
    reviewer = member.alias("reviewer")
    with app.store.read() as conn:
        rows = conn.execute(
            select(question.c.id, question.c.text, question.c.answer, candidate.c.code, candidate.c.name,
                   setter.c.code.label("setter"), setter.c.name.label("setter_name"),
                   reviewer.c.code.label("reviewer"), reviewer.c.name.label("reviewer_name"))
            .join(candidate, candidate.c.id == question.c.candidate_id)
            .join(setter, setter.c.id == question.c.setter_id)
            .outerjoin(reviewer, reviewer.c.id == question.c.reviewer_id)
            .where(candidate.c.meeting_id == meeting_id).order_by(candidate.c.id, question.c.id)).all()
    return [QuestionRow(r.id, r.code, r.name, r.text, r.answer, r.setter, r.setter_name, r.reviewer,
                        r.reviewer_name) for r in rows]


def score_sheets(app: Conclave, meeting_id: int) -> list[ScoreSheet]:
    """Every recorded score sheet of the meeting, by candidate then scorer."""
    with app.store.read() as conn:
        rows = conn.execute(
            select(candidate.c.code, member.c.code.label("scorer"), rubric_item.c.name, score.c.points)
            .join(candidate, candidate.c.id == score.c.candidate_id)
            .join(member, member.c.id == score.c.member_id)
            .join(rubric_item, rubric_item.c.id == score.c.item_id)
            .where(candidate.c.meeting_id == meeting_id)
            .order_by(candidate.c.id, member.c.code, rubric_item.c.position)).all()
    sheets: dict[tuple[str, str], dict[str, int]] = {}
    for r in rows:
        sheets.setdefault((r.code, r.scorer), {})[r.name] = int(r.points)
    return [ScoreSheet(c, s, p) for (c, s), p in sheets.items()]


def interviews(app: Conclave, meeting_id: int) -> dict[str, InterviewRow]:
    with app.store.read() as conn:
        rows = conn.execute(
            select(candidate.c.code, interview.c.seconds, interview.c.result_told, interview.c.note)
            .join(candidate, candidate.c.id == interview.c.candidate_id)
            .where(candidate.c.meeting_id == meeting_id)).all()
    return {r.code: InterviewRow(r.code, int(r.seconds), bool(r.result_told), r.note) for r in rows}
