"""The annual plan (年度评审方案) of a meeting: its checks, and its correction before step 1 ends.

:func:`plan_problems` is the one check of a plan, used when a meeting is opened
(:meth:`SetupService.open_meeting`) and when its plan is corrected (:meth:`PlanCorrections.edit_plan`):
the committee's filing (X§3), a plan filed at least 5 working days before the meeting (X§7), a
title and place, a rubric, the pass-rate caps, the quotas and the quorum.

Quotas (评审职数) are bound to a unit and a post (申报资格), X§10(七) "不得跨专业、超职数": a plan
gives each key its places, or a :class:`QuotaInput` with the places, the unit they belong to and
the post they are for. A bare number binds nothing new: a new key stays unbound (old plans, or a
window that asks only for places) and a key already bound keeps its unit and post. A candidate
carrying a bound key must be of its unit and apply for its post (:mod:`app.services.roster`).

A plan is corrected — title, place, dates, caps, rubric, quotas, the reduced panel, the quorum,
and the facts the papers print (its filing number, where the result is published and who takes
objections at which telephone, the meeting's days and hours: :mod:`app.rules.meeting_days`) —
until the preparatory meeting (step 1) is finished, each change with a written reason, audited
with what changed (old and new). After step 1 the plan is fixed (``step.locked``). Some parts
are fixed earlier by what depends on them: the rubric once a score was recorded against it,
a quota once a candidate carries it, the caps once a ballot round exists.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, delete, func, insert, select, update

from app.domain import Step
from app.errors import RuleViolation, Violation
from app.rules.calendar import UnknownYear
from app.rules.calendar_years import unknown_year_violation
from app.rules.committee import check_filing, check_plan_filed
from app.rules.levels import DEFAULT_CAPS, CapShare, cap_decimal, plan_cap_problem, plan_caps
from app.rules.meeting_days import MeetingDay, day_problems, normal_days, phone_problem
from app.rules.quorum import DEFAULT_QUORUM, quorum_problem, quorum_text
from app.services.base import Store, fail, meeting_row, require_step, written_reason
from app.services.roster import quota_binding_problem
from app.storage.schema import ballot_round, candidate, meeting, meeting_day, quota, rubric_item, score
from app.storage.schema import committee as committee_table
from app.text import bi


@dataclass(frozen=True)
class QuotaInput:
    """A quota (评审职数) as filed: its places, the unit they belong to and the post (申报资格, e.g.
    主治医师) they are for — only a candidate of that unit applying for that post may carry it."""

    places: int
    unit: str = ""
    post: str = ""

    @classmethod
    def from_key(cls, key: str, places: int) -> QuotaInput:
        """The quota a window's row means: a key written 单位/岗位 (``吉首市人民医院/主治医师``, the
        form the roster's 职数 column uses) is bound to that unit and post; any other key gives
        the places only and stays unbound (X§10(七) cannot be checked for it)."""
        unit, slash, post = key.replace("／", "/").partition("/")
        if slash and unit.strip() and post.strip() and "/" not in post:
            return cls(int(places), unit.strip(), post.strip())
        return cls(int(places))


Quotas = Mapping[str, int | QuotaInput]


def quota_input(value: int | QuotaInput) -> QuotaInput:
    """A plan's quota value as a :class:`QuotaInput` (a bare number: places only, unit and post not given)."""
    return value if isinstance(value, QuotaInput) else QuotaInput(int(value))


