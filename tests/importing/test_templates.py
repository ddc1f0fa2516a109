"""Templates and the demo rosters: what the secretary downloads reads back as intended."""

from __future__ import annotations

import codecs
import csv
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from app.importing import CANDIDATES, POOL, ImportResult, Kind, read_candidates, read_pool, write_roster, write_template
from app.importing.templates import DEMO_FILES, EXAMPLES, demo_rows, write_demo_rosters
from tests.conftest import ROOT
from tests.importing import ID1, ID2

READERS = {"candidates": read_candidates, "pool": read_pool}
SAMPLE = ROOT / "resources" / "sample"


def read(kind: Kind, path: Path) -> ImportResult[Any]:
    return READERS[kind](path)  # type: ignore[operator]


@pytest.mark.parametrize("kind", ["candidates", "pool"])
@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_an_unedited_template_imports_cleanly_as_zero_rows(tmp_path: Path, kind: Kind, suffix: str) -> None:
    result = read(kind, write_template(kind, tmp_path / f"t{suffix}"))
    assert result.ok, result.problems
    assert result.rows == []


def test_the_csv_template_is_utf8_with_a_byte_order_mark_and_the_header(tmp_path: Path) -> None:
    data = write_template("pool", tmp_path / "t.csv").read_bytes()
    assert data.startswith(codecs.BOM_UTF8)
    assert data[3:].decode("utf-8").splitlines() == [",".join(c.header for c in POOL.columns)]


def test_the_xlsx_template_layout(tmp_path: Path) -> None:
    wb = load_workbook(write_template("candidates", tmp_path / "t.xlsx"))
    assert wb.sheetnames == ["申报人花名册", "说明", "示例"]
    ws = wb["申报人花名册"]
    assert [c.value for c in ws[1]] == [c.header for c in CANDIDATES.columns]
    assert ws.max_row == 1
    assert ws.freeze_panes == "A2"
    assert all(c.font.b for c in ws[1])
    assert all(c.comment is not None and c.comment.text for c in ws[1])
    assert ws.column_dimensions["B"].width >= 10 and ws.column_dimensions["C"].width > ws.column_dimensions["B"].width
    assert ws.column_dimensions["F"].number_format == "@"            # 身份证号 as text
    lists = {str(dv.sqref): dv for dv in ws.data_validations.dataValidation}
    assert lists["D2:D2000"].formula1 == '"正高,副高,中级,初级"'
    assert lists["F2:F2000"].type == "textLength"
    notes = [str(c.value) for row in wb["说明"].iter_rows() for c in row if c.value]
    for column in CANDIDATES.columns:
        assert column.header in notes and column.help_zh in notes and column.help_en in notes
    assert wb["示例"].sheet_properties.tabColor.rgb.endswith("FFC000")


def test_the_pool_template_offers_titles_and_yes_no(tmp_path: Path) -> None:
    ws = load_workbook(write_template("pool", tmp_path / "t.xlsx"))["评审专家库"]
    formulas = {str(dv.sqref): (dv.type, dv.formula1) for dv in ws.data_validations.dataValidation}
    assert formulas["E2:E2000"] == ("list", '"正高,副高,中级"')
    assert formulas["F2:F2000"] == ("whole", "0")
    assert formulas["H2:H2000"] == ("list", '"是,否"')
    assert ws.column_dimensions["F"].number_format != "@"             # 任职年限 is a number


@pytest.mark.parametrize("kind", ["candidates", "pool"])
def test_the_example_sheet_is_valid_data(tmp_path: Path, kind: Kind) -> None:
    path = write_template(kind, tmp_path / "t.xlsx")
    wb = load_workbook(path)
    spec = CANDIDATES if kind == "candidates" else POOL
    del wb[spec.sheet]
    wb["示例"].title = spec.sheet
    wb.save(path)
    result = read(kind, path)
    assert result.ok, result.problems
    assert result.rows == list(EXAMPLES[kind])


def test_round_trip_template_filled_in_by_hand(tmp_path: Path) -> None:
    path = write_template("candidates", tmp_path / "t.xlsx")
    wb = load_workbook(path)
    ws = wb["申报人花名册"]
    ws.append(["C001", "王海", "市人民医院", "中级", "内科", ID1, "G1", None])
    ws.append([None] * 8)
    ws["A4"], ws["B4"], ws["C4"], ws["D4"], ws["E4"], ws["F4"] = "C002", "李梅", "县医院", "中级", "护理", ID2
    wb.save(path)
    result = read_candidates(path)
    assert result.ok, result.problems
    assert [(c.code, c.name, c.id_number, c.group) for c in result.rows] == [
        ("C001", "王海", ID1, "G1"), ("C002", "李梅", ID2, None)]
    assert result.row_numbers == [2, 4]


@pytest.mark.parametrize("kind", ["candidates", "pool"])
@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_a_written_roster_reads_back_to_the_same_rows(tmp_path: Path, kind: Kind, suffix: str) -> None:
    rows = demo_rows()[kind]
    result = read(kind, write_roster(kind, tmp_path / f"r{suffix}", rows))
    assert result.ok, result.problems
    assert result.rows == rows


def test_write_roster_refuses_other_suffixes(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=r"\.xlsx or \.csv"):
        write_template("pool", tmp_path / "t.xls")


def cell_values(path: Path) -> dict[str, list[list[Any]]]:
    wb = load_workbook(path)
    return {ws.title: [[c.value for c in row] for row in ws.iter_rows()] for ws in wb.worksheets}


def test_the_committed_demo_rosters_are_what_the_code_writes(tmp_path: Path) -> None:
    """If this fails, regenerate them:
    python -c "from app.importing import write_demo_rosters as w; w('resources/sample')"
    """
    written = write_demo_rosters(tmp_path)
    for path in written:
        assert cell_values(SAMPLE / path.name) == cell_values(path), path.name


def test_the_demo_rosters_hold_the_demo_meeting(tmp_path: Path) -> None:
    rows = demo_rows()
    for kind, name in DEMO_FILES.items():
        result = read(kind, SAMPLE / name)
        assert result.ok, result.problems
        assert result.rows == rows[kind]
    assert len(rows["candidates"]) == 30 and len(rows["pool"]) == 39


def test_csv_roster_cells_are_as_a_user_types_them(tmp_path: Path) -> None:
    path = write_roster("pool", tmp_path / "p.csv", demo_rows()["pool"])
    with path.open(encoding="utf-8-sig", newline="") as f:
        rows = {r["编号"]: r for r in csv.DictReader(f)}
    assert rows["P003"]["近年参评年份"] == "2024、2025"
    assert rows["P016"]["失信黑名单"] == "是" and rows["P001"]["失信黑名单"] == "否"
    assert rows["P031"]["回避单位"] == "县中医医院"
