"""Corrections of the expert pool (资深中级 approvals included), the chair and vice-chair, and the
draw re-run with a written reason; each refused, with nothing written, once step 1 is finished."""

from __future__ import annotations

import dataclasses

import pytest

from app.domain import Role, Step
from app.rules.draw import PoolExpert
from app.services import Conclave
from app.services.setup import MemberInput
from app.text import in_chinese

from .conftest import MakeApp
from .events import last_event, refused
from .test_setup_corrections import SET_UP, WHO


def _pool_expert(app: Conclave, mid: int, code: str, **changes: object) -> PoolExpert:
    e = next(e for e in app.views.pool(mid) if e.code == code)
    row = PoolExpert(e.code, e.name, e.unit, e.specialty, e.title, e.title_years, e.served, e.blacklisted,
                     e.conflict_units, e.phone, e.category)
    return dataclasses.replace(row, **changes)


def _drawn(app: Conclave, mid: int) -> list[str]:
    record = app.views.draw_record(mid)
    assert record is not None
    return [c for codes in record.drawn.values() for c in codes]


def _redraw(app: Conclave, mid: int, reason: str = "原抽取结果须更正") -> dict:
    record = app.views.draw_record(mid)
    assert record is not None
    return app.setup.redraw(WHO, mid, reason=reason, witness=record.witness, needs=record.needs, alternates=1)


# -- the pool ---------------------------------------------------------------------------------------
def test_a_drawn_pool_expert_is_corrected_in_the_pool_and_on_the_panel(demo_at: MakeApp) -> None:
    app, mid = demo_at(SET_UP)
    code = _drawn(app, mid)[0]
    changed = app.setup.edit_pool_expert(WHO, mid, _pool_expert(app, mid, code, name="更正名"), "姓名录入有误")
    assert list(changed) == ["name"]
    assert next(e for e in app.views.pool(mid) if e.code == code).name == "更正名"
    assert next(m for m in app.views.panel(mid) if m.code == code).name == "更正名"
    assert last_event(app)[1:] == ("pool.edit", {"expert": code, "reason": "姓名录入有误", "changed": changed})
    assert app.procedure.setup_gate(mid) == []           # still drawable: nothing to re-run

    app.setup.edit_pool_expert(WHO, mid, _pool_expert(app, mid, code, blacklisted=True), "列入失信黑名单")
    assert any(f"Drawn expert {code}" in m for m in app.procedure.setup_gate(mid))
    other = _drawn(app, mid)[1]
    app.setup.remove_pool_expert(WHO, mid, other, "任期届满，退出专家库")
    assert other not in {e.code for e in app.views.pool(mid)}
    gate = app.procedure.setup_gate(mid)
    assert any(f"Drawn expert {other} is no longer in the expert pool" in m for m in gate)
    _redraw(app, mid, "两名抽取评委已不得参加评审")
    panel = {m.code for m in app.views.panel(mid)}
    assert code not in panel and other not in panel
    gate = app.procedure.setup_gate(mid)
    assert not any("Drawn expert" in m for m in gate)
    assert any("Experts not seated in a discipline group" in m for m in gate)   # the new panel is seated anew


def test_pool_corrections_need_a_reason_and_a_valid_expert(demo_at: MakeApp) -> None:
    app, mid = demo_at(SET_UP)
    assert refused(app, lambda: app.setup.edit_pool_expert(WHO, mid, _pool_expert(app, mid, "P001", name="某"),
                                                            "")).rule == "pool.reason"
    bad = _pool_expert(app, mid, "P001", title="初级")
    assert refused(app, lambda: app.setup.edit_pool_expert(WHO, mid, bad, "更正")).rule == "format.value"
    assert refused(app, lambda: app.setup.remove_pool_expert(WHO, mid, "P999", "更正")).rule == "expert.unknown"
    assert refused(app, lambda: app.setup.remove_pool_expert(WHO, mid, "P001", " ")).rule == "pool.reason"