def quota_values(key: str, value: int | QuotaInput, bound: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The quota's columns as stored; unit and post not given are kept from ``bound`` (the stored
    quota of that key: a correction that gives only the places does not unbind it)."""
    q = quota_input(value)
    old = (bound or {}).get(key.strip()) or {}
    return {"places": int(q.places), "unit": q.unit.strip() or old.get("unit"),
            "post": q.post.strip() or old.get("post")}


@dataclass(frozen=True)
class PlanInput:
    """The annual plan (年度评审方案) as filed, with the staff it names."""

    year: int
    title: str
    place: str
    plan_filed: dt.date
    meeting_date: dt.date
    rubric: Sequence[tuple[str, int]]          # (item, maximum points) 量化评分细则
    caps: Mapping[str, CapShare] = field(default_factory=lambda: {str(k): v for k, v in DEFAULT_CAPS.items()})
    quotas: Quotas = field(default_factory=dict)   # key -> places, or QuotaInput (unit and post)
    reduced_panel_approved: bool = False
    fees: Mapping[str, Any] = field(default_factory=dict)
    secretary: str = ""        # 办事机构工作人员: runs the meeting; the meeting is opened in their name
    supervisor: str = ""       # 纪检监察: witnesses the draw and the count (may be named later)
    quorum: str = DEFAULT_QUORUM   # share of the panel's experts present for a round to open
    # the facts the papers print (empty: not known yet — the papers leave a blank, never a guess)
    plan_filing_number: str = ""   # 评审方案备案文号
    publicity_where: str = ""      # 公示网站或地点
    objection_contact: str = ""    # 受理异议的部门或联系人
    objection_phone: str = ""      # 受理异议的电话
    days: Sequence[MeetingDay] = ()   # (day, "HH:MM", "HH:MM"); none: one day, hours not recorded
    secretary_unit: str = ""       # the secretary's unit (办事机构)
    supervisor_unit: str = ""      # the supervisor's unit (纪检监察机构)


@dataclass(frozen=True)
class PlanEdit:
    """The parts of a filed plan that can be corrected before step 1 is finished."""

    title: str
    place: str
    plan_filed: dt.date
    meeting_date: dt.date
    rubric: Sequence[tuple[str, int]]
    caps: Mapping[str, CapShare]
    quotas: Quotas
    reduced_panel_approved: bool
    quorum: str
    # the facts the papers print; None: kept as stored (a caller that does not show them)
    plan_filing_number: str | None = None
    publicity_where: str | None = None
    objection_contact: str | None = None
    objection_phone: str | None = None
    days: Sequence[MeetingDay] | None = None


def plan_problems(plan: PlanInput | PlanEdit, filing_date: dt.date, calendar: Any,
                  db_path: Path | None = None, *, days: Sequence[MeetingDay] | None = None,
                  vote_date: dt.date | None = None) -> list[Violation]:
    """Every reason the plan cannot be applied (empty: fine); ``db_path`` is named in the way
    to enter a calendar year the plan's deadline needs. ``days`` are the meeting's days when the
    plan does not give them (a correction that keeps the stored ones), ``vote_date`` the vote's
    date once known."""
    problems = check_filing(filing_date, plan.meeting_date)
    try:
        problems += check_plan_filed(plan.plan_filed, plan.meeting_date, calendar)
    except UnknownYear as exc:
        problems.append(unknown_year_violation(exc.year, db_path, bi(
            "the plan's filing deadline (X§7)", "评审方案报备时限（第七条）")))
    if not plan.title.strip() or not plan.place.strip():
        problems.append(Violation("format.missing_field", bi("the plan needs the meeting's title and place",
                                                             "评审方案须写明会议名称和地点")))
    if not plan.rubric:
        problems.append(Violation("plan.rubric", bi("the plan needs a scoring rubric (量化评分细则)",
                                                    "评审方案须有量化评分细则")))
    names = [item.strip() for item, _ in plan.rubric]
    for i, (item, points) in enumerate(plan.rubric, 1):
        if not item.strip() or points <= 0:
            problems.append(Violation("plan.rubric", bi(f"rubric item {i} ({item!r}) needs a name and a "
                                                        "maximum above 0",
                                                        f"评分细则第{i}项（“{item}”）须有名称且满分大于0")))
        elif names.count(item.strip()) > 1 and names.index(item.strip()) == i - 1:
            problems.append(Violation("plan.rubric", bi(f"rubric item {item.strip()!r} is listed twice",
                                                        f"评分细则“{item.strip()}”重复")))
    for level, cap in plan.caps.items():
        problem = plan_cap_problem(level, cap)
        if problem:
            problems.append(Violation("plan.caps", problem))
    for key, value in plan.quotas.items():
        if not key.strip():
            problems.append(Violation("plan.quota", bi("a quota (评审职数) needs its unit/post",
                                                       "评审职数须写明单位/岗位")))
        places = quota_input(value).places
        if places < 0:
            problems.append(Violation("plan.quota", bi(f"quota {key!r} cannot be negative",
                                                       f"评审职数“{key}”不能为负数")))
    quorum = quorum_problem(plan.quorum)
    if quorum:
        problems.append(Violation("plan.quorum", quorum))
    problems += day_problems(plan.days if plan.days is not None else (days or ()), plan.meeting_date, vote_date)
    phone = phone_problem(plan.objection_phone or "", bi("the telephone for objections", "受理异议电话"))
    if phone:
        problems.append(phone)
    return problems


def _facts(plan: PlanInput | PlanEdit) -> dict[str, Any]:
    """The plan's printed facts as stored (stripped; None: a correction keeps the stored one)."""
    return {k: (v.strip() if isinstance(v, str) else v) for k in _FACT_COLUMNS
            if (v := getattr(plan, k)) is not None}


