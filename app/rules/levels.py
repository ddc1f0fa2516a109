"""The vocabulary of committees and title levels, X§3 and X§8.

Committees (职称评审委员会) are senior (高级评委会), intermediate (中级评委会) or
junior (初级评委会), and are organised by series (按系列组建) or by specialty
(按专业组建). A candidate applies for one of four title levels; each committee
level reviews its own candidate levels only: a senior committee reviews 正高 and
副高, an intermediate one 中级, a junior one 初级 (X§3 sets up one committee per
level). Record files and storage use exactly these strings.

The pass-rate caps (评审通过率) default to the figures of X§10(七); a plan
(年度评审方案) may change them when it is filed, never at the vote. 初级 has no
cap. Caps are kept as the decimal numbers people write (``0.55``); the exact
arithmetic lives in :func:`app.rules.allocation.max_pass`.

:func:`plan_caps` is the one reading of a plan's stored caps: the defaults with the
plan's overrides, as exact decimals. The meeting's allocation, the record file
(``pass_rate_caps``), ``conclave recount`` and the documents all take their caps
from it, so a plan that names no cap for a level gets the default everywhere.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from types import MappingProxyType
from typing import Final, Literal, TypeGuard

from app.text import Bilingual, bi

CommitteeLevel = Literal["senior", "intermediate", "junior"]
OrganizedBy = Literal["series", "specialty"]
CandidateLevel = Literal["正高", "副高", "中级", "初级"]
#: A pass-rate cap as a share of the candidates entered: 0.55, "0.55", Decimal("0.55"), Fraction(11, 20).
CapShare = float | int | str | Decimal | Fraction

COMMITTEE_LEVELS: Final[tuple[CommitteeLevel, ...]] = ("senior", "intermediate", "junior")
ORGANIZED_BY: Final[tuple[OrganizedBy, ...]] = ("series", "specialty")
#: Highest first; this is also the order of levels in results and documents.
CANDIDATE_LEVELS: Final[tuple[CandidateLevel, ...]] = ("正高", "副高", "中级", "初级")

#: Which candidate levels each committee level reviews.
REVIEWS: Final[Mapping[CommitteeLevel, tuple[CandidateLevel, ...]]] = MappingProxyType({
    "senior": ("正高", "副高"),
    "intermediate": ("中级",),
    "junior": ("初级",),
})

#: A plan's cap has at most this many significant digits, so that the record file's JSON
#: number (a double) states exactly the cap that was applied.
CAP_DIGITS: Final = 15

#: Default pass-rate caps (通过率上限), X§10(七): 正高 40%, 副高 55%, 中级 80%.
DEFAULT_CAPS: Final[Mapping[CandidateLevel, float]] = MappingProxyType({
    "正高": 0.4,
    "副高": 0.55,
    "中级": 0.8,
})

COMMITTEE_LEVEL_NAMES: Final[Mapping[CommitteeLevel, str]] = MappingProxyType({
    "senior": "高级评委会",
    "intermediate": "中级评委会",
    "junior": "初级评委会",
})
ORGANIZED_BY_NAMES: Final[Mapping[OrganizedBy, str]] = MappingProxyType({
    "series": "按系列组建",
    "specialty": "按专业组建",
})


def is_committee_level(value: object) -> TypeGuard[CommitteeLevel]:
    return isinstance(value, str) and value in COMMITTEE_LEVELS


def is_organized_by(value: object) -> TypeGuard[OrganizedBy]:
    return isinstance(value, str) and value in ORGANIZED_BY


def is_candidate_level(value: object) -> TypeGuard[CandidateLevel]:
    return isinstance(value, str) and value in CANDIDATE_LEVELS


def reviews(committee: CommitteeLevel, level: CandidateLevel) -> bool:
    """Whether a committee of this level may review a candidate of this level."""
    return level in REVIEWS[committee]


def committee_for(level: CandidateLevel) -> CommitteeLevel:
    """The committee level that reviews candidates of ``level``."""
    for committee, levels in REVIEWS.items():
        if level in levels:
            return committee
    raise ValueError(f"unknown candidate level {level!r}")


def caps_for(
    overrides: Mapping[CandidateLevel, CapShare] | Mapping[str, CapShare] | None = None,
) -> dict[CandidateLevel, CapShare]:
    """The plan's caps: the defaults with the plan's overrides applied, in level order.

    A level absent from the result has no cap (初级 by default); a plan may add a
    cap for 初级 by overriding it.
    """
    merged: dict[str, CapShare] = {str(level): cap for level, cap in DEFAULT_CAPS.items()}
    merged.update({str(level): cap for level, cap in (overrides or {}).items()})
    return {level: merged[level] for level in CANDIDATE_LEVELS if level in merged}


def plan_caps(
    overrides: Mapping[CandidateLevel, CapShare] | Mapping[str, CapShare] | None = None,
) -> dict[CandidateLevel, Decimal]:
    """The caps a plan applies, as exact decimals: :func:`caps_for` of its stored overrides.

    A plan that names no cap for a level gets the default of X§10(七) for it, never
    "no cap". Raises ``ValueError`` for a cap that is not a decimal share between 0 and 1.
    """
    return {level: cap_decimal(cap) for level, cap in caps_for(overrides).items()}


def cap_decimal(value: object) -> Decimal:
    """A cap as the exact decimal number it was written as: ``"0.55"``, ``0.55`` → ``Decimal("0.55")``.

    A float is read through its shortest decimal form, the number that was typed.
    Raises ``ValueError`` for anything that is not a decimal number between 0 and 1.
    """
    if isinstance(value, Decimal):
        share = value
    elif isinstance(value, Fraction):
        share = Decimal(value.numerator) / Decimal(value.denominator)
        if Fraction(share) != value:
            raise ValueError(f"the pass-rate cap {value} is not a decimal number")
    elif isinstance(value, str | int | float) and not isinstance(value, bool):
        try:
            share = Decimal(str(value).strip())
        except InvalidOperation:
            raise ValueError(f"the pass-rate cap must be a number, got {value!r}") from None
    else:
        raise ValueError(f"the pass-rate cap must be a number, got {value!r}")
    if not share.is_finite() or not 0 <= share <= 1:
        raise ValueError(f"the pass-rate cap must be between 0 and 1, got {value!r}")
    return share


def plan_cap_problem(level: object, value: object) -> Bilingual | None:
    """What is wrong with one cap of a plan being filed, or None.

    The level is a candidate level; the cap an exact decimal with 0 < cap <= 1 (a
    cap of 0 would fail every candidate of the level before the vote) and at most
    :data:`CAP_DIGITS` significant digits.
    """
    if not is_candidate_level(level):
        return bi(f"pass-rate cap for {level!r}: the level must be one of {'/'.join(CANDIDATE_LEVELS)}",
                  f"通过率控制比例“{level}”：职称层级须为{'、'.join(CANDIDATE_LEVELS)}之一")
    try:
        share = cap_decimal(value)
    except ValueError:
        share = None
    if share is None or share == 0:
        return bi(f"pass-rate cap for {level}: must be a decimal number above 0 and at most 1 "
                  f"(e.g. 0.55); got {value!r}",
                  f"{level}通过率控制比例须为大于0且不超过1的小数（如0.55），现为“{value}”")
    if len(share.normalize().as_tuple().digits) > CAP_DIGITS:
        return bi(f"pass-rate cap for {level}: at most {CAP_DIGITS} significant digits; got {value!r}",
                  f"{level}通过率控制比例最多{CAP_DIGITS}位有效数字，现为“{value}”")
    return None
