"""The facts captured with the candidates, the pool experts and the quotas (issue 8): the title
applied for and the eligibility facts, quotas bound to a unit and a post (X§10(七) 不得跨专业、
超职数), an expert's telephone and honoraria category — stored, shown by the views, and refused
with both languages naming the row and the field when they cannot be right."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.errors import RuleViolation
from app.rules.draw import PoolExpert, pool_sha256
from app.services import Conclave
from app.services.setup import CandidateInput, CommitteeInput, PlanEdit, PlanInput, QuotaInput
from app.text import in_chinese

from .conftest import MakeApp

WHO = "秘书"
MEETING = dt.date(2026, 11, 20)
NURSE = CandidateInput("C1", "李梅", "市人民医院", "中级", "护理", applied_title="主管护师", education="大学本科",
                       current_title="护师", current_title_date=dt.date(2021, 9, 1), years_in_post=5,
                       exceptional=False)
DOCTOR = CandidateInput("C2", "王海", "市人民医院", "中级", "内科", applied_title="主治医师",
                        quota_key="市人民医院/主治医师")


@pytest.fixture
def app(tmp_path: Path) -> Iterator[Conclave]:
    app = Conclave(tmp_path / "m.sqlite3")
    app.setup.open_meeting(
        CommitteeInput("测试评委会", "intermediate", "series", "卫生系列", dt.date(2025, 1, 6)),
        PlanInput(year=2026, title="测试", place="会议室", plan_filed=dt.date(2026, 11, 2), meeting_date=MEETING,
                  rubric=[("业绩", 100)], secretary=WHO,
                  quotas={"市人民医院/主治医师": QuotaInput(2, "市人民医院", "主治医师"),
                          "县医院/主治医师": QuotaInput(1, "县医院", "主治医师"),
                          "旧职数": 1}))                 # a bare number: bound to nothing
    yield app
    app.close()


def refused(call: object) -> RuleViolation:
    with pytest.raises(RuleViolation) as err:
        call()  # type: ignore[operator]
    return err.value


# -- candidates' facts -------------------------------------------------------------------------------
def test_the_facts_are_stored_and_shown(app: Conclave) -> None:
    app.setup.add_candidates(WHO, 1, [NURSE, DOCTOR])
    nurse, doctor = app.views.candidates(1)
    assert (nurse.applied_title, nurse.education, nurse.current_title, nurse.current_title_date,
            nurse.years_in_post, nurse.exceptional) == ("主管护师", "大学本科", "护师", dt.date(2021, 9, 1), 5, False)
    assert (doctor.applied_title, doctor.education, doctor.current_title_date, doctor.exceptional) == (
        "主治医师", None, None, None)                     # not given stays not given
    assert CandidateInput.of(nurse) == NURSE


def test_a_corrected_fact_is_audited(app: Conclave) -> None:
    app.setup.add_candidates(WHO, 1, [NURSE])
    changed = app.setup.edit_candidate(WHO, 1, dataclasses.replace(NURSE, exceptional=True, years_in_post=3,
                                                                   current_title_date=dt.date(2023, 7, 1)),
                                       "破格申报，按申报材料更正")
    assert changed == {"exceptional": [False, True], "years_in_post": [5, 3],
                       "current_title_date": [dt.date(2021, 9, 1), dt.date(2023, 7, 1)]}
    assert app.views.candidates(1)[0].exceptional is True


@pytest.mark.parametrize(("changes", "field", "zh"), [
    ({"current_title_date": dt.date(2026, 11, 21)}, "current_title_date", "晚于评审会议日期2026-11-20"),
    ({"current_title_date": dt.date(2099, 1, 1)}, "current_title_date", "晚于今天"),
    ({"current_title_date": dt.date(1900, 1, 1)}, "current_title_date", "不合常理"),
    ({"years_in_post": -1}, "years_in_post", "任职年限须在0至50年之间"),
    ({"years_in_post": 51, "current_title_date": None}, "years_in_post", "任职年限须在0至50年之间"),
    ({"years_in_post": 7}, "years_in_post", "不超过6年"),       # title of 2021-09-01: 6 years begun by the meeting
    ({"applied_title": "主" * 41}, "applied_title", "申报资格超过40个字"),
])
def test_implausible_facts_are_refused_naming_row_and_field(app: Conclave, changes: dict[str, object],
                                                            field: str, zh: str) -> None:
    err = refused(lambda: app.setup.add_candidates(WHO, 1, [DOCTOR, dataclasses.replace(NURSE, **changes)]))
    [v] = err.violations
    assert (v.rule, v.field) == ("candidate.facts", field)
    assert v.zh is not None and v.zh.startswith("第2行（C1）：") and zh in v.zh
    assert str(v.message).startswith("row 2 (C1): ")
    assert app.views.candidates(1) == []


def test_six_begun_years_are_accepted(app: Conclave) -> None:
    app.setup.add_candidates(WHO, 1, [dataclasses.replace(NURSE, years_in_post=6)])
    assert app.views.candidates(1)[0].years_in_post == 6


# -- quotas bound to a unit and a post ---------------------------------------------------------------
def test_the_plan_binds_quotas_to_a_unit_and_a_post(app: Conclave) -> None:
    quotas = {q.key: (q.places, q.unit, q.post) for q in app.views.quota_details(1)}
    assert quotas == {"市人民医院/主治医师": (2, "市人民医院", "主治医师"),
                      "县医院/主治医师": (1, "县医院", "主治医师"), "旧职数": (1, None, None)}
    assert app.views.plan(1).quotas == {"市人民医院/主治医师": 2, "县医院/主治医师": 1, "旧职数": 1}


def test_a_nurse_cannot_carry_a_quota_for_主治医师(app: Conclave) -> None:
    nurse = dataclasses.replace(NURSE, quota_key="市人民医院/主治医师")
    err = refused(lambda: app.setup.add_candidates(WHO, 1, [DOCTOR, nurse]))
    [v] = err.violations
    assert (v.rule, v.field, v.ref) == ("candidate.quota_post", "quota_key", "X§10(七)")
    assert v.zh == ("第2行（C1）：职数“市人民医院/主治医师”用于主治医师岗位，申报人申报资格为主管护师；"
                    "不得跨专业使用评审职数（第十条第七项）")
    assert app.views.candidates(1) == []


def test_a_quota_of_another_unit_is_refused(app: Conclave) -> None:
    other = dataclasses.replace(DOCTOR, quota_key="县医院/主治医师")
    v = refused(lambda: app.setup.add_candidates(WHO, 1, [other])).violations[0]
    assert v.rule == "candidate.quota_post" and "属于县医院" in in_chinese(v.message)


def test_what_cannot_be_told_is_not_refused(app: Conclave) -> None:
    """An unbound quota fits anyone; a candidate without an applied title is checked on the unit only."""
    app.setup.add_candidates(WHO, 1, [
        DOCTOR, dataclasses.replace(NURSE, quota_key="旧职数"),
        CandidateInput("C3", "赵六", "市人民医院", "中级", "外科", quota_key="市人民医院/主治医师")])
    v = refused(lambda: app.setup.add_candidates(WHO, 1, [CandidateInput(
        "C4", "钱七", "县人民医院", "中级", "外科", quota_key="市人民医院/主治医师")])).violations[0]
    assert v.rule == "candidate.quota_post"


def test_a_correction_is_checked_on_the_quota_too(app: Conclave) -> None:
    app.setup.add_candidates(WHO, 1, [DOCTOR])
    err = refused(lambda: app.setup.edit_candidate(WHO, 1, dataclasses.replace(DOCTOR, applied_title="主管护师"),
                                                   "更正申报资格"))
    assert err.rule == "candidate.quota_post" and "candidate C2" in err.violations[0].message


def _plan_edit(app: Conclave, **changes: object) -> PlanEdit:
    p = app.views.plan(1)
    return dataclasses.replace(PlanEdit(p.title, p.place, p.plan_filed, p.meeting_date, list(p.rubric), dict(p.caps),
                                        dict(p.quotas), p.reduced_panel_approved, p.quorum), **changes)


def test_a_plan_correction_with_places_only_keeps_the_binding(app: Conclave) -> None:
    quotas = dict(app.views.plan(1).quotas, **{"市人民医院/主治医师": 3})
    changed = app.setup.edit_plan(WHO, 1, _plan_edit(app, quotas=quotas), "职数更正")
    assert changed["quotas"][1]["市人民医院/主治医师"] == {"places": 3, "unit": "市人民医院", "post": "主治医师"}
    assert ("市人民医院/主治医师", 3, "市人民医院", "主治医师") in {
        (q.key, q.places, q.unit, q.post) for q in app.views.quota_details(1)}


def test_a_quota_rebound_under_its_carriers_is_refused(app: Conclave) -> None:
    app.setup.add_candidates(WHO, 1, [DOCTOR])
    quotas = dict(app.views.plan(1).quotas)
    quotas["市人民医院/主治医师"] = QuotaInput(2, "市人民医院", "主管护师")     # type: ignore[assignment]
    err = refused(lambda: app.setup.edit_plan(WHO, 1, _plan_edit(app, quotas=quotas), "更正"))
    assert err.rule == "plan.quota_used" and "C2" in err.violations[0].message
    assert "不得跨专业" in in_chinese(err.violations[0].message)


# -- pool experts' phone and category ----------------------------------------------------------------
def _expert(code: str = "P1", **changes: object) -> PoolExpert:
    return dataclasses.replace(PoolExpert(code, "张三", "某学院", "内科", "正高", 5), **changes)


def test_phone_and_category_are_stored_and_shown(app: Conclave) -> None:
    app.setup.add_pool(WHO, 1, [_expert("P1", phone="０７４３-8223456", category="全国知名专家"),
                                _expert("P2", category="正高级专家"), _expert("P3")])
    rows = {e.code: (e.phone, e.category) for e in app.views.pool(1)}
    assert rows == {"P1": ("0743-8223456", "全国知名专家"), "P2": (None, "正高"), "P3": (None, None)}


@pytest.mark.parametrize(("changes", "field", "zh"), [
    ({"phone": "138-1234-567a"}, "phone", "不是电话号码"),
    ({"phone": "12345"}, "phone", "共5位数字"),
    ({"category": "院士"}, "category", "专家类别须为全国知名专家、正高、副高、其他之一"),
])
def test_a_bad_phone_or_category_is_refused(app: Conclave, changes: dict[str, object], field: str, zh: str) -> None:
    v = refused(lambda: app.setup.add_pool(WHO, 1, [_expert(**changes)])).violations[0]
    assert (v.rule, v.field) == ("format.value", field)
    assert v.zh is not None and v.zh.startswith("第1行（P1）：") and zh in v.zh


def test_phone_and_category_are_not_part_of_the_draw() -> None:
    """``conclave draw`` hashes the conclave-draw/1 pool, which has neither field."""
    plain = [_expert("P1"), _expert("P2")]
    told = [dataclasses.replace(e, phone="13907431001", category="副高") for e in plain]
    assert pool_sha256(told) == pool_sha256(plain)
    assert "phone" not in told[0].canonical() and "category" not in told[0].canonical()


def test_the_drawn_panel_shows_phone_and_category(demo_at: MakeApp) -> None:
    app, mid = demo_at(0)
    panel = {m.code: m for m in app.views.panel(mid)}
    assert (panel["P014"].phone, panel["P014"].category) == ("13907400014", "全国知名专家")
    assert (panel["M01"].phone, panel["M01"].category) == (None, None)       # the chair is not in the pool
    assert {m.code: m.category for m in app.views.members(mid)}["P011"] == "副高"


def test_a_correction_without_phone_or_category_keeps_them_and_an_empty_one_clears(demo_at: MakeApp) -> None:
    app, mid = demo_at(0)
    e = next(e for e in app.views.pool(mid) if e.code == "P001")
    old_file_row = PoolExpert(e.code, e.name, e.unit, e.specialty, e.title, e.title_years + 1, e.served,
                              e.blacklisted, e.conflict_units)               # no phone, no category: not given
    assert app.setup.edit_pool_expert(WHO, mid, old_file_row, "任职年限更正") == {
        "title_years": [e.title_years, e.title_years + 1]}
    assert next(x for x in app.views.pool(mid) if x.code == "P001").phone == "13907400001"
    changed = app.setup.edit_pool_expert(WHO, mid, dataclasses.replace(old_file_row, phone="", category=""),
                                         "联系电话和类别待核实")
    assert changed == {"phone": ["13907400001", None], "category": ["正高", None]}


def test_a_window_row_written_unit_slash_post_binds_its_quota() -> None:
    """The start dialog and the plan correction give quotas as rows (key, places): a key written
    单位/岗位 — as the roster's 职数 column writes it — is bound to that unit and post."""
    from app.services.plan import QuotaInput

    assert QuotaInput.from_key("吉首市人民医院/主治医师", 2) == QuotaInput(2, "吉首市人民医院", "主治医师")
    assert QuotaInput.from_key(" 吉首市人民医院 ／ 主管护师 ", 1) == QuotaInput(1, "吉首市人民医院", "主管护师")
    for unbound in ("内科职数", "/主治医师", "吉首市人民医院/", "甲/乙/丙"):
        assert QuotaInput.from_key(unbound, 3) == QuotaInput(3)
