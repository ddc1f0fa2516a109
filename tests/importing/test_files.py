"""File formats: CSV encodings as Chinese Excel writes them, and files that cannot be read."""

from __future__ import annotations

import codecs
import zipfile
from pathlib import Path

import pytest

from app.importing import ImportProblem, read_candidates, read_pool
from app.importing.files import MAX_DATA_ROWS
from tests.importing import CANDIDATE_HEADER, ID1, ID2, POOL_HEADER, candidate, expert, write_csv, write_xlsx


def file_problem(problems: list[ImportProblem]) -> ImportProblem:
    assert len(problems) == 1, problems
    p = problems[0]
    assert p.rule == "import.file" and p.row is None and p.letter is None
    return p


def test_csv_in_utf8_with_a_byte_order_mark(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "c.csv", CANDIDATE_HEADER, [candidate(name="欧阳立群")], encoding="utf-8-sig")
    assert path.read_bytes().startswith(codecs.BOM_UTF8)
    result = read_candidates(path)
    assert result.ok, result.problems
    assert result.rows[0].name == "欧阳立群"


def test_csv_in_utf8_without_a_byte_order_mark(tmp_path: Path) -> None:
    result = read_candidates(write_csv(tmp_path / "c.csv", CANDIDATE_HEADER, [candidate()], encoding="utf-8"))
    assert result.ok and result.rows[0].unit == "市人民医院"


def test_csv_in_gb18030_as_chinese_excel_saves_it(tmp_path: Path) -> None:
    # 㐀 (Ext A) and 𠀀 (Ext B) exist only in GB18030, not in GBK: the rare characters survive.
    path = write_csv(tmp_path / "c.csv", CANDIDATE_HEADER, [candidate(name="王㐀𠀀"), candidate(
        "C002", "司马红梅", "县中医医院", ID2)], encoding="gb18030")
    with pytest.raises(UnicodeDecodeError):
        path.read_bytes().decode("utf-8")
    result = read_candidates(path)
    assert result.ok, result.problems
    assert [c.name for c in result.rows] == ["王㐀𠀀", "司马红梅"]


def test_csv_row_numbers_count_records_not_lines(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "p.csv", POOL_HEADER, [
        expert("P1", conflicts="县中医医院\n市人民医院"), expert("P2", years="x")])
    result = read_pool(path)
    assert result.rows[0].conflict_units == ("县中医医院", "市人民医院")
    assert [(p.row, p.letter) for p in result.problems] == [(3, "F")]


def test_csv_text_kept_by_excel_formula_quotes(tmp_path: Path) -> None:
    path = tmp_path / "c.csv"
    path.write_text(",".join(CANDIDATE_HEADER) + f'\nC001,王海,市人民医院,="{ID1}",中级,内科,,\n', "utf-8")
    result = read_candidates(path)
    assert result.ok, result.problems
    assert result.rows[0].id_number == ID1


def test_a_tab_separated_file(tmp_path: Path) -> None:
    path = tmp_path / "c.txt"
    path.write_text("\t".join(CANDIDATE_HEADER) + "\n" + "\t".join(v or "" for v in candidate()) + "\n", "utf-8")
    assert read_candidates(path).rows[0].code == "C001"


def test_a_header_only_csv_is_zero_rows_and_no_problem(tmp_path: Path) -> None:
    result = read_pool(write_csv(tmp_path / "p.csv", POOL_HEADER, []))
    assert result.ok and result.rows == []


def test_utf16_is_refused_with_a_hint(tmp_path: Path) -> None:
    path = tmp_path / "c.csv"
    path.write_bytes("\t".join(CANDIDATE_HEADER).encode("utf-16"))
    assert "CSV UTF-8" in file_problem(read_candidates(path).problems).message_zh


def test_bytes_that_are_neither_utf8_nor_gb18030(tmp_path: Path) -> None:
    path = tmp_path / "c.csv"
    path.write_bytes(b"\x81\x30\xff\xff,\x80\n")
    assert "无法识别文件编码" in file_problem(read_candidates(path).problems).message_zh


def test_a_utf8_bom_on_bytes_that_are_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "c.csv"
    path.write_bytes(codecs.BOM_UTF8 + "编号".encode("gb18030"))
    assert "UTF-8" in file_problem(read_candidates(path).problems).message_zh


def test_nul_bytes_in_a_csv(tmp_path: Path) -> None:
    path = tmp_path / "c.csv"
    path.write_bytes(b"\xef\xbb\xbf" + ",".join(CANDIDATE_HEADER).encode() + b"\n\x00\x00")
    file_problem(read_candidates(path).problems)


def test_a_corrupt_xlsx(tmp_path: Path) -> None:
    good = write_xlsx(tmp_path / "good.xlsx", CANDIDATE_HEADER, [candidate()])
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(good.read_bytes()[:1500])        # a copy that stopped half-way
    p = file_problem(read_candidates(bad).problems)
    assert "bad.xlsx" in p.message_zh and "损坏" in p.message_zh


def test_a_zip_that_is_not_a_workbook(tmp_path: Path) -> None:
    path = tmp_path / "c.xlsx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("hello.txt", "not a workbook")
    assert "无法读取 Excel 工作簿" in file_problem(read_candidates(path).problems).message_zh


def test_an_old_xls_is_refused_with_a_hint(tmp_path: Path) -> None:
    path = tmp_path / "c.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512)
    assert ".xlsx" in file_problem(read_candidates(path).problems).message_zh


@pytest.mark.parametrize("name", ["c.pdf", "c.docx", "c"])
def test_other_file_types_are_refused(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(b"%PDF-1.7\n")
    assert "不支持的文件类型" in file_problem(read_candidates(path).problems).message_zh


def test_a_file_that_does_not_exist(tmp_path: Path) -> None:
    assert "无法打开文件" in file_problem(read_pool(tmp_path / "gone.xlsx").problems).message_zh


def test_an_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "c.csv"
    path.write_bytes(b"")
    problems = read_candidates(path).problems
    assert [(p.rule, p.row) for p in problems] == [("import.missing_column", 1)]


def test_too_many_rows_is_refused_before_parsing_them(tmp_path: Path) -> None:
    path = tmp_path / "c.csv"
    line = ",".join(v or "" for v in candidate()) + "\n"
    path.write_text(",".join(CANDIDATE_HEADER) + "\n" + line * (MAX_DATA_ROWS + 1), "utf-8")
    assert str(MAX_DATA_ROWS) in file_problem(read_candidates(path).problems).message_zh
