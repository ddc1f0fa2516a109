"""The read model the documents are made from (会议文书数据).

Why a separate read model: a document must show exactly what the meeting decided, so
it never recomputes a rule. Thresholds, caps, quotas, outcomes, runoff places, dates
and fees arrive here already computed by ``app.rules`` and stored by the services; the
lead fills a :class:`MeetingReport` from the database and every document function
takes it alone. All classes are frozen dataclasses of plain values (str, int,
Decimal, date, enums, tuples), so a report is hashable into canonical content
(``app.documents.qr``) and trivially built in tests (``app.documents.sample``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from functools import cached_property

from app.errors import RuleViolation, Violation
from app.text import Bilingual, bi


class Role(StrEnum):
    """A person's part in the meeting."""

    CHAIR = "chair"  # 主任委员
    VICE_CHAIR = "vice_chair"  # 副主任委员
    EXPERT = "expert"  # 评审专家（评委）
    SUPERVISOR = "supervisor"  # 纪检监察
    SECRETARY = "secretary"  # 办事机构工作人员（记录人）


#: What a paper prints for a fact that was not captured (the rule of the house: never guessed).
NOT_GIVEN = "（未填写）"

ROLE_NAMES = {Role.CHAIR: "主任委员", Role.VICE_CHAIR: "副主任委员", Role.EXPERT: "评委",
              Role.SUPERVISOR: "纪检监察人员", Role.SECRETARY: "工作人员"}


class Recommendation(StrEnum):
    """Group recommendation (小组推荐意见), X§10(五)."""

    RECOMMEND = "一致同意推荐"
    NOT_RECOMMEND = "不同意推荐"
    TO_PLENARY = "提交大会审议"


class Outcome(StrEnum):
    PASSED = "passed"
    FAILED = "failed"
    RUNOFF_PENDING = "runoff_pending"


OUTCOME_NAMES = {Outcome.PASSED: "通过", Outcome.FAILED: "未通过",
                 Outcome.RUNOFF_PENDING: "待再次投票"}


class FailReason(StrEnum):
    """Why a candidate did not pass (the reason the minutes must give, X§10(九))."""

    BELOW_THRESHOLD = "below_threshold"
    INELIGIBLE = "ineligible"
    PASS_RATE_CAP = "pass_rate_cap"
    QUOTA = "quota"


FAIL_REASON_NAMES = {
    FailReason.BELOW_THRESHOLD: "赞成票未达到出席表决评委数的三分之二",
    FailReason.INELIGIBLE: "资格复审不合格",
    FailReason.PASS_RATE_CAP: "超出核定的评审通过率",
    FailReason.QUOTA: "超出核准的评审职数",
}


class RoundKind(StrEnum):
    FIRST = "first"  # 表决
    RUNOFF = "runoff"  # 再次投票


@dataclass(frozen=True, slots=True)
class Committee:
    """The review committee (职称评审委员会)."""

    name: str  # 湘西自治州卫生系列高级职称评审委员会
    level: str  # senior | intermediate | junior
    organized_by: str  # series | specialty
    organizer: str  # 组建单位 ("" when not recorded: the papers leave a blank)
    filing_no: str  # 核准备案文号
    filing_valid_until: dt.date | None = None
    office: str = ""  # 办事机构: publishes the result and files it (X§10(十), X§11); "" not recorded


@dataclass(frozen=True, slots=True)
class MeetingDay:
    """A day the meeting sat and its hours (``"HH:MM"``), as recorded."""

    day: dt.date
    starts: str
    ends: str
    hours: Decimal


@dataclass(frozen=True, slots=True)
class PassRateCap:
    """One level's pass-rate cap as applied at the vote (X§10(七))."""

    level: str  # 正高 | 副高 | 中级 | 初级
    rate: Decimal | None  # 0.4; None: no cap (初级)
    entered: int  # candidates of the level who entered the review, ineligible included
    max_pass: int | None
    passed: int


@dataclass(frozen=True, slots=True)
class Quota:
    """Passes allowed for one unit and post (评审职数)."""

    key: str  # 某医院/主任医师
    quota: int
    passed: int
    unit: str = ""  # the unit the places belong to ("" not given in the plan)
    post: str = ""  # the post (申报资格) they are for ("" not given)


