"""Panel size (出席评审会议的评审专家人数) and discipline groups (评议组), X§8 and X§10(三).

The panel is the drawn review experts attending the meeting. The chair (主任委员)
and vice-chair (副主任委员) preside and neither review nor vote, so they never count
here; callers pass the number of experts with the role "expert" only.

Minimum panel, X§8:

=========================  ======  ========================================
committee                  normal  reduced (< 10 candidates, plan approved)
=========================  ======  ========================================
senior, series-based       25      17
intermediate, series       13      9
senior, specialty-based    11      17 → stays 11
intermediate, specialty    7       9 → stays 7
junior (either)            5       5
=========================  ======  ========================================

The seed allows the reduced panel to "adjust" the number; it never asks for more
experts than the normal rule, so the minimum is the smaller of the two figures.
Every check returns a list of :class:`~app.errors.Violation` (empty when fine), so
that a caller can collect every problem of a meeting at once.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

from app.errors import Violation
from app.rules.levels import CommitteeLevel, OrganizedBy
from app.text import bi

#: Normal minimum panel per (committee level, organised by), X§8.
NORMAL_MINIMUM: Final[dict[tuple[CommitteeLevel, OrganizedBy], int]] = {
    ("senior", "series"): 25,
    ("intermediate", "series"): 13,
    ("senior", "specialty"): 11,
    ("intermediate", "specialty"): 7,
    ("junior", "series"): 5,
    ("junior", "specialty"): 5,
}
#: Reduced minimum per committee level, when the plan approved it for a small agenda.
REDUCED_MINIMUM: Final[dict[CommitteeLevel, int]] = {"senior": 17, "intermediate": 9, "junior": 5}
#: The reduced panel is possible only with fewer candidates than this (年度参评人员在10人以下).
REDUCED_PANEL_BELOW: Final = 10
#: Each discipline group (评议组) has at least this many experts, X§10(三).
GROUP_MINIMUM: Final = 3

_KIND_NAMES: Final[dict[tuple[CommitteeLevel, OrganizedBy], str]] = {
    ("senior", "series"): "a series-based senior committee (按系列组建的高级评委会)",
    ("intermediate", "series"): "a series-based intermediate committee (按系列组建的中级评委会)",
    ("senior", "specialty"): "a specialty-based senior committee (按专业组建的高级评委会)",
    ("intermediate", "specialty"):
        "a specialty-based intermediate committee (按专业组建的中级评委会)",
    ("junior", "series"): "a junior committee (初级评委会)",
    ("junior", "specialty"): "a junior committee (初级评委会)",
}


def reduced_panel_applies(candidates: int, reduced_approved: bool) -> bool:
    """Whether the reduced minimum may be used: approved in the plan and < 10 candidates."""
    return reduced_approved and candidates < REDUCED_PANEL_BELOW


def minimum_panel(
    level: CommitteeLevel, organized_by: OrganizedBy, candidates: int, reduced_approved: bool
) -> int:
    """The smallest allowed panel for this committee and agenda.

    ``candidates`` is the number of candidates on the agenda (ineligible ones
    included: they are on the agenda until the ballot).
    """
    normal = NORMAL_MINIMUM[(level, organized_by)]
    if reduced_panel_applies(candidates, reduced_approved):
        return min(normal, REDUCED_MINIMUM[level])
    return normal


def check_odd(panel_size: int) -> list[Violation]:
    """The panel must be odd (组成人员应当是单数) so that a vote can never split evenly."""
    if panel_size % 2 == 1:
        return []
    return [Violation(
        "panel.odd",
        bi(f"the panel has {panel_size} experts; the number must be odd (组成人员应当是单数)",
           f"出席评审专家{panel_size}人，组成人员应当是单数"),
    )]


def check_minimum(
    panel_size: int,
    level: CommitteeLevel,
    organized_by: OrganizedBy,
    candidates: int,
    reduced_approved: bool,
) -> list[Violation]:
    """The panel must reach the minimum of :func:`minimum_panel`."""
    minimum = minimum_panel(level, organized_by, candidates, reduced_approved)
    if panel_size >= minimum:
        return []
    kind = _KIND_NAMES[(level, organized_by)]
    if reduced_panel_applies(candidates, reduced_approved):
        why = f" (reduced panel approved, {candidates} candidates)"
    elif reduced_approved:
        why = (f" (the approved reduced panel does not apply: {candidates} candidates, "
               f"it needs fewer than {REDUCED_PANEL_BELOW})")
    else:
        why = ""
    return [Violation(
        "panel.minimum",
        bi(f"the panel has {panel_size} experts; {kind} needs at least {minimum}{why}",
           f"出席评审专家{panel_size}人，本评委会至少需要{minimum}人"),
    )]


def check_panel(
    panel_size: int,
    level: CommitteeLevel,
    organized_by: OrganizedBy,
    candidates: int,
    reduced_approved: bool,
) -> list[Violation]:
    """Both panel rules: odd size and minimum size."""
    return check_odd(panel_size) + check_minimum(
        panel_size, level, organized_by, candidates, reduced_approved
    )


def check_groups(group_sizes: Mapping[str, int]) -> list[Violation]:
    """Each discipline group has at least :data:`GROUP_MINIMUM` experts; groups in name order."""
    return [
        Violation(
            "group.minimum",
            bi(f"group {name} has {size} expert{'s' if size != 1 else ''}; "
               f"a discipline group (评议组) needs at least {GROUP_MINIMUM}",
               f"评议组{name}仅有{size}人，评议组至少需要{GROUP_MINIMUM}人"),
        )
        for name, size in sorted(group_sizes.items())
        if size < GROUP_MINIMUM
    ]
