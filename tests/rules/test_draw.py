"""The expert draw (抽取评审专家): exclusions, shortfalls, the HMAC ranking, reproducibility."""

from __future__ import annotations

import dataclasses
import hashlib
import hmac
import json
import re
import shutil
import subprocess

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.errors import RuleViolation
from app.rules.draw import (
    Exclusion,
    PoolExpert,
    draw_order,
    draw_panel,
    exclusion_rules,
    exclusions,
    pool_sha256,
    rank_key,
)
from tests.examples import examples

YEAR = 2026


def expert(
    i: int | str,
    specialty: str = "内科",
    *,
    unit: str | None = None,
    served: tuple[int, ...] = (),
    blacklisted: bool = False,
    conflict_units: tuple[str, ...] = (),
) -> PoolExpert:
    eid = i if isinstance(i, str) else f"P{i:03d}"
    return PoolExpert(
        id=eid, name=f"专家{eid}", unit=unit or f"单位{eid}", specialty=specialty, title="正高",
        title_years=5, served=served, blacklisted=blacklisted, conflict_units=conflict_units,
    )


def pool_of(n: int, specialty: str = "内科", start: int = 1) -> list[PoolExpert]:
    return [expert(i, specialty) for i in range(start, start + n)]


# -- exclusions --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("served", "excluded"),
    [
        ((YEAR - 1, YEAR - 2), True),  # both previous years: the third year is barred
        ((YEAR - 2, YEAR - 1, YEAR - 3), True),
        ((YEAR - 1,), False),
        ((YEAR - 2,), False),
        ((YEAR - 2, YEAR - 3), False),  # a year off in between resets the count
        ((YEAR - 1, YEAR - 3), False),
        ((), False),
    ],
)
def test_consecutive_years_boundary(served: tuple[int, ...], excluded: bool) -> None:
    rules = exclusion_rules(expert(1, served=served), YEAR, [])
    assert (rules == ["draw.consecutive_years"]) is excluded


def test_blacklisted_expert_is_excluded() -> None:
    assert exclusion_rules(expert(1, blacklisted=True), YEAR, []) == ["draw.blacklist"]


def test_conflict_by_own_unit_or_declared_unit() -> None:
    units = ["某县人民医院", "州中心医院（本部）"]
    assert exclusion_rules(expert(1, unit="某县人民医院"), YEAR, units) == ["draw.conflict"]
    declared = expert(2, conflict_units=("州中心医院(本部)",))  # half-width brackets: same unit
    assert exclusion_rules(declared, YEAR, units) == ["draw.conflict"]
    spaced = expert(3, unit=" 某县 人民医院 ")
    assert exclusion_rules(spaced, YEAR, units) == ["draw.conflict"]
    assert exclusion_rules(expert(4, unit="某县中医院"), YEAR, units) == []


def test_every_reason_is_listed_once_sorted_by_id() -> None:
    pool = [
        expert(9, served=(YEAR - 1, YEAR - 2), blacklisted=True, unit="U"),
        expert(2, blacklisted=True),
        expert(5),
    ]
    assert exclusions(pool, YEAR, ["U"]) == [
        Exclusion("P002", "draw.blacklist"),
        Exclusion("P009", "draw.consecutive_years"),
        Exclusion("P009", "draw.blacklist"),
        Exclusion("P009", "draw.conflict"),
    ]


def test_excluded_experts_are_not_drawn_and_are_reported() -> None:
    pool = [*pool_of(3), expert(10, blacklisted=True), expert(11, served=(2025, 2024))]
    result = draw_panel(pool, {"内科": 3}, year=YEAR, level="senior", seed="s")
    assert sorted(result.drawn["内科"]) == ["P001", "P002", "P003"]
    assert [x.id for x in result.excluded] == ["P010", "P011"]


# -- shortfalls --------------------------------------------------------------------


def test_pool_short_one_violation_per_specialty_with_numbers() -> None:
    pool = [*pool_of(4, "内科"), expert(50, "内科", blacklisted=True), *pool_of(2, "外科", 20)]
    with pytest.raises(RuleViolation) as info:
        draw_panel(pool, {"内科": 5, "外科": 2, "儿科": 1}, year=YEAR, level="senior", seed="s")
    v = info.value.violations
    assert [x.rule for x in v] == ["draw.pool_short", "draw.pool_short"]
    assert "'内科': 5 experts needed, 4 eligible (5 in the pool, 1 excluded)" in v[0].message
    assert "'儿科': 1 experts needed, 0 eligible (0 in the pool, 0 excluded)" in v[1].message


def test_exactly_enough_eligible_experts_is_not_short() -> None:
    result = draw_panel(pool_of(5), {"内科": 5}, year=YEAR, level="senior", seed="s")
    assert len(result.drawn["内科"]) == 5