def test_senior_intermediate_experts_are_drawn_once_approved_and_only_up_to_a_quarter(demo_at: MakeApp) -> None:
    """The template asks for 资深中级 to be entered as 中级; the draw refused them for good. Now the
    approval is recorded per expert, at most 1/4 of the pool."""
    app, mid = demo_at(SET_UP)
    cid = app.views.plan(mid).committee_id
    added = [PoolExpert(f"S{i:02d}", f"资深{i}", f"县第{i}卫生院", "内科", "中级", 20) for i in range(1, 15)]
    app.setup.add_pool(WHO, cid, added)                  # 39 + 14 = 53 experts: at most 13 may be 资深中级
    err = refused(app, lambda: _redraw(app, mid))
    assert err.rule == "pool.senior_intermediate" and "S01 资深1" in err.violations[0].message
    assert "请在专家库页登记批准文件" in in_chinese(err.violations[0].message)

    assert refused(app, lambda: app.setup.approve_senior_intermediate(WHO, mid, "S01", " ")).rule == "pool.approval"
    assert refused(app, lambda: app.setup.approve_senior_intermediate(WHO, mid, "P001", "湘人社函〔2026〕9号")
                    ).rule == "pool.approval"                    # P001 holds 正高
    for e in added[:13]:
        app.setup.approve_senior_intermediate(WHO, mid, e.id, "湘人社函〔2026〕9号")
    assert last_event(app)[1:] == ("pool.approve_senior_intermediate",
                                    {"expert": "S13", "approval": "湘人社函〔2026〕9号", "name": "资深13",
                                     "previous": None})
    assert {e.code: e.hr_approval for e in app.views.pool(mid)}["S13"] == "湘人社函〔2026〕9号"
    err = refused(app, lambda: app.setup.approve_senior_intermediate(WHO, mid, "S14", "湘人社函〔2026〕9号"))
    assert err.rule == "pool.senior_intermediate" and "at most 13" in err.violations[0].message
    assert refused(app, lambda: _redraw(app, mid)).rule == "pool.senior_intermediate"   # S14 still unapproved

    app.setup.remove_pool_expert(WHO, mid, "S14", "未获人社部门批准")
    result = _redraw(app, mid, "补充资深中级专家后重新抽取")
    assert sum(len(v) for v in result["drawn"].values()) == 13
    # a title corrected away from 中级 drops the approval
    app.setup.edit_pool_expert(WHO, mid, _pool_expert(app, mid, "S01", title="副高", title_years=3), "职称更正")
    assert next(e for e in app.views.pool(mid) if e.code == "S01").hr_approval is None


# -- chair and vice-chair ---------------------------------------------------------------------------
def test_the_chair_is_replaced_and_the_vice_chair_removed_with_reasons(demo_at: MakeApp) -> None:
    app, mid = demo_at(SET_UP)
    new = MemberInput("M09", "钱主任", "市卫生健康委员会", "正高", Role.CHAIR)
    app.setup.replace_presiding(WHO, mid, "M01", new, "原主任委员因公出差，经批准更换")
    presiding = {m.code: m for m in app.views.panel(mid) if m.presides}
    assert set(presiding) == {"M09", "M02"} and presiding["M09"].name == "钱主任"
    assert not presiding["M09"].checked_in
    _actor, action, data = last_event(app)
    assert (action, data["member"], data["reason"], data["old"]["name"]) == (
        "panel.replace", "M01", "原主任委员因公出差，经批准更换", "欧阳立群")
    app.setup.remove_presiding(WHO, mid, "M02", "副主任委员不再设置")
    assert {m.code for m in app.views.panel(mid) if m.presides} == {"M09"}

    expert = _drawn(app, mid)[0]
    assert refused(app, lambda: app.setup.remove_presiding(WHO, mid, expert, "更换")).rule == "panel.role"
    assert refused(app, lambda: app.setup.replace_presiding(WHO, mid, "M09", dataclasses.replace(new, code=expert),
                                                             "更换")).rule == "expert.duplicate"
    assert refused(app, lambda: app.setup.replace_presiding(WHO, mid, "M09", new, "")).rule == "panel.reason"
    assert refused(app, lambda: app.setup.replace_presiding(
        WHO, mid, "M09", dataclasses.replace(new, role=Role.EXPERT), "更换")).rule == "panel.role"
    app.setup.remove_presiding(WHO, mid, "M09", "主任委员待定")
    assert "The chair (主任委员) is not on the panel" in app.procedure.setup_gate(mid)


