"""Review fees and expert honoraria (评审费、专家劳务费), X§19 — Hunan figures as defaults.

Every figure is a setting of the plan (年度评审方案) because X§19 quotes Hunan's
price list and Hunan's rules for expert pay; another province files other numbers.
:data:`HUNAN` holds the defaults:

* Review fee per candidate (职称评审费): senior (正高, 副高) 400 yuan, of which the
  recommendation fee (推荐费) 30; intermediate 215 (15); junior 115 (10). Interview
  fee (面试费) 200 per interviewed candidate. The recommendation part goes to the HR
  department with jurisdiction; the rest and the interview fees stay with the
  organiser (承办单位), ring-fenced for the review (专款专用) — hence the split in
  :class:`ReviewFees`.
* Honorarium per expert per day after tax (劳务费, 税后): nationally known experts
  (全国知名专家: 院士, 学部委员, 享受国务院特殊津贴人员 …) 2000–4000; 正高 1200–2000;
  副高 800–1200; others 500–800. The seed writes ``2000元<￥<4000元``; neighbouring
  bands share their edges (1200 tops 副高 and starts 正高), so a strict reading would
  forbid paying a 正高 expert 1200 — the product reads every band *inclusively*.
  A day of at most half a day (不超过半天, at most 4 hours by default) pays 50% of
  both edges; a day of more than 8 hours may go up to 50% above the top edge
  (最高上浮50%), the bottom edge unchanged.

Money is :class:`~decimal.Decimal` in yuan with at most two decimals (分); floats are
refused because they cannot hold 0.1 yuan exactly. Refusals are
:class:`~app.errors.RuleViolation` with engine rule ids ``fees.band``,
``fees.amount``, ``fees.hours``, ``fees.category``, ``fees.level``, ``fees.count``,
``fees.settings``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from types import MappingProxyType

from app.errors import RuleViolation, Violation
from app.text import bi, in_chinese

FEN = Decimal("0.01")


class ExpertCategory(StrEnum):
    """The honorarium band an expert is paid in."""

    NATIONAL = "national"  # 全国知名专家
    FULL_SENIOR = "正高"
    ASSOCIATE_SENIOR = "副高"
    OTHER = "other"  # 其他专业人员


_CATEGORY_ZH: Mapping[ExpertCategory, str] = MappingProxyType({
    ExpertCategory.NATIONAL: "全国知名专家", ExpertCategory.FULL_SENIOR: "正高级专家",
    ExpertCategory.ASSOCIATE_SENIOR: "副高级专家", ExpertCategory.OTHER: "其他专业人员",
})

#: The categories by the short Chinese names the pool template, the window and the papers use —
#: how ``pool_expert.category`` stores them.
CATEGORY_NAMES: Mapping[str, ExpertCategory] = MappingProxyType({
    "全国知名专家": ExpertCategory.NATIONAL, "正高": ExpertCategory.FULL_SENIOR,
    "副高": ExpertCategory.ASSOCIATE_SENIOR, "其他": ExpertCategory.OTHER,
})


def category_name(value: str | None) -> str | None:
    """The short Chinese name (:data:`CATEGORY_NAMES`) of a category given by that name, by its
    long name (正高级专家) or by its :class:`ExpertCategory` value; None for anything else."""
    if value is None:
        return None
    text = "".join(value.split())
    if text in CATEGORY_NAMES:
        return text
    for category, long_name in _CATEGORY_ZH.items():
        if text in (category.value, long_name):
            return next(name for name, c in CATEGORY_NAMES.items() if c is category)
    return None


#: Candidate level (参评级别) -> fee level of the price list.
FEE_LEVELS: Mapping[str, str] = MappingProxyType(
    {"正高": "senior", "副高": "senior", "中级": "intermediate", "初级": "junior"}
)


def money(value: Decimal | int | str, what: str = bi("amount", "金额")) -> Decimal:
    """A sum of money in yuan: finite, not negative, whole 分. Floats are a TypeError.

    ``what`` names the sum in messages; give it as ``bi(english, chinese)``.
    """
    if isinstance(value, float | bool):
        raise TypeError(f"{what}: money is Decimal, int or str, not {type(value).__name__}")
    try:
        d = Decimal(value)
    except (InvalidOperation, ValueError, TypeError):
        raise RuleViolation.single(
            "fees.amount", bi(f"{what}: {value!r} is not a sum of money",
                              f"{in_chinese(what)}：“{value}”不是有效金额")) from None
    if not d.is_finite() or d < 0 or not _whole_fen(d):
        raise RuleViolation.single(
            "fees.amount", bi(f"{what}: {value!r} must be 0 or more, in whole 分 (0.01 yuan)",
                              f"{in_chinese(what)}：“{value}”须为不小于0、精确到分的金额"))
    return d


def _whole_fen(d: Decimal) -> bool:
    try:
        return d == d.quantize(FEN, rounding="ROUND_DOWN")
    except InvalidOperation:  # more digits than the context holds: no sum anyone pays
        return False


@dataclass(frozen=True, slots=True)
class Band:
    """An inclusive range of daily pay."""

    low: Decimal
    high: Decimal

    def __contains__(self, amount: object) -> bool:
        return isinstance(amount, Decimal | int) and self.low <= amount <= self.high

    def __str__(self) -> str:
        return f"{self.low}–{self.high}"


def _bands() -> Mapping[ExpertCategory, Band]:
    def b(lo: str, hi: str) -> Band:
        return Band(Decimal(lo), Decimal(hi))

    return MappingProxyType({
        ExpertCategory.NATIONAL: b("2000", "4000"),
        ExpertCategory.FULL_SENIOR: b("1200", "2000"),
        ExpertCategory.ASSOCIATE_SENIOR: b("800", "1200"),
        ExpertCategory.OTHER: b("500", "800"),
    })


def _per_level(senior: str, intermediate: str, junior: str) -> Mapping[str, Decimal]:
    return MappingProxyType({"senior": Decimal(senior), "intermediate": Decimal(intermediate),
                             "junior": Decimal(junior)})


@dataclass(frozen=True)
class FeeSettings:
    """The plan's fee figures; the defaults are Hunan's (X§19). Checked on creation."""

    review_fee: Mapping[str, Decimal] = field(
        default_factory=lambda: _per_level("400", "215", "115"))
    recommendation_fee: Mapping[str, Decimal] = field(
        default_factory=lambda: _per_level("30", "15", "10"))
    interview_fee: Decimal = Decimal("200")
    bands: Mapping[ExpertCategory, Band] = field(default_factory=_bands)
    half_day_hours: Decimal = Decimal("4")  # 不超过半天
    half_day_rate: Decimal = Decimal("0.5")  # 按标准的50%执行
    long_day_hours: Decimal = Decimal("8")  # 1天内评审时长超过8小时
    long_day_max_uplift: Decimal = Decimal("0.5")  # 最高上浮50%

    def __post_init__(self) -> None:
        problems: list[str] = []
        for level, level_zh in (("senior", "高级"), ("intermediate", "中级"), ("junior", "初级")):
            fee, rec = self.review_fee.get(level), self.recommendation_fee.get(level)
            if fee is None or rec is None:
                problems.append(bi(f"no review or recommendation fee for {level}", f"未设定{level_zh}评审费或推荐费"))
            elif not Decimal(0) <= rec <= fee:
                problems.append(bi(f"{level}: recommendation fee {rec} must lie within 0–{fee}",
                                   f"{level_zh}：推荐费{rec}须在0至{fee}之间"))
        if self.interview_fee < 0:
            problems.append(bi(f"interview fee {self.interview_fee} is negative", f"面试费{self.interview_fee}为负数"))
        for cat in ExpertCategory:
            band = self.bands.get(cat)
            if band is None or not Decimal(0) <= band.low <= band.high:
                problems.append(bi(f"honorarium band for {cat.value}: {band} is not a range",
                                   f"{_CATEGORY_ZH[cat]}劳务费标准{band}不是有效区间"))
        if not Decimal(0) < self.half_day_hours <= self.long_day_hours <= Decimal(24):
            problems.append(bi("hours: need 0 < half day <= long day <= 24",
                               "评审时长设置须满足：0 < 半天时长 ≤ 全天时长 ≤ 24小时"))
        if not Decimal(0) < self.half_day_rate <= Decimal(1) or self.long_day_max_uplift < 0:
            problems.append(bi("half-day rate must lie in (0, 1] and the uplift must not be negative",
                               "半天计酬比例须大于0且不超过1，上浮比例不能为负数"))
        if problems:
            raise RuleViolation([Violation("fees.settings", p) for p in problems])


HUNAN = FeeSettings()


@dataclass(frozen=True, slots=True)
class ReviewFees:
    """What the candidates of one meeting pay, and who receives it."""

    candidates: Mapping[str, int]  # fee level -> number of candidates
    review: Decimal  # 评审费, recommendation fees included
    recommendation: Decimal  # 推荐费: to the HR department
    interview: Decimal  # 面试费

    @property
    def organiser(self) -> Decimal:
        """Kept by the organiser (承办单位): review minus recommendation, plus interviews."""
        return self.review - self.recommendation + self.interview

    @property
    def total(self) -> Decimal:
        return self.review + self.interview


def fee_level(candidate_level: str) -> str:
    """``senior`` / ``intermediate`` / ``junior`` for 正高 / 副高 / 中级 / 初级."""
    try:
        return FEE_LEVELS[candidate_level]
    except KeyError:
        raise RuleViolation.single(
            "fees.level",
            bi(f"candidate level {candidate_level!r} is not one of 正高, 副高, 中级, 初级",
               f"申报级别“{candidate_level}”不是正高、副高、中级、初级之一"),
        ) from None


def review_fees(
    candidate_levels: Iterable[str], *, interviews: int = 0, settings: FeeSettings = HUNAN
) -> ReviewFees:
    """Fees for candidates of these levels (one entry per candidate) and ``interviews``."""
    counts = dict.fromkeys(("senior", "intermediate", "junior"), 0)
    for level in candidate_levels:
        counts[fee_level(level)] += 1
    entered = sum(counts.values())
    if not 0 <= interviews <= entered:
        raise RuleViolation.single(
            "fees.count",
            bi(f"{interviews} interviews for {entered} candidates; must lie within 0–{entered}",
               f"申报人{entered}人，面试{interviews}人；面试人数须在0至{entered}之间"),
        )
    rec = settings.recommendation_fee
    return ReviewFees(
        candidates=MappingProxyType(counts),
        review=sum((settings.review_fee[k] * n for k, n in counts.items()), Decimal(0)),
        recommendation=sum((rec[k] * n for k, n in counts.items()), Decimal(0)),
        interview=settings.interview_fee * interviews,
    )


def honorarium_band(
    category: ExpertCategory, hours: Decimal | int | str, settings: FeeSettings = HUNAN
) -> Band:
    """The allowed daily pay for ``hours`` of review in one day (half day 50%, > 8 hours +50%)."""
    h = _hours(hours)
    base = settings.bands[_category(category)]
    if h <= settings.half_day_hours:
        return Band(base.low * settings.half_day_rate, base.high * settings.half_day_rate)
    if h > settings.long_day_hours:
        return Band(base.low, base.high * (1 + settings.long_day_max_uplift))
    return base


@dataclass(frozen=True, slots=True)
class ExpertDay:
    """One expert's pay for one day of review."""

    expert_id: str
    category: ExpertCategory
    hours: Decimal
    amount: Decimal