@dataclass(frozen=True, slots=True)
class Meeting:
    """The annual review meeting (年度综合评审会议) as planned and held."""

    id: str  # stable id used in document ids, e.g. "2026-WSGJ"; no whitespace
    title: str  # 2026年度卫生系列高级职称评审会议
    year: int
    start_date: dt.date
    end_date: dt.date
    place: str
    vote_date: dt.date
    plan_filing_no: str  # 年度评审方案备案文号
    panel_size: int  # 评审专家人数 (chair and vice-chair not counted)
    reduced_panel_approved: bool = False
    caps: tuple[PassRateCap, ...] = ()
    quotas: tuple[Quota, ...] = ()
    draw_date: dt.date | None = None  # 评委抽取日期 (local), from the recorded time; None: not recorded
    draw_note: str = ""  # seed, witness and alternates, as the draw record says
    days: tuple[MeetingDay, ...] = ()  # the days and hours recorded; () not recorded (one day, hours unknown)
    draw_time: dt.datetime | None = None  # when the draw ran, local time (北京时间); None: not recorded
    vote_presider: str = ""  # 主持表决: name and role as recorded at step 7; "": not recorded
    commitment_reader: str = ""  # 宣读承诺书的评委代表, by name; "": not recorded
    quorum: str = ""  # the plan's quorum as a share of the panel ("2/3"); "" not recorded
    quorum_needed: int | None = None  # voters present for a round to open
    earlier_draws: tuple[EarlierDraw, ...] = ()  # draws replaced by a re-draw, with the reason
    withdrawn: tuple[Withdrawal, ...] = ()  # candidates withdrawn from the agenda before step 1
    draw_witness: str = ""  # 抽取见证人 (the supervisor present at the draw), as the draw recorded; "" none
    pool: PoolUse | None = None  # the pool and the draw in figures; None: no draw recorded
    recusals: tuple[Recusal, ...] = ()  # conflicts (回避) the experts declared, with their reasons
    record_head: RecordHead | None = None  # the audit trail's event where the record closed


@dataclass(frozen=True, slots=True)
class PoolUse:
    """How the expert pool was used (评委库使用及评委抽取情况, X§11(二)), in figures the work summary
    states in words: the pool's size, who the rules kept out and why, how many were drawn, how many
    alternates were drawn and how many of them took a seat."""

    size: int
    needs: tuple[tuple[str, int], ...]  # (specialty, experts drawn for it)
    excluded: tuple[tuple[str, int], ...]  # (reason in words, experts) — 回避, 连续两年, 失信黑名单
    drawn: int
    alternates: int
    alternates_seated: int


@dataclass(frozen=True, slots=True)
class Recusal:
    """A conflict (回避) an expert declared with a candidate, and the reason given."""

    expert: str
    candidate_id: str
    candidate: str
    reason: str


@dataclass(frozen=True, slots=True)
class RecordHead:
    """The audit trail's event where the meeting's record closed (step 8 finished), or its newest
    event before that: its number and SHA-256 hash, for ``conclave verify-db``."""

    seq: int
    hash: str
    closed: bool


@dataclass(frozen=True, slots=True)
class EarlierDraw:
    """A draw replaced by a re-draw (重新抽取), as the minutes record it."""

    number: int
    seed: str
    witness: str
    replaced_by: str
    reason: str


@dataclass(frozen=True, slots=True)
class Withdrawal:
    """A candidate withdrawn from the agenda (撤回申报) before the meeting, and why."""

    id: str
    name: str
    unit: str
    level: str
    withdrawn_by: str
    reason: str


@dataclass(frozen=True, slots=True)
class Expert:
    """A person at the meeting: panel expert, chair, vice-chair, supervisor or secretary."""

    id: str
    name: str
    unit: str
    title: str  # 职称, e.g. 主任医师
    role: Role = Role.EXPERT
    group_id: str | None = None
    specialty: str = ""
    present: bool = True  # attended the meeting
    present_at_vote: bool = True
    absence_note: str = ""  # 缺席或中途离会原因
    signed_commitment: bool = True


