"""The setup gate (会前准备) lives in the engine: step 1 does not begin until the setup is complete."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.domain import Step
from app.errors import RuleViolation
from app.services import Conclave
from app.services.setup import CandidateInput
from app.storage.schema import audit_event
from app.text import in_chinese

from .small import SECRETARY, hold_preparatory, open_small, seat

EXPERTS = [("E1", "州第一医院"), ("E2", "州第二医院"), ("E3", "州第三医院"), ("E4", "州第四医院"), ("E5", "州第五医院")]


@pytest.fixture
def app(tmp_path: Path) -> Iterator[Conclave]:
    with Conclave(tmp_path / "m.sqlite3") as app:
        yield app


def _events(app: Conclave) -> int:
    with app.store.read() as conn:
        return int(conn.execute(select(func.count()).select_from(audit_event)).scalar_one())


def _refused(call: object) -> RuleViolation:
    with pytest.raises(RuleViolation) as err:
        call()  # type: ignore[operator]
    return err.value


def test_a_new_meeting_lists_what_the_setup_misses_and_step_one_does_not_begin(app: Conclave) -> None:
    mid = open_small(app, [], supervisor="")
    missing = app.procedure.setup_gate(mid)
    assert missing == ["The supervisor (纪检监察) is not named", "No candidates: import the candidate roster",
                       "The panel has not been drawn", "The chair (主任委员) is not on the panel"]
    assert [in_chinese(m) for m in missing] == ["尚未填写纪检监察人员", "尚无申报人：请导入申报人花名册",
                                                "尚未抽取评审专家", "尚未确定主任委员"]
    seat(app, mid, EXPERTS, chair=False)
    before = _events(app)
    err = _refused(lambda: app.setup.check_in(SECRETARY, mid, "E1"))
    assert err.rule == "setup.incomplete" and "尚无申报人" in in_chinese(err.violations[0].message)
    assert _events(app) == before and not any(m.checked_in for m in app.views.members(mid))
    gate = _refused(lambda: app.procedure.complete(SECRETARY, mid, Step.PREPARATORY))
    assert gate.rule == "step.gate" and "The chair (主任委员) is not on the panel" in str(gate.violations[0].message)


def test_a_complete_setup_opens_step_one(app: Conclave) -> None:
    mid = open_small(app, [("C1", "李一", "县人民医院")])
    seat(app, mid, EXPERTS)
    assert app.procedure.setup_gate(mid) == []
    hold_preparatory(app, mid)
    assert app.views.meeting(mid).current_step == Step.ELIGIBILITY


def test_every_group_that_reviews_candidates_needs_its_experts(app: Conclave) -> None:
    mid = open_small(app, [])
    app.setup.add_candidates(SECRETARY, mid, [CandidateInput("C1", "李一", "县人民医院", "初级", "内科", group="G1"),
                                              CandidateInput("C2", "王二", "县中医医院", "初级", "外科", group="G2"),
                                              CandidateInput("C3", "张三", "县妇幼保健院", "初级", "外科", group="G2")])
    seat(app, mid, EXPERTS)
    app.setup.set_groups(SECRETARY, mid, {"G1": ["E1", "E2", "E3"]})
    app.setup.set_group_leader(SECRETARY, mid, "G1", "E1")
    assert app.procedure.setup_gate(mid) == ["No expert is seated in group G2, which reviews: C2, C3",
                                             "Experts not seated in a discipline group (评议组): 评委E4、评委E5"]
    assert _refused(lambda: app.setup.check_in(SECRETARY, mid, "M01")).rule == "setup.incomplete"
    app.setup.set_groups(SECRETARY, mid, {"G2": ["E4", "E5"]})
    app.setup.set_group_leader(SECRETARY, mid, "G2", "E5")
    assert app.procedure.setup_gate(mid) == []
    app.setup.check_in(SECRETARY, mid, "E1")
    app.setup.check_in(SECRETARY, mid, "E4")

    # seating changed during step 1 so that a group is left empty: step 1 stops again
    app.setup.set_groups(SECRETARY, mid, {"G1": ["E4", "E5"]})
    assert "No expert is seated in group G2" in app.procedure.setup_gate(mid)[0]
    assert app.procedure.setup_gate(mid)[1:] == []     # E1 still leads G1: nobody left it
    assert _refused(lambda: app.review.sign_commitment("E1", mid, "E1")).rule == "setup.incomplete"
    assert _refused(lambda: app.review.record_commitment_reading(SECRETARY, mid, "E1")).rule == "setup.incomplete"
    assert "No expert is seated in group G2" in app.procedure.gate(mid, Step.PREPARATORY)[0]
