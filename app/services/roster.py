"""The candidate roster (申报人花名册): the checks of one candidate, and corrections before step 1 ends.

:func:`candidate_problems` checks one candidate as the import does (:meth:`SetupService.add_candidates`)
and as a correction does (:meth:`CandidateCorrections.edit_candidate`): name, unit, a level the
committee reviews, a quota the plan sets, a valid ID number, and not failed by this committee
this year (X§10(七)).

The facts the eligibility re-check (step 2) looks at are captured with the candidate, each
optional (old rosters and old meeting files have none; the papers then say 未填写): the title
applied for (申报资格, e.g. 主治医师 — what the papers print, never the specialty), education
(学历), the current title (现职称) and the date it was obtained, the years in post (任职年限) and
whether the application is exceptional (破格申报). What is given must be plausible: a title
obtained on or before the meeting day, years in post between 0 and :data:`MAX_YEARS_IN_POST`
and not more than the years since that title. The rules hold no table of which title belongs to
which level, so the applied title is checked only as text.

A quota (评审职数) bound to a unit and a post (:mod:`app.services.plan`) may be carried only by a
candidate of that unit applying for that post — X§10(七) "不得跨专业、超职数": a nurse cannot
be counted against a 主治医师 quota. The check needs both sides known: an unbound quota, or a
candidate whose applied title is not captured, is not checked on the post.

Until the preparatory meeting (step 1) is finished a candidate can be corrected (a typo in the
unit — the conflict check uses it) and withdrawn, each with a written reason. The rules say
nothing about a withdrawal before the meeting; a candidate withdrawn before step 1 ends never
entered the committee review, so the product removes them from the agenda: they are not on the
ballot and not counted in the pass-rate caps (which count the candidates who entered the
review). They stay in the record as withdrawn — ``candidate_withdrawal`` keeps who they were,
who withdrew them and why, and the audit event says the same. After step 1 both are refused.

Most offices' rosters have no 评议组 column: :meth:`CandidateCorrections.assign_candidate_groups`
puts many candidates in the experts' discipline groups at once (the setup proposes each the group
whose experts share their specialty), without a reason each — it completes the roster rather than
correcting it — until step 1 is finished and never for a candidate already reviewed in a group.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, bindparam, delete, insert, select, update

from app.domain import Step
from app.errors import RuleViolation, Violation
from app.rules.conflicts import same_unit, unit_key
from app.rules.idnumber import id_number_problem
from app.rules.levels import CANDIDATE_LEVELS, reviews
from app.services.base import Store, candidate_row, fail, meeting_row, require_step, written_reason
from app.storage.schema import (
    ballot_round,
    candidate,
    candidate_withdrawal,
    interview,
    meeting,
    member,
    question,
    quota,
    score,
)
from app.storage.schema import committee as committee_table
from app.text import bi, in_chinese


@dataclass(frozen=True)
class CandidateInput:
    """One candidate (申报人) as imported from the roster."""

    code: str
    name: str
    unit: str
    level: str
    specialty: str
    id_number: str | None = None
    group: str | None = None
    quota_key: str | None = None
    applied_title: str | None = None         # 申报资格, e.g. 主治医师, 副主任护师
    education: str | None = None             # 学历
    current_title: str | None = None         # 现职称
    current_title_date: dt.date | None = None  # 现职称取得时间
    years_in_post: int | None = None         # 任职年限
    exceptional: bool | None = None          # 破格申报 (None: not captured)

    @classmethod
    def of(cls, c: Any) -> CandidateInput:
        """The input that stores candidate ``c`` (a :class:`~app.views.candidates.CandidateView`) as it
        is: a correction starts from it and changes what is wrong."""
        return cls(c.code, c.name, c.unit, c.level, c.specialty, c.id_number, c.group, c.quota_key,
                   c.applied_title, c.education, c.current_title, c.current_title_date, c.years_in_post,
                   c.exceptional)


#: The most years in post (任职年限) a candidate's row may give: a working life.
MAX_YEARS_IN_POST = 50
#: The longest text of a fact (申报资格, 学历, 现职称).
MAX_FACT_LENGTH = 40
#: The earliest date a current title can have been obtained.
EARLIEST_TITLE_DATE = dt.date(1950, 1, 1)


@dataclass(frozen=True)
class QuotaBinding:
    """The unit and the post a quota (评审职数) is for; ``None``: not given when the plan was filed."""

    unit: str | None
    post: str | None


@dataclass(frozen=True)
class RosterRules:
    """What a candidate is checked against: the committee, the plan's quotas, this year's failures."""

    committee_level: Any
    year: int
    quota_keys: frozenset[str]
    failed_ids: frozenset[str]
    meeting_date: dt.date | None = None
    quotas: Mapping[str, QuotaBinding] | None = None


#: Built once: every change of the roster reads the rules it is checked against.
_LEVEL = select(committee_table.c.level).where(committee_table.c.id == bindparam("committee_id"))
_BINDINGS = select(quota.c.key, quota.c.unit, quota.c.post).where(quota.c.meeting_id == bindparam("meeting_id"))


def roster_rules(conn: Connection, meeting_id: int) -> RosterRules:
    m = meeting_row(conn, meeting_id)
    level = conn.execute(_LEVEL, {"committee_id": m.committee_id}).scalar_one()
    quotas = {r.key: QuotaBinding(r.unit, r.post) for r in conn.execute(_BINDINGS, {"meeting_id": meeting_id})}
    return RosterRules(level, m.year, frozenset(quotas), frozenset(_failed_this_year(conn, m.committee_id, m.year)),
                       m.meeting_date, quotas)


def quota_binding_problem(unit: str | None, post: str | None, candidate_unit: str,
                          applied_title: str | None) -> tuple[str, str] | None:
    """Why a candidate of ``candidate_unit`` applying for ``applied_title`` may not carry a quota of
    ``unit`` and ``post`` (X§10(七)): ``("unit", quota's unit)`` or ``("post", quota's post)``; None
    when it fits or cannot be told (a side not known)."""
    if unit and unit_key(unit) and not same_unit(unit, candidate_unit):
        return "unit", unit
    if post and applied_title and unit_key(applied_title) and unit_key(post) != unit_key(applied_title):
        return "post", post
    return None


def candidate_problems(c: CandidateInput, where: str, rules: RosterRules) -> list[Violation]:
    """Every problem of one candidate (duplicates aside); each message starts with ``where``
    (``row N (code)``, which the importer reads back to point at the spreadsheet's row)."""
    problems: list[Violation] = []
    zh = where_zh(where)
    if not c.code.strip() or not c.name.strip() or not c.unit.strip():
        problems.append(Violation("format.missing_field", bi(f"{where}: code, name and unit are required",
                                                             f"{zh}：编号、姓名和工作单位必须填写")))
    if c.level not in CANDIDATE_LEVELS:
        problems.append(Violation("format.value", bi(f"{where}: level must be one of "
                                                     f"{'/'.join(CANDIDATE_LEVELS)}; got {c.level!r}",
                                                     f"{zh}：申报级别须为{'、'.join(CANDIDATE_LEVELS)}之一，"
                                                     f"现为“{c.level}”"), field="level"))
    elif not reviews(rules.committee_level, c.level):
        problems.append(Violation("format.value", bi(f"{where}: the {rules.committee_level} committee does "
                                                     f"not review {c.level} candidates",
                                                     f"{zh}：本评委会不评审{c.level}申报人"),
                                  field="level", ref="X§3"))
    if c.quota_key and c.quota_key not in rules.quota_keys:
        problems.append(Violation("candidate.quota", bi(f"{where}: the plan sets no quota (评审职数) "
                                                        f"for {c.quota_key!r}",
                                                        f"{zh}：评审方案未给“{c.quota_key}”设定评审职数"),
                                  field="quota_key"))
    elif c.quota_key and rules.quotas and c.quota_key in rules.quotas:
        problems += _quota_fit(c, where, rules.quotas[c.quota_key])
    problems += fact_problems(c, where, rules.meeting_date)
    if c.id_number:
        msg = id_number_problem(c.id_number)
        if msg:
            problems.append(Violation("candidate.id_number", bi(f"{where}: id_number {msg}",
                                                                f"{zh}：身份证号{in_chinese(msg)}"),
                                      field="id_number"))
        elif c.id_number.upper() in rules.failed_ids:
            problems.append(Violation(
                "candidate.failed_this_year",
                bi(f"{where}: {c.name} was not passed by this committee in {rules.year} and may "
                   "not be reviewed by it again this year",
                   f"{zh}：{c.name}{rules.year}年已经本评委会评审未通过，本年度不得再次参加本评委会评审"),
                field="id_number", ref="X§10(七)"))
    return problems


def _quota_fit(c: CandidateInput, where: str, q: QuotaBinding) -> list[Violation]:
    """The quota ``c`` carries is of another unit or post (X§10(七) 不得跨专业、超职数)."""
    misfit = quota_binding_problem(q.unit, q.post, c.unit, c.applied_title)
    if misfit is None:
        return []
    zh = where_zh(where)
    if misfit[0] == "unit":
        message = bi(f"{where}: quota (评审职数) {c.quota_key!r} belongs to {q.unit}, not to the candidate's "
                     f"unit {c.unit.strip()}: a quota is used only by its own unit (X§10(七))",
                     f"{zh}：职数“{c.quota_key}”属于{q.unit}，申报人工作单位为{c.unit.strip()}；"
                     "评审职数只能由本单位使用，不得超职数（第十条第七项）")
    else:
        message = bi(f"{where}: quota (评审职数) {c.quota_key!r} is for the post {q.post}, but the candidate "
                     f"applies for {(c.applied_title or '').strip()}: no cross-specialty use (X§10(七))",
                     f"{zh}：职数“{c.quota_key}”用于{q.post}岗位，申报人申报资格为{(c.applied_title or '').strip()}；"
                     "不得跨专业使用评审职数（第十条第七项）")
    return [Violation("candidate.quota_post", message, field="quota_key", ref="X§10(七)")]


def fact_problems(c: CandidateInput, where: str, meeting_date: dt.date | None) -> list[Violation]:
    """The eligibility facts of ``c`` that cannot be right; each message names the row and the field."""
    problems: list[Violation] = []
    zh = where_zh(where)
    for name, en, cn in (("applied_title", "the title applied for (申报资格)", "申报资格"),
                         ("education", "education (学历)", "学历"),
                         ("current_title", "the current title (现职称)", "现职称")):
        value = getattr(c, name)
        if value is not None and len(value.strip()) > MAX_FACT_LENGTH:
            problems.append(Violation("candidate.facts", bi(
                f"{where}: {en} is longer than {MAX_FACT_LENGTH} characters",
                f"{zh}：{cn}超过{MAX_FACT_LENGTH}个字"), field=name))
    day = c.current_title_date
    if day is not None:
        today = dt.date.today()
        if day > today:
            problems.append(Violation("candidate.facts", bi(
                f"{where}: the current title (现职称) cannot have been obtained on {day.isoformat()}, a day "
                "still to come", f"{zh}：现职称取得时间{day.isoformat()}晚于今天，请核对"),
                field="current_title_date"))
        elif meeting_date is not None and day > meeting_date:
            problems.append(Violation("candidate.facts", bi(
                f"{where}: the current title (现职称) cannot have been obtained on {day.isoformat()}, after the "
                f"meeting ({meeting_date.isoformat()})",
                f"{zh}：现职称取得时间{day.isoformat()}晚于评审会议日期{meeting_date.isoformat()}，请核对"),
                field="current_title_date"))
        elif day < EARLIEST_TITLE_DATE:
            problems.append(Violation("candidate.facts", bi(
                f"{where}: the current title (现职称) obtained on {day.isoformat()} is not plausible",
                f"{zh}：现职称取得时间{day.isoformat()}不合常理，请核对"), field="current_title_date"))
    years = c.years_in_post
    if years is not None:
        if not 0 <= years <= MAX_YEARS_IN_POST:
            problems.append(Violation("candidate.facts", bi(
                f"{where}: years in post (任职年限) must lie between 0 and {MAX_YEARS_IN_POST}; got {years}",
                f"{zh}：任职年限须在0至{MAX_YEARS_IN_POST}年之间，现为{years}"), field="years_in_post"))
        elif day is not None and meeting_date is not None and day <= meeting_date \
                and years > (most := _years_since(day, meeting_date)):
            problems.append(Violation("candidate.facts", bi(
                f"{where}: {years} years in post (任职年限), but the current title was obtained on "
                f"{day.isoformat()}, at most {most} years (counted as begun) before the meeting",
                f"{zh}：任职年限为{years}年，但现职称取得于{day.isoformat()}，至评审会议按起止年份计"
                f"不超过{most}年，请核对"), field="years_in_post"))
    return problems


def _years_since(day: dt.date, until: dt.date) -> int:
    """Started years from ``day`` to ``until`` (a title held 5 years and 2 months: 6)."""
    whole = until.year - day.year - ((until.month, until.day) < (day.month, day.day))
    started = (day.month, day.day) != (until.month, until.day)
    return whole + started


def candidate_values(c: CandidateInput) -> dict[str, Any]:
    """The candidate's columns as stored."""
    return {"code": c.code.strip(), "name": c.name.strip(), "unit": c.unit.strip(), "level": c.level,
            "specialty": c.specialty.strip(), "id_number": c.id_number.strip().upper() if c.id_number else None,
            "group_code": (c.group or "").strip() or None, "quota_key": (c.quota_key or "").strip() or None,
            "applied_title": _text(c.applied_title), "education": _text(c.education),
            "current_title": _text(c.current_title), "current_title_date": c.current_title_date,
            "years_in_post": c.years_in_post, "exceptional": c.exceptional}


def _text(value: str | None) -> str | None:
    return (value or "").strip() or None


class CandidateCorrections:
    """Corrections of the roster; a part of :class:`~app.services.setup.SetupService`."""

    store: Store

    def edit_candidate(self, actor: str, meeting_id: int, row: CandidateInput, reason: str) -> dict[str, list[Any]]:
        """Correct candidate ``row.code`` (the code itself stays) with a written reason; returns and
        audits what changed, ``{column: [old, new]}``."""
        why = written_reason(reason, "candidate.reason", "Correcting a candidate", "更正申报人信息")
        with self.store.write(actor, "candidate.edit", meeting_id, candidate=row.code, reason=why) as tx:
            conn = tx.conn
            require_step(conn, meeting_id, Step.PREPARATORY)
            old = candidate_row(conn, meeting_id, row.code)
            problems = candidate_problems(row, f"candidate {row.code}", roster_rules(conn, meeting_id))
            if problems:
                raise RuleViolation(problems)
            new = candidate_values(row)
            changed = {k: [getattr(old, k), v] for k, v in new.items() if k != "code" and getattr(old, k) != v}
            if not changed:
                raise fail("candidate.unchanged", bi(f"nothing was changed for candidate {row.code}",
                                                     f"申报人{row.code}的信息没有任何更改"))
            if "unit" in changed and (old.reviewer_id is not None or _has_records(conn, old.id)):
                raise fail("candidate.under_review", bi(
                    f"candidate {row.code} is already under review: the unit decides who may review and can "
                    "no longer change", f"申报人{row.code}已进入评审，工作单位决定回避关系，不能再更改"))
            conn.execute(update(candidate).where(candidate.c.id == old.id).values(
                **{k: new[k] for k in changed}))
            tx.data["changed"] = changed
        return changed

    def withdraw_candidate(self, actor: str, meeting_id: int, code: str, reason: str) -> None:
        """Withdraw a candidate from the agenda before step 1 is finished (see the module docstring)."""
        why = written_reason(reason, "candidate.reason", "Withdrawing a candidate", "撤回申报人")
        with self.store.write(actor, "candidate.withdraw", meeting_id, candidate=code, reason=why) as tx:
            conn = tx.conn
            require_step(conn, meeting_id, Step.PREPARATORY)
            old = candidate_row(conn, meeting_id, code)
            on_ballot = any(code in r.candidates for r in conn.execute(select(ballot_round.c.candidates).where(
                ballot_round.c.meeting_id == meeting_id)))
            if old.reviewer_id is not None or _has_records(conn, old.id) or on_ballot:
                raise fail("candidate.under_review", bi(
                    f"candidate {code} already has records of the review: they can no longer be withdrawn",
                    f"申报人{code}已有评审记录，不能再撤回"))
            conn.execute(insert(candidate_withdrawal).values(
                meeting_id=meeting_id, code=old.code, name=old.name, unit=old.unit, level=old.level,
                specialty=old.specialty, id_number=old.id_number, withdrawn_by=actor.strip(), reason=why))
            for m in conn.execute(select(member.c.id, member.c.declared_conflicts).where(
                    member.c.meeting_id == meeting_id)).all():
                if code in (m.declared_conflicts or ()):
                    conn.execute(update(member).where(member.c.id == m.id).values(
                        declared_conflicts=[c for c in m.declared_conflicts if c != code]))
            conn.execute(delete(candidate).where(candidate.c.id == old.id))
            tx.data.update(name=old.name, unit=old.unit, level=old.level, specialty=old.specialty,
                           id_number=old.id_number)


    def assign_candidate_groups(self, actor: str, meeting_id: int,
                                groups: Mapping[str, str]) -> dict[str, list[str | None]]:
        """Put candidates in discipline groups (评议组), ``{candidate code: group}``, in one change and
        one audit event; returns and audits what changed, ``{code: [old group, new group]}``.

        Most offices' rosters carry no 评议组 column: the candidates are grouped here, once the
        experts are seated in their groups (:meth:`SetupService.set_groups`), rather than by one
        correction with a written reason each. A group must be one the experts sit in (a group
        without experts reviews no one). Like the rest of the setup, only until step 1 is finished;
        a candidate who already has a primary reviewer, scores, questions, an interview or a group
        opinion keeps their group (those were given in it). Every problem is named at once and
        nothing is stored unless all is right."""
        wanted = {(code or "").strip(): (group or "").strip() for code, group in groups.items()}
        if not wanted:
            raise fail("candidate.groups", bi("no candidate was given a group", "没有为任何申报人指定评议组"))
        with self.store.write(actor, "candidate.groups", meeting_id, groups=wanted) as tx:
            conn = tx.conn
            require_step(conn, meeting_id, Step.PREPARATORY)
            seated = set(conn.execute(select(member.c.group_code).where(
                member.c.meeting_id == meeting_id, member.c.group_code.is_not(None))).scalars())
            rows = {r.code: r for r in conn.execute(select(candidate).where(
                candidate.c.meeting_id == meeting_id, candidate.c.code.in_(list(wanted))))}
            problems: list[Violation] = []
            changed: dict[str, list[str | None]] = {}
            for i, (code, group) in enumerate(wanted.items(), 1):
                row = rows.get(code)
                if row is None:
                    problems.append(Violation("candidate.unknown", bi(
                        f"no candidate {code!r} in this meeting", f"本次会议没有申报人{code}"), row=i))
                    continue
                who = f"{row.code} {row.name}"
                if group not in seated:
                    shown = "、".join(sorted(seated)) or "无"
                    problems.append(Violation("candidate.group_unknown", bi(
                        f"{who}: no expert is seated in group {group or '(none)'}; a candidate joins one of the "
                        f"experts' groups ({', '.join(sorted(seated)) or 'none yet'})",
                        f"{who}：评议组“{group}”中没有评委；申报人须分入已有评委的评议组（现有：{shown}）"),
                        row=i, field="group"))
                    continue
                if row.group_code == group:
                    continue
                if row.reviewer_id is not None or row.recommendation is not None or _has_records(conn, row.id):
                    problems.append(Violation("candidate.under_review", bi(
                        f"{who} already has records of the review in group {row.group_code}: their group can no "
                        "longer change",
                        f"{who}已在{row.group_code}组留有评审记录，不能再调整评议组"), row=i, field="group"))
                    continue
                changed[code] = [row.group_code, group]
            if problems:
                raise RuleViolation(problems)
            if not changed:
                raise fail("candidate.unchanged", bi("every candidate given is already in that group",
                                                     "所列申报人均已在该评议组，没有任何更改"))
            for code in changed:
                conn.execute(update(candidate).where(candidate.c.id == rows[code].id).values(
                    group_code=wanted[code]))
            tx.data["changed"] = changed
        return changed


def _has_records(conn: Connection, candidate_id: int) -> bool:
    """Scores, questions or an interview recorded for the candidate (steps 3–4, after a reopen)."""
    return any(conn.execute(select(t.c.candidate_id).where(t.c.candidate_id == candidate_id).limit(1)).first()
               for t in (score, question, interview))


_FAILED = select(candidate.c.id_number).join(meeting).where(
    meeting.c.committee_id == bindparam("committee_id"), meeting.c.year == bindparam("year"),
    candidate.c.outcome == "failed", candidate.c.id_number.is_not(None))


def _failed_this_year(conn: Connection, committee_id: int, year: int) -> set[str]:
    """ID numbers of candidates this committee did not pass this year (X§10(七))."""
    rows = conn.execute(_FAILED, {"committee_id": committee_id, "year": year}).scalars()
    return {r.upper() for r in rows}


__all__ = ["CandidateCorrections", "CandidateInput", "QuotaBinding", "RosterRules", "candidate_problems",
           "candidate_values", "fact_problems", "quota_binding_problem", "roster_rules"]


def where_zh(where: str) -> str:
    """``row N (code)`` as the Chinese says it: ``第N行（code）``."""
    found = re.match(r"row (\d+) \((.*)\)$", where)
    return f"第{found.group(1)}行（{found.group(2)}）" if found else where