@dataclass(frozen=True, slots=True)
class Group:
    """A discipline group (评议组)."""

    id: str
    name: str
    leader_id: str | None  # 组长, as the chair chose; None: not chosen (the papers say so, never guess)
    member_ids: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ScoreItem:
    """One rubric item of the quantitative score (量化评分)."""

    name: str
    max_points: Decimal
    points: Decimal


@dataclass(frozen=True, slots=True)
class InterviewQuestion:
    """An interview question with its setter (出题人) and reviewer (审核人), by name."""

    number: int
    question: str
    setter_id: str
    reviewer_id: str


@dataclass(frozen=True, slots=True)
class Candidate:
    """A candidate (参评人员) and everything the meeting recorded about them."""

    id: str
    name: str
    unit: str
    level: str  # 正高 | 副高 | 中级 | 初级
    title_applied: str  # 申报资格, e.g. 主任医师
    specialty: str = ""
    group_id: str | None = None
    eligible: bool = True
    eligibility_note: str = ""  # why not eligible
    primary_reviewer_id: str | None = None
    scores: tuple[ScoreItem, ...] = ()
    interview: tuple[InterviewQuestion, ...] = ()
    interview_result: str = ""  # 面试情况
    recommendation: Recommendation | None = None
    recommendation_note: str = ""  # the group's reason for its opinion (评议意见的理由)
    plenary_conclusion: str = ""  # 大会审议结论
    outcome: Outcome = Outcome.FAILED
    fail_reason: FailReason | None = None
    fail_note: str = ""  # the failure reason in words, beyond the standard phrase
    quota_key: str | None = None
    # the facts the eligibility re-check looked at, as captured with the roster ("" / None: not captured)
    education: str = ""  # 学历
    current_title: str = ""  # 现职称
    current_title_date: dt.date | None = None  # 现职称取得时间
    years_in_post: int | None = None  # 任职年限
    exceptional: bool | None = None  # 破格申报

    @property
    def score_total(self) -> Decimal | None:
        return sum((s.points for s in self.scores), Decimal(0)) if self.scores else None

    @property
    def title_text(self) -> str:
        """The title applied for as a table prints it: :data:`NOT_GIVEN` when it was not captured
        (never the specialty in its place)."""
        return self.title_applied or NOT_GIVEN

    @property
    def facts_text(self) -> str:
        """The eligibility facts in one line, each missing one said to be missing:
        ``学历：大学本科；现职称：护师（2021年9月1日取得）；任职年限：5年；破格申报：否``."""
        held = self.current_title or NOT_GIVEN
        if self.current_title_date is not None:
            d = self.current_title_date
            held += f"（{d.year}年{d.month}月{d.day}日取得）"
        years = f"{self.years_in_post}年" if self.years_in_post is not None else NOT_GIVEN
        exceptional = NOT_GIVEN if self.exceptional is None else ("是" if self.exceptional else "否")
        return (f"学历：{self.education or NOT_GIVEN}；现职称：{held}；任职年限：{years}；"
                f"破格申报：{exceptional}")


@dataclass(frozen=True, slots=True)
class Tally:
    """One candidate's count in one round, and what the round decided for them."""

    candidate_id: str
    yes: int
    no: int
    abstain: int
    result: Outcome
    reason: FailReason | None = None


@dataclass(frozen=True, slots=True)
class BallotRound:
    """A ballot round (表决 or 再次投票); every round is kept, nothing overwritten."""

    number: int  # 1, 2, ...
    kind: RoundKind
    date: dt.date
    candidate_ids: tuple[str, ...]  # order on the ballot
    voters: int  # n: experts present at the vote
    threshold: int  # ceil(2n/3) yes votes
    ballots_issued: int
    ballots_returned: int
    tallies: tuple[Tally, ...] = ()  # empty before the count
    places: int | None = None  # runoff: places to fill among its candidates
    batch_code: str = ""  # printed on every ballot of the round, identifies no voter
    notes: tuple[str, ...] = ()  # caps and quotas applied, ties sent to a runoff
    closed_at: RecordHead | None = None  # the audit event that closed the round (its count, its box digest)


