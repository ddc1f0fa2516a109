"""Setup services refuse what would otherwise fail later or as a database error."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from app.errors import RuleViolation
from app.rules.draw import PoolExpert
from app.services import Conclave
from app.services.setup import CandidateInput, CommitteeInput, PlanInput


@pytest.fixture
def app(tmp_path: Path) -> Conclave:
    app = Conclave(tmp_path / "m.sqlite3")
    app.setup.open_meeting(CommitteeInput("测试评委会", "intermediate", "series", "卫生系列", dt.date(2025, 1, 6)),
                           PlanInput(year=2026, title="测试", place="会议室", plan_filed=dt.date(2026, 11, 2),
                                     meeting_date=dt.date(2026, 11, 20), rubric=[("业绩", 100)],
                                     quotas={"某院/主治医师": 1}, secretary="秘书"))
    yield app
    app.close()


def _expert(code: str, title: str = "正高", years: int = 5) -> PoolExpert:
    return PoolExpert(code, "张三", "某学院", "内科", title, years)


def test_pool_codes_already_in_the_pool_are_refused(app: Conclave) -> None:
    app.setup.add_pool("秘书", 1, [_expert("P1")])
    with pytest.raises(RuleViolation) as err:
        app.setup.add_pool("秘书", 1, [_expert("P2"), _expert("P1")])
    assert err.value.rule == "expert.duplicate" and "row 2 (P1)" in str(err.value)


def test_pool_for_an_unknown_committee_is_refused(app: Conclave) -> None:
    with pytest.raises(RuleViolation) as err:
        app.setup.add_pool("秘书", 99, [_expert("P1")])
    assert err.value.rule == "committee.unknown"


def test_pool_titles_and_years_are_checked(app: Conclave) -> None:
    with pytest.raises(RuleViolation) as err:
        app.setup.add_pool("秘书", 1, [_expert("P1", title="教授"), _expert("P2", years=-1)])
    assert [v.rule for v in err.value.violations] == ["format.value", "format.value"]


def test_quota_key_unknown_to_the_plan_is_refused_at_import(app: Conclave) -> None:
    with pytest.raises(RuleViolation) as err:
        app.setup.add_candidates("秘书", 1, [CandidateInput("C1", "李四", "某院", "中级", "内科",
                                                            quota_key="某院/主任医师")])
    assert err.value.rule == "candidate.quota"
    app.setup.add_candidates("秘书", 1, [CandidateInput("C1", "李四", "某院", "中级", "内科",
                                                        quota_key="某院/主治医师")])


def test_publicity_outcome_needs_the_publicity_first(app: Conclave) -> None:
    with pytest.raises(RuleViolation) as err:
        app.closing.record_publicity_outcome("秘书", 1, "")
    assert err.value.rule == "publicity.not_started"