@pytest.mark.parametrize(("size", "short"), [(29, True), (30, False)])
def test_intermediate_pool_minimum_30(size: int, short: bool) -> None:
    def draw(level: str) -> None:
        draw_panel(pool_of(size), {"内科": 7}, year=YEAR, level=level, seed="s")

    if short:
        with pytest.raises(RuleViolation) as info:
            draw("intermediate")
        assert info.value.rule == "draw.pool_minimum"
        assert "holds 29 experts; at least 30" in info.value.violations[0].message
    else:
        draw("intermediate")
    draw("senior")  # no minimum for a senior committee


def test_pool_minimum_and_pool_short_are_reported_together() -> None:
    with pytest.raises(RuleViolation) as info:
        draw_panel(pool_of(3), {"内科": 5}, year=YEAR, level="intermediate", seed="s")
    assert [v.rule for v in info.value.violations] == ["draw.pool_minimum", "draw.pool_short"]


def test_bad_arguments_are_refused() -> None:
    with pytest.raises(RuleViolation) as info:
        draw_panel([expert(1), expert(1)], {"内科": 0}, year=YEAR, level="senior",
                   alternates=-1, seed="")
    assert [v.rule for v in info.value.violations] == ["draw.input"] * 4


# -- the ranking -------------------------------------------------------------------


def test_rank_key_is_the_documented_hmac() -> None:
    by_hand = hmac.new(b"seed-1", "内科\x00P001".encode(), hashlib.sha256).hexdigest()
    assert rank_key("seed-1", "内科", "P001") == by_hand
    assert rank_key("seed-1", "内科", "P001") != rank_key("seed-2", "内科", "P001")
    assert rank_key("s", "内科", "P001") != rank_key("s", "外科", "P001")


@pytest.mark.skipif(shutil.which("openssl") is None, reason="openssl not installed")
def test_an_auditor_can_redo_the_ranking_with_openssl() -> None:
    out = subprocess.run(
        ["openssl", "dgst", "-sha256", "-hmac", "审计seed"],
        input="外科\0P042".encode(), capture_output=True, check=True,
    ).stdout.decode()
    assert out.strip().endswith(rank_key("审计seed", "外科", "P042"))


def test_draw_takes_the_lowest_keys_then_alternates_in_order() -> None:
    pool = pool_of(8)
    result = draw_panel(pool, {"内科": 3}, year=YEAR, level="senior", alternates=2, seed="k")
    by_key = sorted((e.id for e in pool), key=lambda i: rank_key("k", "内科", i))
    assert result.drawn["内科"] == by_key[:3]
    assert result.alternates["内科"] == by_key[3:5]
    assert draw_order("k", "内科", reversed(by_key)) == by_key


def test_known_answer_pins_the_algorithm() -> None:
    """A change of the ranking would silently change every archived draw: pin one."""
    result = draw_panel(pool_of(6), {"内科": 2}, year=YEAR, level="senior", alternates=1,
                        seed="0" * 64)
    expected = sorted((f"P00{i}" for i in range(1, 7)),
                      key=lambda i: hmac.new(b"0" * 64, f"内科\0{i}".encode(),
                                             hashlib.sha256).hexdigest())
    assert result.drawn["内科"] + result.alternates["内科"] == expected[:3]


def test_fewer_alternates_than_asked_is_a_shorter_list() -> None:
    result = draw_panel(pool_of(4), {"内科": 3}, year=YEAR, level="senior", alternates=5, seed="s")
    assert len(result.alternates["内科"]) == 1


def test_seed_is_drawn_from_the_os_when_absent() -> None:
    a = draw_panel(pool_of(5), {"内科": 2}, year=YEAR, level="senior")
    b = draw_panel(pool_of(5), {"内科": 2}, year=YEAR, level="senior")
    assert re.fullmatch(r"[0-9a-f]{64}", a.seed)
    assert a.seed != b.seed
    again = draw_panel(pool_of(5), {"内科": 2}, year=YEAR, level="senior", seed=a.seed)
    assert again == a


# -- pool hash ---------------------------------------------------------------------