@dataclass(frozen=True)
class VoidedRound:
    """A round voided before it was counted (its box discarded unopened) and held again under its
    number: the minutes say so, with who decided it and why."""

    number: int
    kind: RoundKind
    voters: int                  # experts present at the vote
    voted: int                   # who had voted when it was voided
    discarded: int               # ballots in its box, never opened
    decided_by: str              # 主任委员 王某 / 副主任委员 李某
    reason: str


@dataclass(frozen=True, slots=True)
class Publicity:
    """Result publicity (结果公示), X§10(十)."""

    start_by: dt.date
    start: dt.date
    end: dt.date
    working_days: int = 5
    where: str = ""  # 公示网站或地点
    contact: str = ""  # 受理异议的单位 (or person); "" not recorded
    phone: str = ""  # 受理异议的电话; "" not recorded
    objections: str | None = None  # None: not yet known; "" or text after the period


@dataclass(frozen=True, slots=True)
class Filing:
    """Filing with the HR department (评审结果备案), X§11."""

    due: dt.date
    addressee: str  # 主送机关 (the HR department, by name); "" not recorded
    issuer: str  # 发文机关 and 落款: the committee's 办事机构 (X§11); "" not recorded
    date: dt.date | None = None  # 成文日期 as recorded at step 10; None: a line to fill by hand
    number: str = ""  # 发文字号, e.g. 州卫职改〔2026〕21号; "" not recorded
    report_text: str | None = None  # None: the standard text is composed from the data
    work_summary: str | None = None  # None: a draft is composed from the data


@dataclass(frozen=True, slots=True)
class SummaryTexts:
    """The work summary's texts people write (X§11(二)); "" prints as a section to fill in."""

    experience: str = ""  # 典型经验
    improvements: str = ""  # 改进方向
    suggestions: str = ""  # 意见建议


@dataclass(frozen=True, slots=True)
class CalendarGap:
    """Dates the working-day calendar cannot give yet, because nobody entered ``year``.

    ``publicity`` (None when the publicity period is known) and ``filing`` are the refusals,
    naming the year and where to enter it: a paper that prints those dates is not made,
    every other paper is (a document needs only the dates it prints).
    """

    year: int
    filing: str
    publicity: str | None = None


@dataclass(frozen=True, slots=True)
class HonorariumLine:
    """One expert's honorarium (评审专家劳务费, after tax), computed by the fee rules."""

    expert_id: str
    category: str  # 全国知名专家 | 正高 | 副高 | 其他 | NOT_GIVEN (the pool does not say)
    days: Decimal
    rate: Decimal | None  # yuan per day; None: the category is not given, so no band applies
    amount: Decimal | None
    note: str = ""


@dataclass(frozen=True, slots=True)
class FeeLine:
    """Review fees collected for one level (评审费), X§19."""

    level: str
    candidates: int  # reviewed: each pays the review fee
    review_fee: Decimal  # per candidate
    interview_fee: Decimal  # per candidate interviewed
    total: Decimal  # candidates × review_fee + interviewed × interview_fee
    interviewed: int = 0  # candidates interviewed (an ineligible one is not)
    recommendation_fee: Decimal = Decimal(0)  # 推荐费, per candidate, part of the review fee (to the HR department)

    @property
    def review_total(self) -> Decimal:
        return self.review_fee * self.candidates

    @property
    def interview_total(self) -> Decimal:
        return self.interview_fee * self.interviewed

    @property
    def recommendation_total(self) -> Decimal:
        return self.recommendation_fee * self.candidates


