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
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final, Literal, TypeGuard

CommitteeLevel = Literal["senior", "intermediate", "junior"]
OrganizedBy = Literal["series", "specialty"]
CandidateLevel = Literal["正高", "副高", "中级", "初级"]

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
    overrides: Mapping[CandidateLevel, float] | None = None,
) -> dict[CandidateLevel, float]:
    """The plan's caps: the defaults with the plan's overrides applied, in level order.

    A level absent from the result has no cap (初级 by default); a plan may add a
    cap for 初级 by overriding it.
    """
    merged: dict[CandidateLevel, float] = {**DEFAULT_CAPS, **(overrides or {})}
    return {level: merged[level] for level in CANDIDATE_LEVELS if level in merged}
