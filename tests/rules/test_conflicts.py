"""The conflict-of-interest rule (回避): one unit comparison, one decision for review and draw."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.rules.conflicts import ConflictKind, conflict, same_unit, unit_key, units_meet
from app.rules.draw import PoolExpert, exclusion_rules
from app.text import in_chinese

INVISIBLE = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u200e"]
SPACES = [" ", "\t", "\n", "\u3000", "\u00a0"]
WIDTH = {"(": "（", ")": "）", "[": "【", "]": "】", "1": "１", "A": "Ａ", "a": "ａ"}


@dataclass(frozen=True)
class Expert:
    name: str = "王评委"
    role: str = "expert"
    unit: str = "州中心医院"
    declared_conflicts: tuple[str, ...] = ()


@dataclass(frozen=True)
class Candidate:
    code: str = "C001"
    name: str = "李申报"
    unit: str = "县人民医院"


@pytest.mark.parametrize(("a", "b"), [
    ("第1人民医院\u200b", "第1人民医院"),
    ("市人民医院(东院)", "市人民医院（东院）"),
    ("第１人民医院", "第1人民医院"),
    ("\ufeff市 人民医院\u3000", "市人民医院"),
    ("XX大学附属医院ICU", "xx大学附属医院icu"),
    ("市人民医院【东院】", "市人民医院(东院)"),
    ("市人民医院［东院］", "市人民医院（东院）"),
    ("市人民医院[东院]", "市人民医院〔东院〕"),
])
def test_the_same_unit_written_differently(a: str, b: str) -> None:
    assert same_unit(a, b) and unit_key(a) == unit_key(b)


@pytest.mark.parametrize(("a", "b"), [
    ("市第一人民医院", "市一医院"),          # nothing fuzzier than spelling
    ("市人民医院(东院)", "市人民医院(西院)"),
    ("市人民医院", "市人民医院(东院)"),
    ("", ""),                                # an empty name is no unit
    ("\u200b", " "),
])
def test_different_units_stay_different(a: str, b: str) -> None:
    assert not same_unit(a, b)


unit_text = st.text(alphabet=st.sampled_from("市县州人民中医院第一二12()[]东西院AaBb"), min_size=1, max_size=12)


@st.composite
def disguised(draw: st.DrawFn) -> tuple[str, str]:
    """A unit and the same unit with invisible characters, white space and full-width forms mixed in."""
    unit = draw(unit_text)
    out = []
    for ch in unit:
        if draw(st.booleans()):
            out.append(draw(st.sampled_from(INVISIBLE + SPACES)))
        out.append(WIDTH.get(ch, ch) if draw(st.booleans()) else ch)
    if draw(st.booleans()):
        out.append(draw(st.sampled_from(INVISIBLE + SPACES)))
    return unit, "".join(out)


@given(disguised())
def test_invisible_characters_spaces_and_width_never_separate_a_unit(pair: tuple[str, str]) -> None:
    unit, written = pair
    assert same_unit(unit, written) and same_unit(written, unit)
    assert units_meet([written], ["别的单位", unit])


@given(st.text(max_size=20))
def test_unit_key_is_idempotent_and_has_no_white_space_or_format_characters(text: str) -> None:
    key = unit_key(text)
    assert unit_key(key) == key
    assert not any(ch.isspace() or ch in INVISIBLE for ch in key)


@given(st.text(max_size=8), st.text(max_size=8))
def test_same_unit_is_symmetric(a: str, b: str) -> None:
    assert same_unit(a, b) == same_unit(b, a)


# -- who may act for a candidate --------------------------------------------------------------
def test_an_expert_of_another_unit_without_a_declaration_may_act() -> None:
    assert conflict(Expert(), Candidate()) is None


@pytest.mark.parametrize("unit", ["第1人民医院\u200b", "第１人民医院", " 第1人民医院 "])
def test_same_unit_is_a_conflict_however_the_name_was_typed(unit: str) -> None:
    why = conflict(Expert(unit=unit), Candidate(unit="第1人民医院"))
    assert why is not None and why.kind is ConflictKind.SAME_UNIT and why.rule == "review.conflict"
    assert "须回避" in in_chinese(why.reason)


def test_brackets_of_either_width_are_the_same_unit() -> None:
    why = conflict(Expert(unit="市人民医院(东院)"), Candidate(unit="市人民医院（东院）"))
    assert why is not None and why.kind is ConflictKind.SAME_UNIT


def test_a_declared_conflict_names_the_candidate() -> None:
    why = conflict(Expert(declared_conflicts=("C001",)), Candidate())
    assert why is not None and why.kind is ConflictKind.DECLARED and why.rule == "review.conflict"
    assert conflict(Expert(declared_conflicts=("C002",)), Candidate()) is None


@pytest.mark.parametrize("role", ["chair", "vice_chair"])
def test_the_chair_and_vice_chair_preside_before_anything_else(role: str) -> None:
    why = conflict(Expert(role=role, unit="县人民医院", declared_conflicts=("C001",)), Candidate())
    assert why is not None and why.kind is ConflictKind.PRESIDING and why.rule == "review.presiding"
    assert "主任委员" in in_chinese(why.reason)


def test_a_row_without_declarations_reads_as_none_declared() -> None:
    assert conflict(Expert(declared_conflicts=None), Candidate()) is None  # type: ignore[arg-type]


# -- the draw uses the same comparison ----------------------------------------------------------
@given(disguised())
def test_the_draw_and_the_review_agree_on_units(pair: tuple[str, str]) -> None:
    unit, written = pair
    pooled = PoolExpert("P1", "王评委", written, "内科", "正高", 5)
    in_draw = "draw.conflict" in exclusion_rules(pooled, 2026, [unit])
    in_review = conflict(Expert(unit=written), Candidate(unit=unit)) is not None
    assert in_draw and in_review


def test_the_draw_excludes_a_declared_conflict_unit_with_a_zero_width_space() -> None:
    pooled = PoolExpert("P1", "王评委", "州中心医院", "内科", "正高", 5, conflict_units=("第1人民医院\u200b",))
    assert exclusion_rules(pooled, 2026, ["第1人民医院"]) == ["draw.conflict"]
    assert exclusion_rules(pooled, 2026, ["第2人民医院"]) == []
