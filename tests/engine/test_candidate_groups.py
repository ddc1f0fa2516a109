"""Candidates put in discipline groups (评议组) in one call — the roster of most offices has no 评议组
column — and the setup gate that lists every candidate on the agenda left outside the groups."""

from __future__ import annotations

from sqlalchemy import update

from app.domain import Step
from app.services import Conclave
from app.storage.schema import candidate, member
from app.text import in_chinese

from .conftest import MakeApp
from .events import events, last_event, refused

WHO = "人事科 李文静"
SET_UP = 0          # the demo meeting set up (drawn, chair, groups), step 1 not begun




def _ungrouped(app: Conclave, mid: int) -> Conclave:
    """The demo's meeting as imported from a roster without a 评议组 column: the experts sit in G1–G3
    (内科, 外科, 护理), no candidate is in a group."""
    with app.store.write(WHO, "test.roster_without_groups", mid) as tx:
        tx.conn.execute(update(candidate).where(candidate.c.meeting_id == mid).values(group_code=None))
    return app


def _groups(app: Conclave, mid: int) -> dict[str, str | None]:
    return {c.code: c.group for c in app.views.candidates(mid)}


def test_candidates_are_put_in_groups_in_one_change_and_one_audit_event(demo_at: MakeApp) -> None:
    app, mid = demo_at(SET_UP)
    _ungrouped(app, mid)
    wanted = {c.code: {"内科": "G1", "外科": "G2", "护理": "G3"}[c.specialty] for c in app.views.candidates(mid)}
    before = events(app)
    changed = app.setup.assign_candidate_groups(WHO, mid, wanted)
    assert events(app) == before + 1
    assert changed == {code: [None, g] for code, g in wanted.items()} and len(changed) == 30
    assert _groups(app, mid) == wanted
    actor, action, data = last_event(app)
    assert (actor, action, data["groups"], data["changed"]["C001"]) == (WHO, "candidate.groups", wanted,
                                                                        [None, "G1"])
    assert app.procedure.setup_gate(mid) == []
    # moved to another group before anything was recorded in it: only what changed is audited
    assert app.setup.assign_candidate_groups(WHO, mid, {"C001": "G2", "C002": "G2"}) == {"C001": ["G1", "G2"]}


def test_an_unknown_candidate_or_group_is_refused_naming_each_and_nothing_is_stored(demo_at: MakeApp) -> None:
    app, mid = demo_at(SET_UP)
    _ungrouped(app, mid)
    err = refused(app, lambda: app.setup.assign_candidate_groups(WHO, mid, {"C001": "G1", "C999": "G1",
                                                                              "C002": "G9"}))
    assert [v.rule for v in err.violations] == ["candidate.unknown", "candidate.group_unknown"]
    unknown, group = (in_chinese(v.message) for v in err.violations)
    assert "C999" in unknown and "本次会议没有申报人" in unknown
    assert "C002 冯红霞" in group and "G9" in group and "G1、G2、G3" in group
    assert "C002 冯红霞" in err.violations[1].message and "no expert is seated in group G9" in \
        err.violations[1].message
    assert set(_groups(app, mid).values()) == {None}
    assert refused(app, lambda: app.setup.assign_candidate_groups(WHO, mid, {})).rule == "candidate.groups"
    app.setup.assign_candidate_groups(WHO, mid, {"C001": "G1"})
    assert refused(app, lambda: app.setup.assign_candidate_groups(WHO, mid, {"C001": "G1"})).rule == \
        "candidate.unchanged"


def test_grouping_is_refused_after_step_one_and_for_a_candidate_reviewed_in_a_group(demo_at: MakeApp) -> None:
    app, mid = demo_at(Step.PREPARATORY)
    err = refused(app, lambda: app.setup.assign_candidate_groups(WHO, mid, {"C001": "G2"}))
    assert err.rule == "step.locked" and "重新开启" in in_chinese(err.violations[0].message)

    app, mid = demo_at(Step.PRIMARY_REVIEW)          # C001 reviewed and scored in G1, then step 1 reopened
    app.procedure.reopen(WHO, mid, Step.PREPARATORY, "M01", "评议组需要调整")
    err = refused(app, lambda: app.setup.assign_candidate_groups(WHO, mid, {"C001": "G2"}))
    assert err.rule == "candidate.under_review"
    assert "C001 魏明轩" in in_chinese(err.violations[0].message) and "G1" in err.violations[0].message
    assert _groups(app, mid)["C001"] == "G1"


def test_the_setup_is_not_complete_while_a_candidate_on_the_agenda_is_in_no_group(demo_at: MakeApp) -> None:
    app, mid = demo_at(SET_UP)
    assert app.procedure.setup_gate(mid) == []                  # the demo's roster has its groups
    _ungrouped(app, mid)
    [problem] = app.procedure.setup_gate(mid)
    assert problem.startswith("30 candidates in no discipline group (评议组)") and "C001, C002" in problem
    assert in_chinese(problem).startswith("30名申报人尚未分入评议组") and in_chinese(problem).endswith("等30人")
    err = refused(app, lambda: app.setup.check_in(WHO, mid, "M01"))
    assert err.rule == "setup.incomplete" and "尚未分入评议组" in in_chinese(err.violations[0].message)
    app.setup.assign_candidate_groups(WHO, mid, {c.code: "G1" for c in app.views.candidates(mid)
                                                 if c.code != "C030"})
    [problem] = app.procedure.setup_gate(mid)
    assert problem == "1 candidate in no discipline group (评议组) — group the candidates by specialty, or put " \
                      "each in a group: C030"
    assert in_chinese(problem) == "1名申报人尚未分入评议组（可按专业分组，或逐一指定）：C030"


def test_a_panel_without_groups_asks_no_group_of_the_candidates(demo_at: MakeApp) -> None:
    """No group among the experts nor the candidates: the candidates are reviewed by the whole panel."""
    app, mid = demo_at(SET_UP)
    _ungrouped(app, mid)
    experts = [m.code for m in app.views.panel(mid) if m.role == "expert"]
    with app.store.write(WHO, "test.no_groups", mid) as tx:
        tx.conn.execute(update(member).where(member.c.meeting_id == mid).values(group_code=None, leader=False))
    assert experts and not any("discipline group" in p for p in app.procedure.setup_gate(mid))
