"""Admissibility of a meeting and of an expert pool (评委会、专家库), X§3, X§6, X§7.

Before a yearly meeting (年度综合评审会议) may open, two filings must hold:

* the committee's own filing (核准备案) is valid 3 years (X§3). Periods are counted
  as the Civil Code counts them (民法典 第二百零一条、第二百零二条): the filing day
  itself is not counted, and the period ends on the *corresponding day* of the
  expiry year — so a filing of 2023-05-10 is valid up to and including 2026-05-10
  and has lapsed on 2026-05-11. Without a corresponding day (a filing of 29
  February) the period ends on the last day of that month: 2024-02-29 + 3 years is
  2027-02-28. When the approval itself states an end date, pass it as
  ``valid_until`` and that date wins.
* the year's plan (年度评审方案) was filed at least 5 working days before the
  meeting (X§7: 至少提前5个工作日报备). We read it as: the meeting day is on or after
  the 5th working day strictly after the filing day. Plan filed Monday 2026-11-09,
  meeting Monday 2026-11-16 (Tue..Mon = 5 working days): admissible; meeting Friday
  2026-11-13 (4 working days): refused.

The pool of an intermediate committee (X§4(三), X§6): at least 30 experts; each
holds 正高, or 副高 for at least 3 years (三年以上, and 以上 includes the number,
民法典 第一千二百五十九条); senior intermediate-titled experts (资深中级) only with
the HR department's approval and at most 1/4 of the pool (every member counts in
the total). The term rule (每届任期不得超过3年) binds every pool, whatever the level.

Working days come from a calendar object with ``add_workdays(d, n) -> date`` (the
n-th working day strictly after ``d``), i.e. :class:`app.rules.calendar.WorkCalendar`;
its own errors for years it does not know propagate unchanged.
"""

from __future__ import annotations

import calendar as _gregorian
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from app.errors import Violation
from app.text import bi

FILING_VALID_YEARS = 3  # X§3 备案有效期为3年
PLAN_LEAD_WORKDAYS = 5  # X§7 至少提前5个工作日报备
INTERMEDIATE_POOL_MINIMUM = 30  # X§4(三) 不少于30人的专家库
EXPERT_TERM_YEARS = 3  # X§6 每届任期不得超过3年
ASSOCIATE_SENIOR_MIN_YEARS = 3  # X§6 三年以上副高级职称任职资历
SENIOR_INTERMEDIATE_MAX_SHARE = (1, 4)  # X§6 不超过评委库评委总数1/4


class WorkdayCalendar(Protocol):
    """What this module needs of the working-day calendar (调休 included)."""

    def add_workdays(self, d: dt.date, n: int, /) -> dt.date: ...


@dataclass(frozen=True, slots=True)
class PoolMember:
    """A member of the expert pool as the pool rules see them."""

    id: str
    name: str
    title: str  # 正高 / 副高 / 中级
    title_years: int  # years holding that title (任职年限)
    term_start: dt.date | None = None  # this term (届) began
    term_end: dt.date | None = None  # this term ends (None: start + 3 years)
    approved: bool = False  # a 中级 expert's 资深中级 approval by the HR department is recorded

    @property
    def label(self) -> str:
        return f"{self.id} {self.name}"


def add_years(d: dt.date, years: int) -> dt.date:
    """The corresponding day ``years`` later; 29 February becomes the month's last day."""
    y = d.year + years
    return d.replace(year=y, day=min(d.day, _gregorian.monthrange(y, d.month)[1]))


def filing_last_day(filed_on: dt.date, years: int = FILING_VALID_YEARS) -> dt.date:
    """The last day on which a filing of ``filed_on`` is still valid."""
    return add_years(filed_on, years)


