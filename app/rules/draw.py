"""The expert draw (抽取评审专家), X§6, X§9: who may be drawn, and the draw itself.

The panel of a yearly meeting is drawn at random from the committee's expert pool
(评审专家库) the day before the meeting, witnessed by the supervisor (纪检监察). The
draw has to be *unpredictable beforehand* — nobody may know or steer who will sit —
and *reproducible afterwards*, so that an auditor holding the archived pool and the
recorded seed can redo it by hand. This module is the one place the draw is done:
the engine's services, the wizard and ``conclave draw`` all call :func:`draw_panel`.

Exclusions (never drawn; each reason is listed, so one expert may appear several
times in :attr:`DrawResult.excluded` — the audit trail shows every reason, not just
the first one found):

* ``draw.consecutive_years`` — served on this committee in *both* year-1 and year-2
  (已连续两个年度担任同一评委会评委的，第三年度不得再被抽取). The chair and
  vice-chair (主任委员、副主任委员) are designated, not drawn, so the exception
  for them in X§9 never reaches this pool.
* ``draw.blacklist`` — on the integrity blacklist (失信黑名单, X§16, N§2).
* ``draw.conflict`` — the expert's unit, or one of their declared conflict units,
  is the unit of one of this year's candidates (回避). Unit names are compared by
  :func:`app.rules.conflicts.units_meet` — the same comparison the review uses — so
  that ``某医院（本部）``, ``某医院(本部)`` and ``某医院【本部】``, or a name with a stray
  zero-width space, are the same unit; nothing fuzzier. This reads "is among
  ``candidate_units``" of the ``conclave-draw/1`` format (meeting-record.md) as "is the
  same unit as one of them, after :func:`app.rules.conflicts.unit_key`": a file whose
  units differ only in width, brackets, case, white space or invisible characters
  excludes more experts than a byte-for-byte reading would. The draw stays
  reproducible: the same file and seed give the same result on every run, the key
  being a pure function of the names.

The draw, per specialty ``s`` in ``needs``:

1. ``key(e) = HMAC-SHA256(key = seed as UTF-8, msg = s + "\\0" + e.id as UTF-8)``,
   written as 64 lower-case hex digits, for every eligible expert ``e`` of ``s``.
2. Sort ascending by that hex string (ties, which would need a SHA-256 collision,
   by id). The first ``needs[s]`` are drawn, the next ``alternates`` are the
   alternates (备选), in that order.

By hand: ``printf '内科\\0P007' | openssl dgst -sha256 -hmac "$SEED"``. Nothing
depends on Python's ``random`` module, on the pool's order or on dict order, so the
result is the same on any Python version and for any ordering of the pool. The seed,
when not given, is 32 bytes from the OS (``secrets.token_hex(32)``, 64 hex digits).

``pool_sha256`` identifies the pool snapshot: SHA-256 of ::

    json.dumps(sorted((canonical(e) for e in pool), key=lambda c: c["id"]),
               ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")

where ``canonical(e)`` is the object with all nine fields of the ``conclave-draw/1``
pool entry — ``conflict_units`` present even when empty, ``served`` and
``conflict_units`` sorted without duplicates (see :meth:`PoolExpert.canonical`). An expert's
telephone and honoraria category are kept with the pool but are not part of the draw: they
are left out of the hash, so that ``conclave draw`` reproduces ``pool_sha256`` from the
``conclave-draw/1`` file, which has no such fields.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from app.errors import RuleViolation, Violation
from app.rules.committee import INTERMEDIATE_POOL_MINIMUM
from app.rules.conflicts import units_meet
from app.text import bi

CONSECUTIVE_YEARS = "draw.consecutive_years"
BLACKLIST = "draw.blacklist"
CONFLICT = "draw.conflict"
POOL_SHORT = "draw.pool_short"
POOL_MINIMUM = "draw.pool_minimum"

#: Exclusion rules in the order they are listed for one expert.
EXCLUSION_RULES = (CONSECUTIVE_YEARS, BLACKLIST, CONFLICT)


@dataclass(frozen=True, slots=True)
class PoolExpert:
    """One expert of the pool (评审专家库) as the draw sees them."""

    id: str
    name: str
    unit: str
    specialty: str
    title: str  # 正高 / 副高 / 中级
    title_years: int  # years holding that title (任职年限)
    served: tuple[int, ...] = ()  # years served on this committee
    blacklisted: bool = False  # 失信黑名单
    conflict_units: tuple[str, ...] = ()  # declared conflicts (回避单位)
    phone: str | None = None  # 联系电话, to notify the drawn — not hashed
    category: str | None = None  # 专家类别 for honoraria (全国知名专家 / 正高 / 副高 / 其他) — not hashed

    def canonical(self) -> dict[str, Any]:
        """The expert as hashed into ``pool_sha256`` (a JSON object, every field of the
        ``conclave-draw/1`` pool entry present; the phone and the category are not among them)."""
        return {
            "id": self.id,
            "name": self.name,
            "unit": self.unit,
            "specialty": self.specialty,
            "title": self.title,
            "title_years": self.title_years,
            "served": sorted(set(self.served)),
            "blacklisted": self.blacklisted,
            "conflict_units": sorted(set(self.conflict_units)),
        }


@dataclass(frozen=True, slots=True)
class Exclusion:
    """An expert who may not be drawn this year, and the rule that says so."""

    id: str
    rule: str

    def as_json(self) -> dict[str, str]:
        return {"id": self.id, "rule": self.rule}


@dataclass(frozen=True)
class DrawResult:
    """A finished draw: what the supervisor signs and the archive keeps."""

    seed: str
    pool_sha256: str
    drawn: dict[str, list[str]]  # specialty -> expert ids, in draw order
    alternates: dict[str, list[str]]  # specialty -> 备选 ids, in draw order
    excluded: list[Exclusion] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        """The ``conclave-drawn/1`` document."""
        return {
            "format": "conclave-drawn/1",
            "seed": self.seed,
            "pool_sha256": self.pool_sha256,
            "drawn": {s: list(ids) for s, ids in self.drawn.items()},
            "alternates": {s: list(ids) for s, ids in self.alternates.items()},
            "excluded": [x.as_json() for x in self.excluded],
            "errors": [],
        }


def new_seed() -> str:
    """A fresh seed from the OS random source: 256 bits as 64 hex digits."""
    return secrets.token_hex(32)


def rank_key(seed: str, specialty: str, expert_id: str) -> str:
    """The expert's place in the draw of ``specialty``: HMAC-SHA256 as hex (lower sorts first)."""
    message = f"{specialty}\0{expert_id}".encode()
    return hmac.new(seed.encode("utf-8"), message, hashlib.sha256).hexdigest()


