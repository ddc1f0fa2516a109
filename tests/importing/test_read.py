"""Parsing rosters: every problem found at once, each at the row and column Excel shows."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from openpyxl import Workbook

from app.importing import ImportProblem, read_candidates, read_pool
from app.rules.draw import PoolExpert
from app.services.setup import CandidateInput
from tests.importing import (
    CANDIDATE_HEADER,
    ID1,
    ID2,
    ID3,
    POOL_HEADER,
    candidate,
    expert,
    write_csv,
    write_xlsx,
)


def rules(problems: list[ImportProblem]) -> list[str]:
    return [p.rule for p in problems]


def only(problems: list[ImportProblem], rule: str) -> ImportProblem:
    found = [p for p in problems if p.rule == rule]
    assert len(found) == 1, problems
    return found[0]


# -- clean files -----------------------------------------------------------------------
def test_a_clean_roster_reads_every_row_with_its_excel_row_number(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "c.xlsx", CANDIDATE_HEADER, [
        candidate(),
        candidate("C002", "冯红霞", "市第一人民医院", ID2, "中级", "外科", "G2", "市人民医院/主治医师"),
    ])
    result = read_candidates(path)
    assert result.ok, result.problems
    assert result.rows == [
        CandidateInput("C001", "魏明轩", "市人民医院", "中级", "内科", ID1, "G1", None),
        CandidateInput("C002", "冯红霞", "市第一人民医院", "中级", "外科", ID2, "G2", "市人民医院/主治医师"),
    ]
    assert result.row_numbers == [2, 3]


def test_english_headers_in_any_order_and_optional_columns_left_out(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "c.xlsx", ["Specialty", "LEVEL", "name", "Unit", "code"],
                      [["内科", "副高级", "王海", "市人民医院", "A1"]])
    result = read_candidates(path)
    assert result.ok, result.problems
    assert result.rows == [CandidateInput("A1", "王海", "市人民医院", "副高", "内科")]


def test_spaces_full_width_spaces_and_invisible_characters_are_trimmed(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "c.xlsx", [" 编号　", "姓名", "工作单位", "身份证号", "申报级别", "专业"],
                      [["\u3000C001 ", "王\u3000海", " 市人民医院\u200b", f" {ID1[:6]} {ID1[6:]}\u3000", "　中级 ",
                        "内科\u00a0"]])
    result = read_candidates(path)
    assert result.ok, result.problems
    assert result.rows == [CandidateInput("C001", "王海", "市人民医院", "中级", "内科", ID1)]


def test_a_lowercase_x_is_stored_as_capital_x(tmp_path: Path) -> None:
    number = "11010519491231002x"
    result = read_candidates(write_xlsx(tmp_path / "c.xlsx", CANDIDATE_HEADER, [candidate(id_number=number)]))
    assert result.ok, result.problems
    assert result.rows[0].id_number == "11010519491231002X"


def test_empty_rows_are_skipped_and_row_numbers_stay_those_excel_shows(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "c.xlsx", CANDIDATE_HEADER, [
        candidate(), [None] * 8, ["", "  ", "\u3000"], candidate("C002", id_number="bad"),
    ])
    result = read_candidates(path)
    assert result.row_numbers == [2]
    assert only(result.problems, "candidate.id_number").row == 5


def test_numbers_typed_as_numbers_are_accepted_where_a_number_is_meant(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "p.xlsx", POOL_HEADER, [
        expert(code=1001, years=5.0, served=2025),           # type: ignore[arg-type]
        expert(code="P002", years="7", served="2023,2024", blacklisted="是"),
        expert(code="P003", years=0, served="2024、2025年", blacklisted=False),
    ])
    result = read_pool(path)
    assert result.ok, result.problems
    assert [(e.id, e.title_years, e.served, e.blacklisted) for e in result.rows] == [
        ("1001", 5, (2025,), False), ("P002", 7, (2023, 2024), True), ("P003", 0, (2024, 2025), False)]


def test_pool_lists_split_on_every_separator_but_not_inside_brackets(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "p.xlsx", POOL_HEADER, [
        expert(conflicts="县中医医院、市人民医院（东、西院区）;市康复医院\n市中心血站，县医院,县中医医院"),
    ])
    result = read_pool(path)
    assert result.ok, result.problems
    assert result.rows[0].conflict_units == ("县中医医院", "市人民医院（东、西院区）", "市康复医院", "市中心血站",
                                             "县医院")


def test_pool_defaults_when_the_optional_cells_are_empty(tmp_path: Path) -> None:
    result = read_pool(write_xlsx(tmp_path / "p.xlsx", POOL_HEADER[:6], [expert()[:6]]))
    assert result.ok, result.problems
    assert result.rows == [PoolExpert("P001", "薛国庆", "市妇幼保健院", "内科", "正高", 10)]


# -- where a problem is ----------------------------------------------------------------
def test_a_problem_names_row_column_letter_and_header_exactly_as_excel_shows_them(tmp_path: Path) -> None:
    rows = [candidate("C001"), candidate("C002", id_number=ID2), candidate("C003", id_number=ID3),
            candidate("C004", id_number="431317198801024345")]   # wrong check digit, row 5
    result = read_candidates(write_xlsx(tmp_path / "c.xlsx", CANDIDATE_HEADER, rows))
    p = only(result.problems, "candidate.id_number")
    assert (p.row, p.letter, p.column) == (5, "D", "身份证号")
    assert p.message_zh == "第 5 行 D 列（身份证号）：身份证号的校验码应为 6，而不是 5（请核对号码是否抄错）"
    assert p.message_en == "Row 5, column D (身份证号): ID number check digit should be 6, not 5"
    assert str(p).startswith("[candidate.id_number] 第 5 行 D 列（身份证号）")
    assert result.row_numbers == [2, 3, 4]


def test_the_column_is_named_by_the_header_the_user_wrote(tmp_path: Path) -> None:
    header = ["Code", "Name", "Unit", "Level", "Specialty", "ID number"]
    result = read_candidates(write_xlsx(tmp_path / "c.xlsx", header,
                                        [["C1", "王海", "市人民医院", "中级", "内科", "123"]]))
    p = only(result.problems, "candidate.id_number")
    assert p.message_zh.startswith("第 2 行 F 列（ID number）：身份证号应为 18 位，而不是 3 位")


def test_every_problem_of_the_file_is_reported_sorted_by_row_and_column(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "c.xlsx", CANDIDATE_HEADER, [
        candidate("C001", level="高级"),                      # row 2, E
        candidate("C002", name="", id_number="1234"),          # row 3, B and D
        candidate("", id_number=None, level=None),             # row 4, A and E
    ])
    result = read_candidates(path)
    assert [(p.row, p.letter, p.rule) for p in result.problems] == [
        (2, "E", "import.value"),
        (3, "B", "import.missing_value"), (3, "D", "candidate.id_number"),
        (4, "A", "import.missing_value"), (4, "E", "import.missing_value"),
    ]
    assert result.rows == []


# -- each rule ---------------------------------------------------------------------------
def test_unknown_column_catches_a_typo_in_a_header(tmp_path: Path) -> None:
    header = [*CANDIDATE_HEADER[:3], "身份正号", *CANDIDATE_HEADER[4:]]
    result = read_candidates(write_xlsx(tmp_path / "c.xlsx", header, [candidate()]))
    p = only(result.problems, "import.unknown_column")
    assert (p.row, p.letter, p.column) == (1, "D", "身份正号")
    assert p.message_zh.startswith("第 1 行 D 列（身份正号）：不认识的列“身份正号”")
    assert "身份证号" in p.message_zh and "id_number" in p.message_en


def test_data_under_no_header_is_an_unknown_column(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "c.xlsx", CANDIDATE_HEADER, [candidate(), [*candidate("C002", id_number=ID2),
                                                                            None, "备注"]])
    p = only(read_candidates(path).problems, "import.unknown_column")
    assert (p.row, p.letter, p.column) == (3, "J", None)
    assert p.message_zh.startswith("第 3 行 J 列：这一列有内容，但没有表头")


def test_the_same_column_twice(tmp_path: Path) -> None:
    header = [*CANDIDATE_HEADER, "name"]
    p = only(read_candidates(write_xlsx(tmp_path / "c.xlsx", header, [candidate()])).problems,
             "import.duplicate_column")
    assert (p.row, p.letter) == (1, "I")
    assert "B 列（姓名）" in p.message_zh


def test_a_missing_required_column_is_named_once_not_on_every_row(tmp_path: Path) -> None:
    header = [h for h in CANDIDATE_HEADER if h != "申报级别"]
    rows = [[v for i, v in enumerate(candidate(code)) if i != 4] for code in ("C1", "C2", "C3")]
    result = read_candidates(write_xlsx(tmp_path / "c.xlsx", header, rows))
    assert rules(result.problems) == ["import.missing_column"]
    p = result.problems[0]
    assert (p.row, p.column, p.letter) == (None, "申报级别", None)
    assert p.message_zh.startswith("“申报级别”列：缺少必填列“申报级别”")
    assert result.rows == []


def test_missing_value(tmp_path: Path) -> None:
    p = only(read_candidates(write_xlsx(tmp_path / "c.xlsx", CANDIDATE_HEADER,
                                        [candidate(unit="\u3000")])).problems, "import.missing_value")
    assert p.message_zh == "第 2 行 C 列（工作单位）：“工作单位”必须填写"


@pytest.mark.parametrize(("row", "letter", "allowed"), [
    (expert(title="教授"), "E", "正高、副高、中级"),
    (expert(years=-1), "F", "0 或更大的整数"),
    (expert(years=2.5), "F", "0 或更大的整数"),
    (expert(years="五"), "F", "0 或更大的整数"),
    (expert(served="24,25"), "G", "四位年份"),
    (expert(served=20242025), "G", "千位分隔符"),
    (expert(blacklisted="有"), "H", "“是”或“否”"),
    (expert(code=dt.datetime(2024, 3, 1)), "A", "日期"),
    (expert(name=True), "B", "TRUE/FALSE"),
    (expert(unit="#N/A"), "C", "公式错误"),
])
def test_a_value_that_is_not_allowed_says_what_is(tmp_path: Path, row: list[object], letter: str,
                                                  allowed: str) -> None:
    p = only(read_pool(write_xlsx(tmp_path / "p.xlsx", POOL_HEADER, [row])).problems, "import.value")
    assert (p.row, p.letter) == (2, letter)
    assert allowed in p.message_zh


def test_a_level_that_is_not_allowed_lists_the_levels(tmp_path: Path) -> None:
    p = only(read_candidates(write_xlsx(tmp_path / "c.xlsx", CANDIDATE_HEADER,
                                        [candidate(level="高级")])).problems, "import.value")
    assert p.message_zh == "第 2 行 E 列（申报级别）：“高级”不是允许的值；只能填 正高、副高、中级、初级"
    assert "正高, 副高, 中级, 初级" in p.message_en


def test_a_duplicate_code_names_both_rows_and_keeps_neither_out_of_the_report(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "c.xlsx", CANDIDATE_HEADER, [
        candidate("C001"), candidate("C002", id_number=ID2), candidate("C001", id_number=ID3)])
    result = read_candidates(path)
    p = only(result.problems, "candidate.duplicate")
    assert (p.row, p.letter) == (4, "A")
    assert p.message_zh == "第 4 行 A 列（编号）：编号“C001”与第 2 行重复；每个编号只能出现一次"


def test_the_same_person_twice_under_two_codes_is_a_duplicate(tmp_path: Path) -> None:
    result = read_candidates(write_xlsx(tmp_path / "c.xlsx", CANDIDATE_HEADER,
                                        [candidate("C001"), candidate("C002")]))
    p = only(result.problems, "candidate.duplicate")
    assert (p.row, p.letter, p.column) == (3, "D", "身份证号")


def test_a_duplicate_expert_code(tmp_path: Path) -> None:
    result = read_pool(write_xlsx(tmp_path / "p.xlsx", POOL_HEADER, [expert("P1"), expert("P2"), expert("P1")]))
    p = only(result.problems, "expert.duplicate")
    assert p.row == 4 and "第 2 行" in p.message_zh


@pytest.mark.parametrize("number", [431317198801024346, 4.31317198801024e17])
def test_an_id_number_stored_as_a_number_must_be_text(tmp_path: Path, number: float) -> None:
    p = only(read_candidates(write_xlsx(tmp_path / "c.xlsx", CANDIDATE_HEADER,
                                        [candidate(id_number=number)])).problems, "candidate.id_number")
    assert (p.row, p.letter) == (2, "D")
    assert "必须按文本填写" in p.message_zh and "末位 X" in p.message_zh
    assert "must be entered as text" in p.message_en


def test_an_id_number_in_scientific_notation_from_a_csv_must_be_text(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "c.csv", CANDIDATE_HEADER, [candidate(id_number="4.31317E+17")])
    assert "必须按文本填写" in only(read_candidates(path).problems, "candidate.id_number").message_zh


def test_an_id_number_of_15_digits(tmp_path: Path) -> None:
    p = only(read_candidates(write_xlsx(tmp_path / "c.xlsx", CANDIDATE_HEADER,
                                        [candidate(id_number="431317880102434")])).problems, "candidate.id_number")
    assert "不接受旧的 15 位号码" in p.message_zh


# -- which sheet -------------------------------------------------------------------------
def test_the_template_data_sheet_is_read_wherever_it_is(tmp_path: Path) -> None:
    wb = Workbook()
    first = wb.active
    assert first is not None
    first.title = "封面"
    first.append(["不是花名册"])
    ws = wb.create_sheet("申报人花名册")
    ws.append(CANDIDATE_HEADER)
    ws.append(candidate())
    wb.save(tmp_path / "c.xlsx")
    assert read_candidates(tmp_path / "c.xlsx").rows[0].code == "C001"


def test_without_the_data_sheet_the_first_sheet_that_is_not_notes_or_example(tmp_path: Path) -> None:
    wb = Workbook()
    notes = wb.active
    assert notes is not None
    notes.title = "说明"
    notes.append(["说明文字"])
    ws = wb.create_sheet("名单")
    ws.append(CANDIDATE_HEADER)
    ws.append(candidate())
    wb.save(tmp_path / "c.xlsx")
    result = read_candidates(tmp_path / "c.xlsx")
    assert result.ok and len(result.rows) == 1


def test_an_empty_first_row_is_reported_as_the_missing_header(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "c.xlsx", [None], [CANDIDATE_HEADER, candidate()])
    p = only(read_candidates(path).problems, "import.missing_column")
    assert p.row == 1 and "第 1 行必须是表头" in p.message_zh
