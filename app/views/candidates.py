"""Candidates (申报人) with what each step recorded about them: eligibility, the primary
reviewer and the score sheets, interview questions and interviews, the group's
recommendation and the plenary's conclusion, and the outcome of the ballot — and the facts
captured with the roster that the eligibility re-check looks at (申报资格, 学历, 现职称 and
its date, 任职年限, 破格; ``None`` where the roster did not give them)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import Connection, bindparam, func, select

from app.storage.schema import candidate, candidate_withdrawal, interview, member, question, rubric_item, score
from app.storage.store import Store


@dataclass(frozen=True)
class CandidateView:
    code: str
    name: str
    unit: str
    level: str
    specialty: str
    group: str | None
    quota_key: str | None
    id_number: str | None
    eligible: bool | None
    eligibility_reason: str | None
    reviewer: str | None             # 主审评委's member code
    recommendation: str | None
    plenary_conclusion: str | None
    outcome: str | None
    reason: str | None
    signed_by: str | None
    applied_title: str | None = None          # 申报资格, e.g. 主治医师
    education: str | None = None              # 学历
    current_title: str | None = None          # 现职称
    current_title_date: dt.date | None = None  # 现职称取得时间
    years_in_post: int | None = None          # 任职年限
    exceptional: bool | None = None           # 破格申报


@dataclass(frozen=True)
class RubricItem:
    """One item of the plan's score sheet (量化评分表)."""

    name: str
    max_points: int


@dataclass(frozen=True)
class ScoreSheet:
    """One expert's score sheet for one candidate (量化评分表), items in the rubric's order."""

    candidate: str
    scorer: str
    points: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.points.values())


@dataclass(frozen=True)
class ScoreTotal:
    """A candidate's quantitative score (量化评分): the mean of the scorers' sheet totals."""

    total: float
    scorers: int
    maximum: int


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
class InterviewRow:
    candidate: str
    seconds: int
    result_told: bool
    note: str | None
    result: str | None = None          # the result as told to the candidate (面试结果)


@dataclass(frozen=True)
class PlenaryNote:
    """What steps 5 and 6 recorded beside the recommendation itself."""

    recommendation_note: str | None
    presenter: str | None
    conclusion: str | None
    reviewer_name: str | None          # 主审评委, a natural presenter


def candidates(store: Store, meeting_id: int) -> list[CandidateView]:
    with store.read() as conn:
        return candidates_on(conn, meeting_id)


_REVIEWER = member.alias("reviewer")
#: Built once: every page that lists the candidates, and the record's export, reads them.
_CANDIDATES = (select(candidate, _REVIEWER.c.code.label("reviewer_code"))
               .outerjoin(_REVIEWER, _REVIEWER.c.id == candidate.c.reviewer_id)
               .where(candidate.c.meeting_id == bindparam("meeting_id")).order_by(candidate.c.id))


def candidates_on(conn: Connection, meeting_id: int) -> list[CandidateView]:
    rows = conn.execute(_CANDIDATES, {"meeting_id": meeting_id}).all()
    return [CandidateView(
        code=r.code, name=r.name, unit=r.unit, level=r.level, specialty=r.specialty,
        group=r.group_code, quota_key=r.quota_key, id_number=r.id_number, eligible=r.eligible,
        eligibility_reason=r.eligibility_reason, reviewer=r.reviewer_code,
        recommendation=r.recommendation, plenary_conclusion=r.plenary_conclusion,
        outcome=r.outcome, reason=r.reason, signed_by=r.signed_by, applied_title=r.applied_title,
        education=r.education, current_title=r.current_title, current_title_date=r.current_title_date,
        years_in_post=r.years_in_post, exceptional=r.exceptional) for r in rows]


def rubric(store: Store, meeting_id: int) -> list[RubricItem]:
    with store.read() as conn:
        return [RubricItem(r.name, int(r.max_points)) for r in conn.execute(
            select(rubric_item.c.name, rubric_item.c.max_points).where(
                rubric_item.c.meeting_id == meeting_id).order_by(rubric_item.c.position))]


def score_sheets(store: Store, meeting_id: int) -> list[ScoreSheet]:
    """Every recorded score sheet of the meeting, by candidate then scorer."""
    with store.read() as conn:
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


def questions(store: Store, meeting_id: int) -> list[QuestionRow]:
    """Every interview question of the meeting, by candidate then in the order drafted."""
    setter = member.alias("setter")
    reviewer = member.alias("reviewer")
    with store.read() as conn:
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


def interviews(store: Store, meeting_id: int) -> dict[str, InterviewRow]:
    """The interviews (面试) held, by candidate code."""
    with store.read() as conn:
        rows = conn.execute(
            select(candidate.c.code, interview.c.seconds, interview.c.result_told, interview.c.note,
                   interview.c.result)
            .join(candidate, candidate.c.id == interview.c.candidate_id)
            .where(candidate.c.meeting_id == meeting_id)).all()
    return {r.code: InterviewRow(r.code, int(r.seconds), bool(r.result_told), r.note, r.result) for r in rows}


def plenary_notes(store: Store, meeting_id: int) -> dict[str, PlenaryNote]:
    reviewer = member.alias("reviewer")
    with store.read() as conn:
        rows = conn.execute(select(candidate.c.code, candidate.c.recommendation_note,
                                   candidate.c.plenary_presenter, candidate.c.plenary_conclusion,
                                   reviewer.c.name.label("reviewer_name"))
                            .outerjoin(reviewer, reviewer.c.id == candidate.c.reviewer_id)
                            .where(candidate.c.meeting_id == meeting_id)).all()
    return {r.code: PlenaryNote(r.recommendation_note, r.plenary_presenter, r.plenary_conclusion,
                                r.reviewer_name) for r in rows}


@dataclass(frozen=True)
class WithdrawnCandidate:
    """A candidate withdrawn from the agenda before step 1 was finished: not on the ballot, not
    counted in the caps, kept in the record with who withdrew them and why."""

    code: str
    name: str
    unit: str
    level: str
    specialty: str
    withdrawn_by: str
    reason: str


def withdrawn(store: Store, meeting_id: int) -> list[WithdrawnCandidate]:
    """The candidates withdrawn from this meeting's agenda, in the order they were withdrawn."""
    with store.read() as conn:
        rows = conn.execute(select(candidate_withdrawal).where(
            candidate_withdrawal.c.meeting_id == meeting_id).order_by(candidate_withdrawal.c.id)).all()
    return [WithdrawnCandidate(r.code, r.name, r.unit, r.level, r.specialty, r.withdrawn_by, r.reason) for r in rows]
