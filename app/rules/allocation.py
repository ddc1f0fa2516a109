"""Who passes: threshold, pass-rate caps (通过率), quotas (评审职数) and runoffs (再次投票).

This is THE allocation of X§10(七), used by the meeting engine, the wizard and
``conclave recount`` alike. Among eligible candidates at or over the threshold,
taken in descending order of yes votes, each passes while its level cap and its
quota key both have room. The rest fail with a reason: ``ineligible`` (资格复审不合格,
still on the ballot), ``below_threshold``, ``pass_rate_cap`` or ``quota``.

Ties are never broken by list order. Candidates with the same yes count form a
*tier*; within a tier the outcome must not depend on any order, so:

1. A member whose level cap, or quota, has no room left before the tier fails at
   once, with that limit as the reason (``pass_rate_cap`` when both are full). When
   a tie-mate fills the other limit too, any order would fail this member; only
   the reason could differ, and it is judged on the room before the tier.
2. Per level, with ``d_K``/``r_K`` the tier's demand on and the room left in quota
   ``K``, and ``e = sum(min(d_K, r_K)) + (members without a quota key)``:
   - if the level cap has room for ``e``: every member passes, except members of a
     quota with ``d_K > r_K``, who go to a runoff among themselves for ``r_K``
     places (one runoff per such quota);
   - otherwise all the tier's members of that level go to one runoff for the
     cap's remaining places.

A quota key belongs to one level (it names a unit and a post, and a post has one
level; :func:`allocate` refuses a key carried by two levels). Caps and quotas then
nest, and whichever way a runoff turns out it fills *exactly* its places (every
maximal choice under nested limits has the same size). So a pending runoff
*reserves* its places, and the candidates ranked below it are decided at once: the
same outcome they would get after any runoff result. Only the runoff's own
members are ``runoff_pending``.

A runoff result ranks its members by their runoff yes votes, with no threshold
(they all cleared it), and the members are allocated again in that order under the
same rules: a tie again at the boundary means another runoff, among the tied only.
Runoffs are applied in the order given; each must name exactly the candidates of
one currently pending runoff (independent pending runoffs may be held in any
order), otherwise :class:`~app.errors.RuleViolation` ``runoff.candidates``.

Arithmetic is exact: ``max_pass(0.58, 100) == 58``, never 57 from a float.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Literal

from app.errors import RuleViolation, Violation
from app.rules.levels import CANDIDATE_LEVELS, CandidateLevel, CapShare, plan_caps
from app.text import Bilingual, bi

OutcomeKind = Literal["passed", "failed", "runoff_pending"]
Reason = Literal["below_threshold", "ineligible", "pass_rate_cap", "quota"]
LimitKind = Literal["pass_rate_cap", "quota"]


def max_pass(cap: CapShare, entered: int) -> int:
    """``floor(cap × entered)`` computed exactly; ``cap`` is a share between 0 and 1.

    A float is read through its shortest decimal form (``0.58`` → 58/100), which
    is the number the user typed.
    """
    if isinstance(cap, float):
        if not math.isfinite(cap):
            raise ValueError(f"the pass-rate cap must be a number between 0 and 1, got {cap}")
        share = Fraction(str(cap))
    else:
        share = Fraction(cap)
    if not 0 <= share <= 1:
        raise ValueError(f"the pass-rate cap must be between 0 and 1, got {cap}")
    if entered < 0:
        raise ValueError(f"the number of candidates entered must be >= 0, got {entered}")
    return share.numerator * entered // share.denominator


@dataclass(frozen=True, slots=True)
class Entry:
    """One candidate as the allocation sees it (yes = first-round yes votes)."""

    id: str
    level: str
    eligible: bool
    quota_key: str | None
    yes: int


@dataclass(frozen=True)
class Limits:
    """Maximum passes per candidate level (capped levels only) and per quota key."""

    caps: Mapping[str, int] = field(default_factory=dict)
    quotas: Mapping[str, int] = field(default_factory=dict)

    @classmethod
    def from_plan(
        cls,
        entries: Iterable[Entry],
        caps: Mapping[CandidateLevel, CapShare] | Mapping[str, CapShare] | None,
        quotas: Mapping[str, int] | None = None,
    ) -> Limits:
        """The limits a plan sets, from its caps as stored (overrides) and its quotas.

        The caps are :func:`~app.rules.levels.plan_caps` of ``caps`` — the defaults of
        X§10(七) with the plan's overrides, so a level the plan names no cap for gets
        its default — as shares of the candidates entered per level, ineligible ones
        included. The engine and ``conclave recount`` both build their limits here.
        """
        entered = Counter(e.level for e in entries)
        return cls(
            caps={level: max_pass(cap, entered[level]) for level, cap in plan_caps(caps).items()},
            quotas=dict(quotas or {}),
        )


@dataclass(frozen=True)
class RunoffResult:
    """One runoff round as counted: its candidates and their yes votes in that round."""

    candidates: frozenset[str]
    yes: Mapping[str, int]


@dataclass(frozen=True, slots=True)
class Outcome:
    outcome: OutcomeKind
    reason: Reason | None = None


@dataclass(frozen=True)
class PendingRunoff:
    """A tie that straddles a limit: ``candidates`` vote again for ``places`` places.

    ``limit`` and ``key`` say which limit is contested: a level's pass-rate cap
    (key = the level) or a quota (key = the quota key).
    """

    candidates: frozenset[str]
    places: int
    limit: LimitKind
    key: str


@dataclass
class Allocation:
    """Outcomes in the order of the entries, and the runoffs still to hold."""

    outcomes: dict[str, Outcome]
    pending: list[PendingRunoff]

    @property
    def passed(self) -> list[str]:
        return [cid for cid, o in self.outcomes.items() if o.outcome == "passed"]

    @property
    def complete(self) -> bool:
        return not self.pending


Tier = frozenset[str]


def allocate(
    entries: Sequence[Entry],
    threshold: int,
    limits: Limits,
    runoffs: Sequence[RunoffResult] = (),
) -> Allocation:
    """Allocate passes; see the module docstring for the rules and the tie handling."""
    by_id = _check_entries(entries, limits)
    outcomes: dict[str, Outcome] = {}
    qualified: dict[int, set[str]] = defaultdict(set)
    for e in entries:
        if not e.eligible:
            outcomes[e.id] = Outcome("failed", "ineligible")
        elif e.yes < threshold:
            outcomes[e.id] = Outcome("failed", "below_threshold")
        else:
            qualified[e.yes].add(e.id)
    ranking: list[Tier] = [frozenset(qualified[yes]) for yes in sorted(qualified, reverse=True)]

    decided, pending = _run(ranking, by_id, limits)
    for i, runoff in enumerate(runoffs):
        wanted = frozenset(runoff.candidates)
        if not any(p.candidates == wanted for p in pending):
            raise RuleViolation.single("runoff.candidates", _mismatch(i, wanted, pending, entries))
        ranking = _refine(ranking, wanted, runoff.yes)
        decided, pending = _run(ranking, by_id, limits)

    outcomes.update(decided)
    return Allocation({e.id: outcomes[e.id] for e in entries}, pending)


def _check_entries(entries: Sequence[Entry], limits: Limits) -> dict[str, Entry]:
    errors: list[Violation] = []
    by_id: dict[str, Entry] = {}
    key_levels: dict[str, set[str]] = defaultdict(set)
    for e in entries:
        if e.id in by_id:
            errors.append(Violation("candidate.duplicate", bi(f"candidate {e.id} appears twice",
                                                              f"申报人{e.id}重复出现")))
        by_id[e.id] = e
        if e.quota_key is not None:
            key_levels[e.quota_key].add(e.level)
            if e.quota_key not in limits.quotas:
                errors.append(Violation(
                    "format.value", bi(f"candidate {e.id}: no quota is set for key {e.quota_key!r}",
                                       f"申报人{e.id}：未给“{e.quota_key}”设定评审职数")))
    for key, levels in sorted(key_levels.items()):
        if len(levels) > 1:
            errors.append(Violation(
                "format.value",
                bi(f"quota {key!r} is carried by candidates of levels "
                   f"{', '.join(_level_order(levels))}; "
                   "a quota (评审职数) is for one post at one level",
                   f"评审职数“{key}”被{'、'.join(_level_order(levels))}多个层级的申报人占用；"
                   "一项评审职数只对应一个层级的一个岗位"),
                ref="X§10(七)",
            ))
    for kind, mapping in (("cap", limits.caps), ("quota", limits.quotas)):
        for key, value in mapping.items():
            if value < 0:
                what = "通过率控制人数" if kind == "cap" else "评审职数"
                errors.append(Violation("format.value", bi(f"{kind} {key!r} is negative: {value}",
                                                           f"{key}的{what}为负数：{value}")))
    if errors:
        raise RuleViolation(errors)
    return by_id


def _run(
    ranking: Sequence[Tier], by_id: Mapping[str, Entry], limits: Limits
) -> tuple[dict[str, Outcome], list[PendingRunoff]]:
    """One greedy pass over the ranking, tier by tier, reserving places for pending runoffs."""
    cap_room: dict[str, int] = dict(limits.caps)
    quota_room: dict[str, int] = dict(limits.quotas)
    outcomes: dict[str, Outcome] = {}
    pending: list[PendingRunoff] = []

    for tier in ranking:
        alive: dict[str, list[Entry]] = defaultdict(list)
        for cid in tier:
            e = by_id[cid]
            if cap_room.get(e.level, 1) == 0:
                outcomes[cid] = Outcome("failed", "pass_rate_cap")
            elif e.quota_key is not None and quota_room[e.quota_key] == 0:
                outcomes[cid] = Outcome("failed", "quota")
            else:
                alive[e.level].append(e)
        for level in _level_order(alive):
            members = alive[level]
            keyed: dict[str, list[Entry]] = defaultdict(list)
            for e in members:
                if e.quota_key is not None:
                    keyed[e.quota_key].append(e)
            demand = sum(min(len(ms), quota_room[k]) for k, ms in keyed.items())
            demand += sum(1 for e in members if e.quota_key is None)
            room = cap_room.get(level)
            if room is not None and demand > room:
                pending.append(PendingRunoff(
                    frozenset(e.id for e in members), room, "pass_rate_cap", level))
                for e in members:
                    outcomes[e.id] = Outcome("runoff_pending")
                cap_room[level] = 0
                continue
            contested = sorted(k for k, ms in keyed.items() if len(ms) > quota_room[k])
            for e in members:
                if e.quota_key in contested:
                    continue
                outcomes[e.id] = Outcome("passed")
                _take(cap_room, level, 1)
                if e.quota_key is not None:
                    quota_room[e.quota_key] -= 1
            for key in contested:
                places = quota_room[key]
                pending.append(PendingRunoff(
                    frozenset(e.id for e in keyed[key]), places, "quota", key))
                for e in keyed[key]:
                    outcomes[e.id] = Outcome("runoff_pending")
                quota_room[key] = 0
                _take(cap_room, level, places)
    return outcomes, pending


def _take(room: dict[str, int], key: str, n: int) -> None:
    if key in room:
        room[key] -= n


def _refine(ranking: Sequence[Tier], group: Tier, yes: Mapping[str, int]) -> list[Tier]:
    """Split the tier holding ``group``: the runoff's members by runoff yes votes, highest first.

    The tier's other members keep their place; they are independent of this
    runoff (their outcome did not depend on it), so placing them first changes nothing.
    """
    out: list[Tier] = []
    for tier in ranking:
        if not group <= tier:
            out.append(tier)
            continue
        rest = tier - group
        if rest:
            out.append(rest)
        by_yes: dict[int, set[str]] = defaultdict(set)
        for cid in group:
            by_yes[yes.get(cid, 0)].add(cid)
        out.extend(frozenset(by_yes[y]) for y in sorted(by_yes, reverse=True))
    return out


def _level_order(levels: Iterable[str]) -> list[str]:
    known: dict[str, int] = {level: i for i, level in enumerate(CANDIDATE_LEVELS)}
    return sorted(levels, key=lambda level: (known.get(level, len(known)), level))


def _mismatch(
    index: int, wanted: Tier, pending: Sequence[PendingRunoff], entries: Sequence[Entry]
) -> Bilingual:
    order = {e.id: i for i, e in enumerate(entries)}

    def names(ids: Iterable[str], sep: str = ", ", nobody: str = "nobody") -> str:
        return sep.join(sorted(ids, key=lambda c: (order.get(c, len(order)), c))) or nobody

    head = f"runoffs[{index}].candidates: a runoff among {names(wanted)} does not match "
    head_zh = f"第{index + 1}次再次投票（{names(wanted, '、', '无人')}）与待定的并列情况不符"
    if not pending:
        return bi(head + "any pending tie; no runoff is pending at this point", head_zh + "：目前无须再次投票")
    ties = "; ".join(
        f"{names(p.candidates)} for {p.places} place{'s' if p.places != 1 else ''} "
        f"({'pass-rate cap of ' if p.limit == 'pass_rate_cap' else 'quota '}{p.key})"
        for p in pending
    )
    ties_zh = "；".join(
        f"{names(p.candidates, '、')}争{p.places}个名额"
        f"（{p.key}{'通过率控制' if p.limit == 'pass_rate_cap' else '评审职数'}）"
        for p in pending
    )
    return bi(head + f"the pending tie{'s' if len(pending) > 1 else ''}: {ties}", f"{head_zh}：待定的是{ties_zh}")