@dataclass(frozen=True)
class MeetingReport:
    """Everything the documents show about one meeting. Build it once; it never changes."""

    committee: Committee
    meeting: Meeting
    experts: tuple[Expert, ...]
    candidates: tuple[Candidate, ...]
    groups: tuple[Group, ...] = ()
    rounds: tuple[BallotRound, ...] = ()
    publicity: Publicity | None = None
    filing: Filing | None = None
    honoraria: tuple[HonorariumLine, ...] = ()
    fees: tuple[FeeLine, ...] = ()
    calendar_gap: CalendarGap | None = None  # a year of the calendar missing: the dates it holds back
    summary_texts: SummaryTexts = SummaryTexts()  # the work summary's 典型经验, 改进方向, 意见建议
    # SHA-256 of the committee root the meeting recorded (``AB:CD:…``), printed on the minutes, the result
    # sheets and the filing report as the anchor a verifier trusts; "" before the key exists (a blank line)
    root_fingerprint: str = ""
    voided_rounds: tuple[VoidedRound, ...] = ()   # rounds voided unopened and held again (the minutes say so)

    @cached_property
    def experts_by_id(self) -> dict[str, Expert]:
        return {e.id: e for e in self.experts}

    @cached_property
    def candidates_by_id(self) -> dict[str, Candidate]:
        return {c.id: c for c in self.candidates}

    def expert_name(self, expert_id: str | None) -> str:
        if expert_id is None:
            return "—"
        e = self.experts_by_id.get(expert_id)
        return e.name if e else expert_id

    def with_role(self, *roles: Role) -> list[Expert]:
        return [e for e in self.experts if e.role in roles]

    @property
    def panel(self) -> list[Expert]:
        """The review experts (chair, vice-chair, supervisor, secretary excluded)."""
        return self.with_role(Role.EXPERT)

    @property
    def chair(self) -> Expert | None:
        return next(iter(self.with_role(Role.CHAIR)), None)

    def group_name(self, group_id: str | None) -> str:
        g = next((g for g in self.groups if g.id == group_id), None)
        return g.name if g else (group_id or "—")

    def check(self) -> None:
        """Refuse a report whose parts do not fit together (``documents.model``).

        Documents print ids as names; a dangling id or a count that does not add up
        would print a wrong record, so it is refused with every problem listed. The
        report never changes, so it is looked at once (:attr:`_problems`): each of a
        provincial meeting's 1,500 result sheets in a file of its own checks the same
        report, 14 ms a time.
        """
        if self._problems:
            raise RuleViolation([Violation("documents.model", m) for m in self._problems])

    @cached_property
    def _problems(self) -> tuple[Bilingual, ...]:
        bad: list[Bilingual] = []
        ids = self.candidates_by_id
        for c in self.candidates:
            for ref in (c.primary_reviewer_id, *(q.setter_id for q in c.interview),
                        *(q.reviewer_id for q in c.interview)):
                if ref is not None and ref not in self.experts_by_id:
                    bad.append(bi(f"candidate {c.id}: unknown expert {ref}", f"申报人{c.id}：没有评委{ref}"))
        for g in self.groups:
            for ref in (*((g.leader_id,) if g.leader_id is not None else ()), *g.member_ids):
                if ref not in self.experts_by_id:
                    bad.append(bi(f"group {g.id}: unknown expert {ref}", f"评议组{g.id}：没有评委{ref}"))
        for h in self.honoraria:
            if h.expert_id not in self.experts_by_id:
                bad.append(bi(f"honorarium: unknown expert {h.expert_id}", f"劳务费：没有评委{h.expert_id}"))
        for r in self.rounds:
            for cid in r.candidate_ids:
                if cid not in ids:
                    bad.append(bi(f"round {r.number}: unknown candidate {cid}", f"第{r.number}轮：没有申报人{cid}"))
            on_ballot = set(r.candidate_ids)
            for t in r.tallies:
                if t.candidate_id not in on_ballot:
                    bad.append(bi(f"round {r.number}: tally for {t.candidate_id} not on the ballot",
                                  f"第{r.number}轮：申报人{t.candidate_id}不在选票上却有计票"))
                if t.yes + t.no + t.abstain != r.ballots_returned:
                    bad.append(bi(f"round {r.number}: {t.candidate_id} counts do not add up to "
                                  f"{r.ballots_returned} ballots",
                                  f"第{r.number}轮：申报人{t.candidate_id}的票数合计不等于收回选票{r.ballots_returned}张"))
            if r.ballots_returned > r.voters:
                bad.append(bi(f"round {r.number}: more ballots than voters", f"第{r.number}轮：选票多于投票人数"))
        return tuple(bad)