_FACT_COLUMNS = ("plan_filing_number", "publicity_where", "objection_contact", "objection_phone")


def store_days(conn: Connection, meeting_id: int, days: Sequence[MeetingDay]) -> None:
    """Replace the meeting's days and hours (``meeting_day``) with ``days``, checked before."""
    conn.execute(delete(meeting_day).where(meeting_day.c.meeting_id == meeting_id))
    if days:
        conn.execute(insert(meeting_day), [{"meeting_id": meeting_id, "day": d, "starts": s, "ends": e}
                                           for d, s, e in normal_days(days)])


def _days_json(days: Sequence[MeetingDay]) -> list[list[str]]:
    return [[d.isoformat(), s, e] for d, s, e in normal_days(days)]


def stored_caps(caps: Mapping[str, CapShare]) -> dict[str, str]:
    """The caps as the meeting stores them: exact decimals written as strings."""
    return {k: str(cap_decimal(v)) for k, v in caps.items()}


class PlanCorrections:
    """Corrections of the plan; a part of :class:`~app.services.setup.SetupService`."""

    store: Store
    calendar: Any

    def edit_plan(self, actor: str, meeting_id: int, plan: PlanEdit, reason: str) -> dict[str, list[Any]]:
        """Correct the plan before step 1 is finished, with a written reason; returns (and audits)
        what changed, field by field, as ``{field: [old, new]}``. Checked as when it was filed."""
        why = written_reason(reason, "plan.reason", "Correcting the plan", "更正评审方案")
        with self.store.write(actor, "plan.edit", meeting_id, reason=why) as tx:
            conn = tx.conn
            require_step(conn, meeting_id, Step.PREPARATORY)
            m = meeting_row(conn, meeting_id)
            filing = conn.execute(select(committee_table.c.filing_date).where(
                committee_table.c.id == m.committee_id)).scalar_one()
            stored_days = [(r.day, r.starts, r.ends) for r in conn.execute(select(meeting_day).where(
                meeting_day.c.meeting_id == meeting_id).order_by(meeting_day.c.day))]
            if plan.days is None and stored_days and plan.meeting_date != m.meeting_date:
                # a caller that keeps the days but moves the meeting: its days move with it, hours kept
                shift = plan.meeting_date - m.meeting_date
                plan = replace(plan, days=[(d + shift, s, e) for d, s, e in stored_days])
            problems = plan_problems(plan, filing, self.calendar, self.store.path, days=stored_days,
                                     vote_date=m.vote_date)
            if problems:
                raise RuleViolation(problems)
            before = _current(conn, meeting_id)
            after: dict[str, Any] = {
                "title": plan.title.strip(), "place": plan.place.strip(), "plan_filed": plan.plan_filed,
                "meeting_date": plan.meeting_date, "reduced_panel_approved": plan.reduced_panel_approved,
                "quorum": quorum_text(plan.quorum), "caps": stored_caps(plan.caps),
                "rubric": [[n.strip(), int(p)] for n, p in plan.rubric],
                "quotas": {k.strip(): quota_values(k, v, before["quotas"]) for k, v in plan.quotas.items()},
                **_facts(plan)}
            if plan.days is not None:
                after["days"] = _days_json(plan.days)
            changed = {k: [before[k], v] for k, v in after.items() if before[k] != v}
            if "caps" in changed and plan_caps(before["caps"]) == plan_caps(after["caps"]):
                del changed["caps"]                 # the same caps applied, written another way
            if not changed:
                raise fail("plan.unchanged", bi("nothing in the plan was changed", "评审方案没有任何更改"))
            _refuse_fixed_parts(conn, meeting_id, changed)
            columns = {k: after[k] for k in ("title", "place", "plan_filed", "meeting_date",
                                             "reduced_panel_approved", "quorum", "caps", *_FACT_COLUMNS)
                       if k in changed}
            if columns:
                conn.execute(update(meeting).where(meeting.c.id == meeting_id).values(**columns))
            if "rubric" in changed:
                conn.execute(delete(rubric_item).where(rubric_item.c.meeting_id == meeting_id))
                conn.execute(insert(rubric_item), [{"meeting_id": meeting_id, "position": i, "name": n,
                                                    "max_points": p} for i, (n, p) in enumerate(after["rubric"], 1)])
            if "quotas" in changed:
                conn.execute(delete(quota).where(quota.c.meeting_id == meeting_id))
                if after["quotas"]:
                    conn.execute(insert(quota), [{"meeting_id": meeting_id, "key": k, **v}
                                                 for k, v in after["quotas"].items()])
            if "days" in changed:
                store_days(conn, meeting_id, plan.days or ())
            tx.data["changed"] = changed
        return changed