# -- the draw, re-run ------------------------------------------------------------------------------
def test_the_draw_is_rerun_only_with_a_reason_and_the_earlier_one_is_kept(demo_at: MakeApp) -> None:
    app, mid = demo_at(SET_UP)
    first = app.views.draw_record(mid)
    assert first is not None and app.views.draw_history(mid) == []
    assert refused(app, lambda: app.setup.run_draw(WHO, mid, witness=first.witness, needs=first.needs)).rule == \
        "draw.done"
    assert refused(app, lambda: _redraw(app, mid, reason=" ")).rule == "draw.reason"
    assert refused(app, lambda: app.setup.redraw(WHO, mid, reason="重抽", witness="", needs=first.needs)).rule == \
        "draw.witness"
    _redraw(app, mid, "抽取时监督人员未到场，经研究重新抽取")
    second = app.views.draw_record(mid)
    assert second is not None and second.seed != first.seed
    [earlier] = app.views.draw_history(mid)
    assert (earlier.number, earlier.seed, earlier.drawn, earlier.witness) == (1, first.seed, first.drawn,
                                                                              first.witness)
    assert (earlier.replaced_by, earlier.reason) == (WHO, "抽取时监督人员未到场，经研究重新抽取")
    experts = {m.code for m in app.views.panel(mid) if m.role == "expert"}
    assert experts == {c for codes in second.drawn.values() for c in codes}
    _actor, action, data = last_event(app)
    assert action == "draw.rerun" and data["replaces"] == 1 and data["seed"] == second.seed
    _redraw(app, mid, "再次更正")
    assert [d.number for d in app.views.draw_history(mid)] == [1, 2]


def test_after_step_one_the_pool_panel_and_draw_are_locked(demo_at: MakeApp) -> None:
    app, mid = demo_at(Step.PREPARATORY)
    code = _drawn(app, mid)[0]
    calls = [
        lambda: app.setup.edit_pool_expert(WHO, mid, _pool_expert(app, mid, code, name="某"), "更正"),
        lambda: app.setup.remove_pool_expert(WHO, mid, code, "更正"),
        lambda: app.setup.approve_senior_intermediate(WHO, mid, code, "湘人社函〔2026〕9号"),
        lambda: app.setup.replace_presiding(WHO, mid, "M01", MemberInput("M09", "钱主任", "某单位", "正高",
                                                                          Role.CHAIR), "更换"),
        lambda: app.setup.remove_presiding(WHO, mid, "M02", "更换"),
        lambda: _redraw(app, mid),
    ]
    for call in calls:
        err = refused(app, call)
        assert err.rule == "step.locked", err


@pytest.mark.parametrize("step", [Step.PRIMARY_REVIEW])
def test_a_reopened_step_one_cannot_redraw_experts_who_have_reviewed(demo_at: MakeApp, step: Step) -> None:
    app, mid = demo_at(step)
    app.procedure.reopen(WHO, mid, Step.PREPARATORY, "M01", "评委名单需要核对")
    err = refused(app, lambda: _redraw(app, mid))
    assert err.rule == "draw.worked"


def test_a_corrected_pool_file_is_imported_again_as_an_update(demo_at: MakeApp, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Today's refusal of a file imported before (every code a duplicate) becomes an update: the
    experts already in the pool are corrected from the file, the others added, with one reason."""
    from app.importing import import_pool, reimport_pool, write_roster

    app, mid = demo_at(SET_UP)
    cid = app.views.plan(mid).committee_id
    rows = [_pool_expert(app, mid, e.code) for e in app.views.pool(mid)]
    drawn = _drawn(app, mid)[0]
    fixed = [dataclasses.replace(e, unit="市第一人民医院") if e.id == drawn else e for e in rows]
    path = write_roster("pool", tmp_path / "pool.xlsx", [*fixed, PoolExpert("P040", "新专家", "县医院", "内科",
                                                                            "正高", 6)])
    duplicates = import_pool(app, WHO, cid, path)
    assert not duplicates.ok and {p.rule for p in duplicates.problems} == {"expert.duplicate"}
    assert refused(app, lambda: reimport_pool(app, WHO, mid, path, " ")).rule == "pool.reason"
    report = reimport_pool(app, WHO, mid, path, "专家库名单更正后重新导入")
    assert report.ok and report.imported == 2
    pool = {e.code: e for e in app.views.pool(mid)}
    assert pool[drawn].unit == "市第一人民医院" and pool["P040"].name == "新专家" and len(pool) == 40
    assert next(m for m in app.views.panel(mid) if m.code == drawn).unit == "市第一人民医院"
    _actor, action, data = last_event(app)
    assert action == "pool.update" and data["added"] == ["P040"] and set(data["corrected"]) == {drawn}
    assert data["corrected"][drawn]["unit"][1] == "市第一人民医院" and data["reason"] == "专家库名单更正后重新导入"
    assert any(f"Drawn expert {drawn}" in m for m in app.procedure.setup_gate(mid))   # now a candidate's unit
    assert refused(app, lambda: reimport_pool(app, WHO, mid, path, "再次")).rule == "pool.unchanged"