def check_filing(
    filed_on: dt.date,
    meeting_date: dt.date,
    *,
    valid_until: dt.date | None = None,
    years: int = FILING_VALID_YEARS,
) -> list[Violation]:
    """``committee.not_filed`` before the filing, ``committee.filing_lapsed`` after its end."""
    last = valid_until or filing_last_day(filed_on, years)
    basis = "as approved" if valid_until else f"{years} years, X§3"
    basis_zh = "按核准的有效期" if valid_until else f"备案有效期{years}年"
    if meeting_date < filed_on:
        return [Violation(
            "committee.not_filed",
            bi(f"the meeting on {meeting_date} is before the committee's filing (核准备案) "
               f"of {filed_on}",
               f"会议日期（{meeting_date}）早于评委会核准备案日期（{filed_on}）"),
            ref="X§3",
        )]
    if meeting_date > last:
        return [Violation(
            "committee.filing_lapsed",
            bi(f"the committee's filing (核准备案) of {filed_on} was valid until {last} "
               f"({basis}); the meeting on {meeting_date} needs a new filing",
               f"评委会{filed_on}的核准备案有效至{last}（{basis_zh}），{meeting_date}召开会议须重新核准备案"),
            ref="X§3",
        )]
    return []


def check_plan_filed(
    plan_filed_on: dt.date,
    meeting_date: dt.date,
    calendar: WorkdayCalendar,
    *,
    lead_workdays: int = PLAN_LEAD_WORKDAYS,
) -> list[Violation]:
    """``plan.filed_late`` unless the meeting is on or after the 5th working day after filing."""
    earliest = calendar.add_workdays(plan_filed_on, lead_workdays)
    if meeting_date >= earliest:
        return []
    notice = 0  # working days strictly after the filing, up to the meeting day
    while calendar.add_workdays(plan_filed_on, notice + 1) <= meeting_date:
        notice += 1
    return [Violation(
        "plan.filed_late",
        bi(f"the plan (年度评审方案) was filed on {plan_filed_on}, {notice} working days before "
           f"the meeting on {meeting_date}; {lead_workdays} are required (X§7), so the meeting "
           f"can be held on {earliest} at the earliest",
           f"年度评审方案于{plan_filed_on}报备，距会议（{meeting_date}）仅{notice}个工作日；"
           f"须至少提前{lead_workdays}个工作日报备，会议最早可于{earliest}召开"),
        ref="X§7",
    )]


def check_meeting(
    *,
    filed_on: dt.date,
    plan_filed_on: dt.date,
    meeting_date: dt.date,
    calendar: WorkdayCalendar,
    valid_until: dt.date | None = None,
) -> list[Violation]:
    """Every reason the meeting may not open (empty: admissible)."""
    return [
        *check_filing(filed_on, meeting_date, valid_until=valid_until),
        *check_plan_filed(plan_filed_on, meeting_date, calendar),
    ]


def check_pool(
    members: Sequence[PoolMember],
    *,
    level: str,
    on: dt.date | None = None,
    senior_intermediate_approved: bool = False,
) -> list[Violation]:
    """Every breach of the pool rules; ``level`` is ``senior`` / ``intermediate`` / ``junior``.

    ``on`` (the meeting or draw date) also refuses members whose term has not begun
    or has ended. A 中级 member counts as an approved 资深中级 when ``member.approved``
    (the approval is recorded per expert), or when ``senior_intermediate_approved`` says
    the whole pool's were approved. The size, title and 资深中级 rules apply to intermediate committees
    only: a senior committee's pool follows the province's rules, a junior one the
    county's (X§4).
    """
    out = [v for m in members for v in _term_violations(m, on)]
    if level != "intermediate":
        return out
    if len(members) < INTERMEDIATE_POOL_MINIMUM:
        out.append(Violation(
            "pool.minimum",
            bi(f"the pool holds {len(members)} experts; an intermediate committee needs at "
               f"least {INTERMEDIATE_POOL_MINIMUM} (X§4, X§6)",
               f"评审专家库现有{len(members)}人，中级评委会的专家库不得少于{INTERMEDIATE_POOL_MINIMUM}人"),
            ref="X§4, X§6",
        ))
    senior_intermediate: list[PoolMember] = []
    for m in members:
        if m.title == "中级":
            senior_intermediate.append(m)
        elif m.title == "副高" and m.title_years < ASSOCIATE_SENIOR_MIN_YEARS:
            out.append(Violation(
                "pool.title",
                bi(f"{m.label}: 副高 for {m.title_years} years; a pool expert holds 正高, or 副高 "
                   f"for at least {ASSOCIATE_SENIOR_MIN_YEARS} years (X§6)",
                   f"{m.label}：任副高{m.title_years}年；入库专家须为正高，或任副高"
                   f"{ASSOCIATE_SENIOR_MIN_YEARS}年以上"),
                ref="X§6",
            ))
        elif m.title not in ("正高", "副高"):
            out.append(Violation(
                "pool.title",
                bi(f"{m.label}: title {m.title!r}; a pool expert holds 正高, or 副高 for at least "
                   f"{ASSOCIATE_SENIOR_MIN_YEARS} years, or is an approved 资深中级 (X§6)",
                   f"{m.label}：职称为“{m.title}”；入库专家须为正高、任副高{ASSOCIATE_SENIOR_MIN_YEARS}年以上，"
                   "或经同意的资深中级"),
                ref="X§6",
            ))
    out.extend(_senior_intermediate_violations(senior_intermediate, len(members),
                                               senior_intermediate_approved))
    return out