def check_honorarium(day: ExpertDay, settings: FeeSettings = HUNAN) -> list[Violation]:
    """``fees.band`` (or ``fees.amount`` / ``fees.hours``) for a day's pay that is not allowed."""
    try:
        amount = money(day.amount, bi(f"{day.expert_id}: honorarium", f"{day.expert_id}：劳务费"))
        band = honorarium_band(day.category, day.hours, settings)
    except RuleViolation as exc:
        return exc.violations
    if amount in band:
        return []
    return [Violation(
        "fees.band",
        bi(f"{day.expert_id}: honorarium {amount} for {day.hours} hours is outside the "
           f"{_category(day.category).value} band {band} yuan per day after tax (X§19)",
           f"{day.expert_id}：评审{day.hours}小时的劳务费{amount}元，超出{_CATEGORY_ZH[_category(day.category)]}"
           f"每天{band}元（税后）的标准"),
        ref="X§19",
    )]


def honoraria_total(days: Iterable[ExpertDay], settings: FeeSettings = HUNAN) -> Decimal:
    """The sum of every day's pay; raises :class:`RuleViolation` listing every day refused."""
    total, problems = Decimal(0), []
    for day in days:
        found = check_honorarium(day, settings)
        problems.extend(found)
        if not found:
            total += Decimal(day.amount)
    if problems:
        raise RuleViolation(problems)
    return total


def _category(value: str) -> ExpertCategory:
    try:
        return ExpertCategory(value)
    except ValueError:
        allowed = ", ".join(c.value for c in ExpertCategory)
        raise RuleViolation.single(
            "fees.category", bi(f"expert category {value!r} is not one of {allowed}",
                                f"专家类别“{value}”不是{'、'.join(_CATEGORY_ZH.values())}之一")) from None


def _hours(value: Decimal | int | str) -> Decimal:
    if isinstance(value, float | bool):
        raise TypeError(f"hours are Decimal, int or str, not {type(value).__name__}")
    try:
        h: Decimal | None = Decimal(value)
    except (InvalidOperation, ValueError, TypeError):
        h = None
    if h is None or not h.is_finite() or not Decimal(0) < h <= Decimal(24):
        raise RuleViolation.single("fees.hours", bi(f"{value!r} hours: a day's review lasts more than "
                                                    "0 and at most 24 hours",
                                                    f"评审时长“{value}”小时：每天评审时长须大于0且不超过24小时"))
    return h
