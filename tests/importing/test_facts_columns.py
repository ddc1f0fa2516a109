"""The optional columns of the facts (issue 8): 申报资格, 学历, 现职称, 现职称取得时间, 任职年限, 是否破格 in
the candidate roster; 联系电话, 专家类别 in the pool. A file made before them still imports; the new
cells are parsed; a bad cell is named by its row and column; the service's own checks of the facts
(a title obtained after the meeting, a quota of another post) come back at their row and column."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from openpyxl import load_workbook

from app.importing import CANDIDATES, POOL, import_candidates, read_candidates, read_pool, write_template
from tests.importing import CANDIDATE_HEADER, ID1, ID2, POOL_HEADER, candidate, expert, write_csv, write_xlsx
from tests.importing.test_store import SECRETARY, Meeting, m  # noqa: F401  (the fixture)

FACTS = ["申报资格", "学历", "现职称", "现职称取得时间", "任职年限", "是否破格"]


def test_a_roster_made_before_the_facts_still_imports(tmp_path: Path) -> None:
    result = read_candidates(write_xlsx(tmp_path / "old.xlsx", CANDIDATE_HEADER, [candidate()]))
    assert result.ok, result.problems
    [c] = result.rows
    assert (c.applied_title, c.education, c.current_title, c.current_title_date, c.years_in_post,
            c.exceptional) == (None, None, None, None, None, None)
    pool = read_pool(write_xlsx(tmp_path / "pool.xlsx", POOL_HEADER, [expert()]))
    assert pool.ok and (pool.rows[0].phone, pool.rows[0].category) == (None, None)


def test_the_fact_columns_are_read(tmp_path: Path) -> None:
    rows = [[*candidate(), "主治医师", "大学本科", "医师", dt.datetime(2019, 7, 1), 7.0, "否"],
            [*candidate("C002", id_number=ID2), "主管护师", "大学专科", "护师", "2021年9月1日", "5", "是"],
            [*candidate("C003", id_number=None), "主治医师", None, None, "2020/6/30", None, None]]
    result = read_candidates(write_xlsx(tmp_path / "new.xlsx", CANDIDATE_HEADER + FACTS, rows))
    assert result.ok, result.problems
    assert [(c.applied_title, c.education, c.current_title, c.current_title_date, c.years_in_post, c.exceptional)
            for c in result.rows] == [
        ("主治医师", "大学本科", "医师", dt.date(2019, 7, 1), 7, False),
        ("主管护师", "大学专科", "护师", dt.date(2021, 9, 1), 5, True),
        ("主治医师", None, None, dt.date(2020, 6, 30), None, False)]     # 是否破格 there but blank: 否


def test_bad_fact_cells_are_named_by_row_and_column(tmp_path: Path) -> None:
    rows = [[*candidate(), "主治医师", "大学本科", "医师", "2019-07", "七年", "可能"],
            [*candidate("C002", id_number=ID2), "主治医师", None, None, 43647, -1, None]]
    result = read_candidates(write_csv(tmp_path / "bad.csv", CANDIDATE_HEADER + FACTS, rows))
    found = {(p.row, p.letter, p.column): p.message_zh for p in result.problems}
    assert "只有年月" in found[(2, "L", "现职称取得时间")]
    assert "应填 0 或更大的整数" in found[(2, "M", "任职年限")]
    assert "只能填“是”或“否”" in found[(2, "N", "是否破格")]
    assert "不是日期" in found[(3, "L", "现职称取得时间")]         # CSV: 43647 is text, not a date
    assert found[(3, "M", "任职年限")].startswith("第 3 行 M 列（任职年限）：")
    assert all(p.rule == "import.value" for p in result.problems) and not result.rows[1:]


def test_an_excel_serial_number_is_not_taken_for_a_date(tmp_path: Path) -> None:
    rows = [[*candidate(), "主治医师", None, None, 43647, None, None]]
    result = read_candidates(write_xlsx(tmp_path / "serial.xlsx", CANDIDATE_HEADER + FACTS, rows))
    [p] = result.problems
    assert p.column == "现职称取得时间" and "是数字，不是日期" in p.message_zh


def test_phone_and_category_columns(tmp_path: Path) -> None:
    header = [*POOL_HEADER, "联系电话", "专家类别"]
    good = read_pool(write_xlsx(tmp_path / "p.xlsx", header, [
        [*expert(), 13907431001, "全国知名专家"], [*expert("P002"), "0743-8223456", "副高级专家"],
        [*expert("P003"), None, None]]))
    assert good.ok, good.problems
    assert [(e.phone, e.category) for e in good.rows] == [
        ("13907431001", "全国知名专家"), ("0743-8223456", "副高"), (None, None)]
    bad = read_pool(write_xlsx(tmp_path / "q.xlsx", header, [[*expert(), "电话未知", "院士"]]))
    found = {p.column: p.message_zh for p in bad.problems}
    assert set(found) == {"联系电话", "专家类别"}
    assert "不是电话号码" in found["联系电话"] and "全国知名专家、正高、副高、其他" in found["专家类别"]


def test_the_templates_offer_the_new_columns(tmp_path: Path) -> None:
    wb = load_workbook(write_template("candidates", tmp_path / "c.xlsx"))
    header = [c.value for c in wb["申报人花名册"][1]]
    assert header == [c.header for c in CANDIDATES.columns] and header[-6:] == FACTS
    notes = [str(c.value) for row in wb["说明"].iter_rows() for c in row if c.value]
    assert any("不是专业" in n for n in notes)
    pool = load_workbook(write_template("pool", tmp_path / "p.xlsx"))["评审专家库"]
    assert [c.value for c in pool[1]][-2:] == ["联系电话", "专家类别"] == [c.header for c in POOL.columns][-2:]
    lists = {str(dv.sqref): dv.formula1 for dv in pool.data_validations.dataValidation}
    assert lists["K2:K2000"] == '"全国知名专家,正高,副高,其他"'


def test_the_services_refusals_of_the_facts_come_back_at_their_cells(m: Meeting, tmp_path: Path) -> None:  # noqa: F811
    """A title obtained after the meeting, and a nurse carrying the 主治医师 quota (X§10(七))."""
    rows = [[*candidate(quota="市人民医院/主治医师"), "主治医师", None, "医师", "2026-11-25", None, None],
            [*candidate("C002", id_number=ID2, specialty="护理", quota="市人民医院/主治医师"), "主管护师",
             None, None, None, None, None]]
    report = import_candidates(m.app, SECRETARY, m.meeting_id,
                               write_xlsx(tmp_path / "r.xlsx", CANDIDATE_HEADER + FACTS, rows))
    found = {(p.row, p.column, p.rule): p.message_zh for p in report.problems}
    assert found[(2, "现职称取得时间", "candidate.facts")] == (
        "第 2 行 L 列（现职称取得时间）：现职称取得时间2026-11-25晚于评审会议日期2026-11-20，请核对")
    quota = found[(3, "职数", "candidate.quota_post")]
    assert quota.startswith("第 3 行 H 列（职数）：职数“市人民医院/主治医师”用于主治医师岗位") and "不得跨专业" in quota
    assert m.candidates() == 0


def test_the_demo_roster_carries_the_facts() -> None:
    from tests.importing.test_templates import SAMPLE

    rows = read_candidates(SAMPLE / "demo_candidates.xlsx").rows
    assert all(c.applied_title in ("主治医师", "主管护师") and c.current_title_date for c in rows)
    assert [c.code for c in rows if c.exceptional] == ["C012"]
    pool = read_pool(SAMPLE / "demo_pool.xlsx").rows
    assert all(e.phone and e.category for e in pool)
    assert [e.id for e in pool if e.category == "全国知名专家"] == ["P014"]
    assert ID1 in {c.id_number for c in rows}