def _current(conn: Connection, meeting_id: int) -> dict[str, Any]:
    m = meeting_row(conn, meeting_id)
    rubric = [[r.name, int(r.max_points)] for r in conn.execute(
        select(rubric_item.c.name, rubric_item.c.max_points).where(
            rubric_item.c.meeting_id == meeting_id).order_by(rubric_item.c.position))]
    quotas = {r.key: {"places": int(r.places), "unit": r.unit, "post": r.post} for r in conn.execute(
        select(quota.c.key, quota.c.places, quota.c.unit, quota.c.post).where(
            quota.c.meeting_id == meeting_id).order_by(quota.c.key))}
    days = [[r.day.isoformat(), r.starts, r.ends] for r in conn.execute(select(meeting_day).where(
        meeting_day.c.meeting_id == meeting_id).order_by(meeting_day.c.day))]
    return {"title": m.title, "place": m.place, "plan_filed": m.plan_filed, "meeting_date": m.meeting_date,
            "reduced_panel_approved": bool(m.reduced_panel_approved), "quorum": m.quorum,
            "caps": dict(m.caps or {}), "rubric": rubric, "quotas": quotas, "days": days,
            **{k: getattr(m, k) or "" for k in _FACT_COLUMNS}}


def _refuse_fixed_parts(conn: Connection, meeting_id: int, changed: Mapping[str, Any]) -> None:
    """Parts of the plan fixed by what already depends on them (a meeting whose step 1 was reopened)."""
    if "rubric" in changed and conn.execute(select(func.count()).select_from(score).join(
            rubric_item, rubric_item.c.id == score.c.item_id).where(
            rubric_item.c.meeting_id == meeting_id)).scalar_one():
        raise fail("plan.rubric_used", bi("scores have been recorded against the rubric: it can no longer change",
                                          "已按评分细则评分，评分细则不能再更改"))
    if "caps" in changed and conn.execute(select(ballot_round.c.id).where(
            ballot_round.c.meeting_id == meeting_id)).first():
        raise fail("plan.caps_at_vote", bi("the ballot has begun: the pass-rate caps are changed only in the "
                                           "filed plan, never at the vote",
                                           "表决已开始，通过率控制比例只能在备案的评审方案中确定，不得在表决时更改"))
    if "quotas" in changed:
        old, new = changed["quotas"]
        dropped = set(old) - set(new)
        carried = sorted(conn.execute(select(candidate.c.code).where(
            candidate.c.meeting_id == meeting_id, candidate.c.quota_key.in_(dropped))).scalars()) if dropped else []
        if carried:
            codes = ", ".join(carried)
            raise fail("plan.quota_used", bi(f"a quota (评审职数) removed from the plan is carried by candidates "
                                             f"{codes}: correct those candidates first",
                                             f"拟删除的评审职数仍被申报人{'、'.join(carried)}使用，请先更正这些申报人"))
        rebound = {k: v for k, v in new.items() if k in old and (old[k]["unit"], old[k]["post"]) != (
            v["unit"], v["post"])}
        misfits = quota_misfits(conn, meeting_id, rebound)
        if misfits:
            raise fail("plan.quota_used", bi(
                f"the unit or post of a quota (评审职数) would no longer fit candidates {', '.join(misfits)}: "
                "correct those candidates first (X§10(七))",
                f"更改后的评审职数单位或岗位与申报人{'、'.join(misfits)}不符（不得跨专业使用职数），请先更正这些申报人"),
                field="quotas", ref="X§10(七)")


def quota_misfits(conn: Connection, meeting_id: int, quotas: Mapping[str, Mapping[str, Any]]) -> list[str]:
    """Codes of the candidates carrying one of ``quotas`` ({key: stored columns}) whose unit or
    applied title the quota's unit or post does not fit."""
    if not quotas:
        return []
    rows = conn.execute(select(candidate.c.code, candidate.c.unit, candidate.c.applied_title,
                               candidate.c.quota_key).where(candidate.c.meeting_id == meeting_id,
                                                            candidate.c.quota_key.in_(list(quotas)))).all()
    return sorted(r.code for r in rows if quota_binding_problem(
        quotas[r.quota_key].get("unit"), quotas[r.quota_key].get("post"), r.unit, r.applied_title) is not None)
