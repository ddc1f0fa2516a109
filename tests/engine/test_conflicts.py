"""Conflicts of interest (回避) in the engine: the same unit comparison in the draw and in the review,
however the unit's name was typed."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from app.errors import RuleViolation
from app.rules.draw import PoolExpert
from app.services import Conclave
from app.text import in_chinese

from .small import SECRETARY, SUPERVISOR, hold_preparatory, open_small, pass_eligibility, seat

CANDIDATES = [("C1", "李一", "第1人民医院"), ("C2", "王二", "市人民医院（东院）"), ("C3", "张三", "县中医医院")]


@pytest.fixture
def app(tmp_path: Path) -> Iterator[Conclave]:
    with Conclave(tmp_path / "m.sqlite3") as app:
        yield app


def _refused(call: object) -> RuleViolation:
    with pytest.raises(RuleViolation) as err:
        call()  # type: ignore[operator]
    return err.value


def test_the_draw_excludes_units_written_with_invisible_characters_or_other_brackets(app: Conclave) -> None:
    mid = open_small(app, CANDIDATES)
    pool = [PoolExpert("P01", "甲", "第1人民医院\u200b", "内科", "正高", 5),
            PoolExpert("P02", "乙", "市人民医院(东院)", "内科", "正高", 5),
            PoolExpert("P03", "丙", "州中心医院", "内科", "正高", 5, conflict_units=("\ufeff县中医医院 ",)),
            PoolExpert("P04", "戊", "市人民医院【东院】", "内科", "正高", 5),
            *(PoolExpert(f"P1{i}", f"丁{i}", f"州第{i}医院", "内科", "正高", 5) for i in range(5))]
    app.setup.add_pool(SECRETARY, 1, pool)
    result = app.setup.run_draw(SECRETARY, mid, witness=SUPERVISOR, needs={"内科": 5}, seed="s")
    assert result["excluded"] == [{"id": f"P0{i}", "rule": "draw.conflict"} for i in (1, 2, 3, 4)]
    assert sorted(result["drawn"]["内科"]) == [f"P1{i}" for i in range(5)]


def test_the_review_refuses_the_same_unit_however_it_was_typed(app: Conclave) -> None:
    mid = open_small(app, CANDIDATES)
    seat(app, mid, [("E1", "第1人民医院\u200b"), ("E2", "市人民医院(东院)"), ("E3", "州第一医院"),
                    ("E4", "州第二医院"), ("E5", "州第三医院")])
    hold_preparatory(app, mid)
    pass_eligibility(app, mid)
    err = _refused(lambda: app.review.assign_reviewer(SECRETARY, mid, "C1", "E1"))
    assert err.rule == "review.conflict" and "须回避" in in_chinese(err.violations[0].message)
    assert _refused(lambda: app.review.assign_reviewer(SECRETARY, mid, "C2", "E2")).rule == "review.conflict"
    assert _refused(lambda: app.review.record_scores("E2", mid, "C2", "E2", {"工作业绩": 80})).rule \
        == "review.conflict"
    assert _refused(lambda: app.review.assign_reviewer(SECRETARY, mid, "C1", "M01")).rule == "review.presiding"
    app.review.assign_reviewer(SECRETARY, mid, "C1", "E2")            # other units: no conflict
    app.review.assign_reviewer(SECRETARY, mid, "C2", "E1")
    app.setup.declare_conflict("E3", mid, "E3", "C3", "近亲属")
    assert _refused(lambda: app.review.assign_reviewer(SECRETARY, mid, "C3", "E3")).rule == "review.conflict"
    assert [c.reviewer for c in app.views.candidates(mid)] == ["E2", "E1", None]
