"""Conflict of interest (回避), X§8, X§9, X§10(三): the one place the rule lives.

Two decisions use it:

* **Who may act for a candidate** (review, score, set or review a question):
  :func:`conflict` says why an expert must stay out of one candidate's review, or
  ``None``. In this order: the chair and vice-chair preside and never review or
  score (X§8); an expert of the candidate's work unit stays out; an expert who
  declared a conflict with the candidate stays out (X§10(三)). The engine refuses
  with it (:mod:`app.services.review`) and the interface marks the reviewer lists
  with it — nobody compares units or roles on their own.
* **Who may be drawn** (:mod:`app.rules.draw`): an expert whose unit, or one of
  whose declared conflict units, is the unit of one of the year's candidates
  (:func:`units_meet`).

Units are compared through :func:`unit_key` only — the review, the draw, the interface's
reviewer lists and the quota binding all call it, nobody compares unit names on their own:
Unicode NFKC (which also makes full-width letters, digits and brackets half-width, so
``（东院）`` is ``(东院)`` and ``［东院］`` is ``[东院]``), case folding, removal of every
white-space character and every invisible format character (Unicode category Cf: zero-width
space U+200B, joiners U+200C/U+200D, word joiner U+2060, BOM U+FEFF, soft hyphen, direction
marks) — characters a copy from a web page or a spreadsheet leaves behind unseen — and one
spelling for brackets: ``( [ 【 〔 〖`` are all ``(``, and their closing brackets ``)`` (a
branch or campus is written ``市人民医院【东院】`` as often as ``市人民医院（东院）``).
Nothing fuzzier: ``市第一人民医院`` and ``市一医院`` stay different.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

from app.domain import Role
from app.text import Bilingual, bi


class ExpertFacts(Protocol):
    """What the rule reads of a panel member (a database row or a view row)."""

    @property
    def name(self) -> str: ...

    @property
    def role(self) -> str: ...

    @property
    def unit(self) -> str: ...

    @property
    def declared_conflicts(self) -> Collection[str] | None: ...


class CandidateFacts(Protocol):
    """What the rule reads of a candidate (a database row or a view row)."""

    @property
    def code(self) -> str: ...

    @property
    def name(self) -> str: ...

    @property
    def unit(self) -> str: ...


class ConflictKind(StrEnum):
    PRESIDING = "presiding"      # 主任委员、副主任委员: never review or score
    SAME_UNIT = "same_unit"      # 同一工作单位
    DECLARED = "declared"        # 本人申明的利害关系


@dataclass(frozen=True)
class Conflict:
    """Why an expert stays out of one candidate's review."""

    kind: ConflictKind
    reason: Bilingual

    @property
    def rule(self) -> str:
        """The rule id a refusal names."""
        return "review.presiding" if self.kind is ConflictKind.PRESIDING else "review.conflict"


_BRACKETS = str.maketrans("[【〔〖]】〕〗", "(((())))")   # after NFKC: ［ is [ and （ is (


def unit_key(unit: str) -> str:
    """A unit name as compared for conflicts (see the module docstring).

    Repeated until nothing changes (at most a few rounds): dropping an invisible character
    can bring a letter and its accent together, which NFKC then composes."""
    key = unit
    for _ in range(4):
        folded = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", key).casefold())
        stripped = "".join(ch for ch in folded if not ch.isspace() and unicodedata.category(ch) != "Cf"
                           ).translate(_BRACKETS)
        if stripped == key:
            break
        key = stripped
    return key


def same_unit(a: str, b: str) -> bool:
    """Whether two unit names name the same unit; an empty name matches nothing."""
    key = unit_key(a)
    return bool(key) and key == unit_key(b)


def units_meet(ours: Iterable[str], theirs: Iterable[str]) -> bool:
    """Whether any unit of ``ours`` is the same unit as any of ``theirs``."""
    keys = {unit_key(u) for u in theirs} - {""}
    return any(unit_key(u) in keys for u in ours)


def conflict(expert: ExpertFacts, cand: CandidateFacts) -> Conflict | None:
    """Why ``expert`` must stay out of ``cand``'s review, or None (回避)."""
    if Role(expert.role).presides:
        return Conflict(ConflictKind.PRESIDING, bi(
            f"{expert.name} presides (主任委员/副主任委员) and does not review or score",
            f"{expert.name}为主任委员或副主任委员，不审阅材料、不评分"))
    if same_unit(expert.unit, cand.unit):
        return Conflict(ConflictKind.SAME_UNIT, bi(
            f"{expert.name} works at {cand.unit}, the same unit as {cand.name}",
            f"{expert.name}与{cand.name}同在{cand.unit}，须回避"))
    if cand.code in (expert.declared_conflicts or ()):
        return Conflict(ConflictKind.DECLARED, bi(
            f"{expert.name} declared a conflict with {cand.name}",
            f"{expert.name}已申明与{cand.name}存在利害关系，须回避"))
    return None