def senior_intermediate_allowed(total: int) -> int:
    """How many 资深中级 experts a pool of ``total`` experts may hold: 1/4 of it, rounded down (X§6)."""
    num, den = SENIOR_INTERMEDIATE_MAX_SHARE
    return total * num // den


def _senior_intermediate_violations(
    found: list[PoolMember], total: int, approved: bool
) -> list[Violation]:
    out: list[Violation] = []
    if not found:
        return out
    names = ", ".join(m.label for m in found)
    names_zh = "、".join(m.label for m in found)
    waiting = [m for m in found if not (approved or m.approved)]
    if waiting:
        listed = ", ".join(m.label for m in waiting)
        out.append(Violation("pool.senior_intermediate", bi(
            f"{len(waiting)} 中级 experts in the pool ({listed}) are 资深中级 and need the HR "
            "department's approval (人力资源和社会保障部门同意, X§6): record it on the pool tab, "
            "or remove them from the pool",
            f"专家库中{len(waiting)}名中级职称专家（{'、'.join(m.label for m in waiting)}）属资深中级，"
            "须经人力资源和社会保障部门同意：请在专家库页登记批准文件，或将其移出专家库"), ref="X§6"))
    num, den = SENIOR_INTERMEDIATE_MAX_SHARE
    allowed = senior_intermediate_allowed(total)
    if len(found) > allowed:
        out.append(Violation(
            "pool.senior_intermediate",
            bi(f"{len(found)} of {total} pool experts are 资深中级 ({names}); at most "
               f"{allowed} ({num}/{den} of the pool, X§6)",
               f"专家库{total}人中有资深中级{len(found)}人（{names_zh}）；"
               f"不得超过专家库总数的{num}/{den}，即{allowed}人"),
            ref="X§6",
        ))
    return out


def _term_violations(m: PoolMember, on: dt.date | None) -> list[Violation]:
    if m.term_start is None:
        return []
    longest = add_years(m.term_start, EXPERT_TERM_YEARS)
    end = m.term_end or longest
    if end < m.term_start:
        return [Violation("pool.term", bi(f"{m.label}: the term ends on {end}, before it "
                                          f"begins on {m.term_start}",
                                          f"{m.label}：任期结束日（{end}）早于开始日（{m.term_start}）"))]
    if end > longest:
        return [Violation("pool.term", bi(f"{m.label}: the term {m.term_start} – {end} is longer "
                                          f"than {EXPERT_TERM_YEARS} years (ends by {longest}, X§6)",
                                          f"{m.label}：任期{m.term_start}至{end}超过{EXPERT_TERM_YEARS}年"
                                          f"（最迟应于{longest}结束）"),
                          ref="X§6")]
    if on is not None and not m.term_start <= on <= end:
        return [Violation("pool.term", bi(f"{m.label}: on {on} the term {m.term_start} – {end} "
                                          "is not running; the expert must be re-appointed",
                                          f"{m.label}：任期为{m.term_start}至{end}，{on}不在任期内，须重新聘任"),
                          ref="X§6")]
    return []