def draw_order(seed: str, specialty: str, expert_ids: Iterable[str]) -> list[str]:
    """Expert ids in draw order for one specialty; independent of the order given."""
    return sorted(expert_ids, key=lambda i: (rank_key(seed, specialty, i), i))


def pool_sha256(pool: Iterable[PoolExpert]) -> str:
    """SHA-256 of the canonical JSON of the pool (see the module docstring)."""
    rows = sorted((e.canonical() for e in pool), key=lambda c: str(c["id"]))
    text = json.dumps(rows, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def exclusion_rules(expert: PoolExpert, year: int, candidate_units: Iterable[str]) -> list[str]:
    """Every rule that keeps ``expert`` out of this year's draw (empty: eligible)."""
    units = list(candidate_units)
    rules: list[str] = []
    if year - 1 in expert.served and year - 2 in expert.served:
        rules.append(CONSECUTIVE_YEARS)
    if expert.blacklisted:
        rules.append(BLACKLIST)
    if units_meet((expert.unit, *expert.conflict_units), units):
        rules.append(CONFLICT)
    return rules


def exclusions(
    pool: Iterable[PoolExpert], year: int, candidate_units: Iterable[str]
) -> list[Exclusion]:
    """All exclusions, one per expert and reason, sorted by expert id then rule order."""
    units = list(candidate_units)
    out = [
        Exclusion(e.id, rule)
        for e in sorted(pool, key=lambda e: e.id)
        for rule in exclusion_rules(e, year, units)
    ]
    return out


def draw_panel(
    pool: Sequence[PoolExpert],
    needs: Mapping[str, int],
    *,
    year: int,
    level: str,
    candidate_units: Iterable[str] = (),
    alternates: int = 0,
    seed: str | None = None,
) -> DrawResult:
    """Draw ``needs[s]`` experts and then ``alternates`` alternates for every specialty ``s``.

    ``level`` is the committee's level (``senior`` / ``intermediate`` / ``junior``);
    an intermediate committee's pool must hold at least 30 experts (X§4, X§6).
    Raises :class:`RuleViolation` with every problem found: ``draw.pool_minimum``,
    one ``draw.pool_short`` per specialty with too few eligible experts, and
    ``draw.input`` for arguments no file or form should let through (duplicate ids,
    counts below 1, negative alternates, an empty seed). Fewer alternates than asked
    for is not an error: the list is simply shorter.
    """
    _check_arguments(pool, needs, alternates, seed)
    units = list(candidate_units)
    violations: list[Violation] = []
    if level == "intermediate" and len(pool) < INTERMEDIATE_POOL_MINIMUM:
        violations.append(Violation(
            POOL_MINIMUM,
            bi(f"the pool of an intermediate committee holds {len(pool)} experts; "
               f"at least {INTERMEDIATE_POOL_MINIMUM} are required (X§6)",
               f"中级评委会的评审专家库现有{len(pool)}人，不得少于{INTERMEDIATE_POOL_MINIMUM}人"),
            ref="X§6",
        ))
    excluded = exclusions(pool, year, units)
    barred = {x.id for x in excluded}
    eligible: dict[str, list[str]] = {s: [] for s in needs}
    in_pool: dict[str, int] = dict.fromkeys(needs, 0)
    for e in pool:
        if e.specialty in needs:
            in_pool[e.specialty] += 1
            if e.id not in barred:
                eligible[e.specialty].append(e.id)
    for s, n in needs.items():
        if len(eligible[s]) < n:
            violations.append(Violation(
                POOL_SHORT,
                bi(f"specialty {s!r}: {n} experts needed, {len(eligible[s])} eligible "
                   f"({in_pool[s]} in the pool, {in_pool[s] - len(eligible[s])} excluded)",
                   f"专业“{s}”须抽取{n}人，可抽取的仅{len(eligible[s])}人"
                   f"（专家库中{in_pool[s]}人，按规定排除{in_pool[s] - len(eligible[s])}人）"),
                ref="X§9",
            ))
    if violations:
        raise RuleViolation(violations)
    seed = new_seed() if seed is None else seed
    drawn: dict[str, list[str]] = {}
    spare: dict[str, list[str]] = {}
    for s, n in needs.items():
        order = draw_order(seed, s, eligible[s])
        drawn[s] = order[:n]
        spare[s] = order[n:n + alternates]
    return DrawResult(seed, pool_sha256(pool), drawn, spare, excluded)


def _check_arguments(
    pool: Sequence[PoolExpert], needs: Mapping[str, int], alternates: int, seed: str | None
) -> None:
    problems: list[Violation] = []
    seen: set[str] = set()
    for e in pool:
        if e.id in seen:
            problems.append(Violation("draw.input", bi(f"expert id {e.id!r} is twice in the pool",
                                                       f"专家编号“{e.id}”在专家库中重复")))
        seen.add(e.id)
    for s, n in needs.items():
        if n < 1:
            problems.append(Violation("draw.input", bi(f"specialty {s!r}: needs {n}; at least 1",
                                                       f"专业“{s}”抽取人数为{n}，至少应为1人")))
    if alternates < 0:
        problems.append(Violation("draw.input", bi(f"alternates is {alternates}; must be 0 or more",
                                                   f"备选人数为{alternates}，不能为负数")))
    if seed is not None and not seed:
        problems.append(Violation("draw.input", bi("the seed must not be empty", "随机种子不能为空")))
    if problems:
        raise RuleViolation(problems)