def test_pool_sha256_is_the_documented_canonical_json() -> None:
    # names sort the other way round (乙 < 甲): the rows are ordered by id, not by name
    pool = [dataclasses.replace(expert(2, served=(2025, 2023, 2025)), name="乙"),
            dataclasses.replace(expert(1, conflict_units=("B", "A")), name="甲")]
    rows = [
        {"id": "P001", "name": "甲", "unit": "单位P001", "specialty": "内科", "title": "正高",
         "title_years": 5, "served": [], "blacklisted": False, "conflict_units": ["A", "B"]},
        {"id": "P002", "name": "乙", "unit": "单位P002", "specialty": "内科", "title": "正高",
         "title_years": 5, "served": [2023, 2025], "blacklisted": False, "conflict_units": []},
    ]
    text = json.dumps(rows, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    assert pool_sha256(pool) == hashlib.sha256(text.encode("utf-8")).hexdigest()
    assert pool_sha256(reversed(pool)) == pool_sha256(pool)


def test_pool_sha256_changes_with_any_field() -> None:
    base = pool_sha256([expert(1)])
    assert pool_sha256([expert(1, blacklisted=True)]) != base
    assert pool_sha256([expert(1, unit="别的单位")]) != base
    assert pool_sha256([expert(1, served=(2025,))]) != base


# -- properties --------------------------------------------------------------------

SPECIALTIES = ["内科", "外科", "儿科"]
UNITS = ["U1", "U2", "U3", "U4", "U5"]
#: Every set of at most two of the units (a declared conflict list), the empty one first.
CONFLICT_SETS = [(), *((u,) for u in UNITS),
                 *((a, b) for i, a in enumerate(UNITS) for b in UNITS[i + 1:])]
SERVED_YEARS = range(YEAR - 4, YEAR)
#: One expert is one integer below this (mixed radix: unit, specialty, years served, blacklisted,
#: conflict units); 0 is the simplest expert, which is where Hypothesis shrinks to.
EXPERT_CODES = len(UNITS) * len(SPECIALTIES) * 2 ** len(SERVED_YEARS) * 2 * len(CONFLICT_SETS)


def decoded_expert(i: int, code: int) -> PoolExpert:
    """The expert ``E{i}`` that ``code`` stands for. An expert drawn field by field cost six to
    ten Hypothesis draws (sets draw element by element); one integer is one draw, and the
    example's time went to generating it (90 % of the test's time, at 200 examples)."""
    code, unit = divmod(code, len(UNITS))
    code, specialty = divmod(code, len(SPECIALTIES))
    code, served = divmod(code, 2 ** len(SERVED_YEARS))
    conflicts, blacklisted = divmod(code, 2)
    return PoolExpert(
        id=f"E{i}", name=f"n{i}", unit=UNITS[unit], specialty=SPECIALTIES[specialty], title="正高",
        title_years=3, served=tuple(y for b, y in enumerate(SERVED_YEARS) if served >> b & 1),
        blacklisted=bool(blacklisted), conflict_units=CONFLICT_SETS[conflicts],
    )


def test_expert_codes_reach_every_expert() -> None:
    """The decoding is one to one: as many different experts as codes, so every combination of
    unit, specialty, years served (any of the four), blacklisting and conflicts is drawn."""
    experts = {dataclasses.replace(decoded_expert(0, c), id="", name="") for c in range(EXPERT_CODES)}
    assert len(experts) == EXPERT_CODES == 5 * 3 * 16 * 2 * 16
    assert decoded_expert(0, 0) == PoolExpert("E0", "n0", "U1", "内科", "正高", 3)
    assert {e.served for e in experts} >= {(), (YEAR - 4, YEAR - 3, YEAR - 2, YEAR - 1)}


@st.composite
def pools(draw: st.DrawFn) -> tuple[list[PoolExpert], dict[str, int], list[str]]:
    n = draw(st.integers(1, 40))
    codes = draw(st.lists(st.integers(0, EXPERT_CODES - 1), min_size=n, max_size=n))
    pool = [decoded_expert(i, code) for i, code in enumerate(codes)]
    needs = {s: draw(st.integers(1, 3)) for s in draw(st.sets(st.sampled_from(SPECIALTIES),
                                                               min_size=1))}
    candidate_units = draw(st.lists(st.sampled_from(UNITS), max_size=2))
    return pool, needs, candidate_units


@settings(max_examples=examples(200), deadline=None)
@given(pools(), st.text(min_size=1, max_size=20), st.integers(0, 3), st.randoms())
def test_draw_properties(case: tuple[list[PoolExpert], dict[str, int], list[str]], seed: str,
                         alternates: int, rnd: object) -> None:
    pool, needs, units = case
    try:
        result = draw_panel(pool, needs, year=YEAR, level="senior", candidate_units=units,
                            alternates=alternates, seed=seed)
    except RuleViolation as exc:
        assert {v.rule for v in exc.violations} == {"draw.pool_short"}
        return
    barred = {x.id for x in result.excluded}
    by_id = {e.id: e for e in pool}
    for s, n in needs.items():
        drawn, spare = result.drawn[s], result.alternates[s]
        assert len(drawn) == n
        assert len(spare) <= alternates
        assert not set(drawn) & set(spare)
        assert not (set(drawn) | set(spare)) & barred
        assert all(by_id[i].specialty == s for i in drawn + spare)
    shuffled = list(pool)
    rnd.shuffle(shuffled)  # type: ignore[attr-defined]
    again = draw_panel(shuffled, needs, year=YEAR, level="senior", candidate_units=units,
                       alternates=alternates, seed=seed)
    assert again == result  # the pool's order changes nothing, the hash included
