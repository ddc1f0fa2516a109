"""Templates (导入模板) the secretary downloads, fills in and imports back; and the demo rosters.

Decision: the example lives on its own sheet. A template has three sheets — the
data sheet (申报人花名册 / 评审专家库, header only), 说明 (every column, whether it is
required, what it allows, in Chinese and English) and 示例 (the same header with
example rows, tab coloured). The importer reads only the data sheet, so an
unedited template imports cleanly as 0 rows and an example can never be imported
by mistake; a user who copies example rows into the data sheet gets them, as
they asked. The CSV template is the header line only, UTF-8 with a byte-order
mark so that Excel opens it with the Chinese intact.

The data sheet helps Excel keep values right: text columns are formatted as text
('@'), so Excel keeps an ID number's X and its last digits and does not turn a
code like 3-1 into a date; the date column (现职称取得时间) is formatted as a date;
drop-downs offer the allowed levels, titles, expert categories and 是/否.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections.abc import Sequence
from importlib import resources
from pathlib import Path
from typing import Any, Final

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from app.importing.columns import MAX_YEAR, MIN_YEAR, SPECS, Spec
from app.importing.problems import Kind
from app.rules.draw import PoolExpert
from app.services.setup import CandidateInput

#: Rows of the data sheet that carry drop-downs and validation.
VALIDATED_ROWS: Final = 2000
HEADER_FILL: Final = PatternFill("solid", fgColor="DDEBF7")
REQUIRED_FILL: Final = PatternFill("solid", fgColor="FCE4D6")
EXAMPLE_TAB: Final = "FFC000"

EXAMPLES: Final[dict[Kind, tuple[CandidateInput | PoolExpert, ...]]] = {
    "candidates": (
        CandidateInput("C001", "魏明轩", "市人民医院", "中级", "内科", "431317198801024346", "G1",
                       "市人民医院/主治医师", "主治医师", "大学本科", "医师", dt.date(2019, 7, 1), 7, False),
        CandidateInput("C002", "冯红霞", "市第一人民医院", "中级", "护理", "431320198605064277", "G3",
                       applied_title="主管护师", education="大学专科", current_title="护师",
                       current_title_date=dt.date(2021, 9, 1), years_in_post=5, exceptional=True),
    ),
    "pool": (
        PoolExpert("P001", "薛国庆", "市妇幼保健院", "内科", "正高", 10, phone="13907431001", category="全国知名专家"),
        PoolExpert("P003", "钟文博", "市妇幼保健院", "内科", "副高", 5, served=(2024, 2025), phone="0743-8221003",
                   category="副高"),
        PoolExpert("P031", "石志强", "市中心血站", "护理", "副高", 12, conflict_units=("县中医医院",),
                   phone="13807431031", category="副高"),
    ),
}


def write_template(kind: Kind, path: Path | str) -> Path:
    """An empty template for ``kind`` ("candidates" or "pool"); .xlsx or .csv by the file's suffix."""
    return write_roster(kind, path, ())


def write_roster(kind: Kind, path: Path | str,
                 rows: Sequence[CandidateInput] | Sequence[PoolExpert]) -> Path:
    """A roster in the template's layout, holding ``rows``; reads back to the same rows."""
    spec = SPECS[kind]
    path = Path(path)
    cells = [row_cells(spec, r) for r in rows]
    if path.suffix.lower() == ".csv":
        with path.open("w", encoding="utf-8-sig", newline="") as f:
            writer = csv.writer(f)
            writer.writerow([c.header for c in spec.columns])
            writer.writerows(cells)
        return path
    if path.suffix.lower() != ".xlsx":
        raise ValueError(f"a template is written as .xlsx or .csv, not {path.suffix!r}")
    wb = Workbook()
    data = wb.active
    assert data is not None
    data.title = spec.sheet
    examples = [row_cells(spec, r) for r in EXAMPLES[kind]]
    _data_sheet(data, spec, cells, validate=True, typical=examples)
    _notes_sheet(wb.create_sheet("说明"), spec)
    example = wb.create_sheet("示例")
    _data_sheet(example, spec, examples, validate=False)
    example.sheet_properties.tabColor = EXAMPLE_TAB
    wb.active = 0
    wb.save(path)
    return path


def row_cells(spec: Spec, row: CandidateInput | PoolExpert) -> list[Any]:
    """A row as the cells a user would type: 是/否, years and units joined with 、."""
    out: list[Any] = []
    for column in spec.columns:
        value = getattr(row, column.field)
        if isinstance(value, bool):
            value = "是" if value else "否"
        elif isinstance(value, tuple):
            value = "、".join(str(v) for v in value) or None
        out.append(value)
    return out


def _width(values: Sequence[Any]) -> float:
    """Columns a value needs: a CJK character takes two."""
    widest = max((sum(2 if ord(ch) > 0x2E80 else 1 for ch in str(v)) for v in values if v is not None),
                 default=8)
    return min(max(widest + 3, 10), 40)


def _data_sheet(ws: Worksheet, spec: Spec, rows: Sequence[Sequence[Any]], *, validate: bool,
                typical: Sequence[Sequence[Any]] = ()) -> None:
    """Header, rows, formats; column widths fit the rows and the ``typical`` (example) values."""
    ws.append([c.header for c in spec.columns])
    for row in rows:
        ws.append(list(row))
    ws.freeze_panes = "A2"
    for j, column in enumerate(spec.columns, start=1):
        letter = get_column_letter(j)
        head = ws.cell(row=1, column=j)
        head.font = Font(bold=True)
        head.fill = REQUIRED_FILL if column.required else HEADER_FILL
        head.alignment = Alignment(horizontal="center", vertical="center")
        head.comment = Comment(f"{column.header}（{column.english}）：{column.help_zh}\n{column.help_en}",
                               "Conclave", width=260, height=110)
        ws.column_dimensions[letter].width = _width([column.header, *(r[j - 1] for r in (*rows, *typical))])
        number_format = "@" if column.text else column.number_format
        if number_format:
            ws.column_dimensions[letter].number_format = number_format
            for r in range(2, len(rows) + 2):
                ws.cell(row=r, column=j).number_format = number_format
        if validate:
            _validation(ws, column.field, column.choices, column.header, f"{letter}2:{letter}{VALIDATED_ROWS}")


def _validation(ws: Worksheet, field: str, choices: tuple[str, ...], header: str, cells: str) -> None:
    if choices:
        dv = DataValidation(type="list", formula1='"' + ",".join(choices) + '"', allow_blank=True)
        dv.error = f"请从下拉列表中选择：{'、'.join(choices)}"
    elif field in ("title_years", "years_in_post"):
        dv = DataValidation(type="whole", operator="greaterThanOrEqual", formula1="0", allow_blank=True)
        dv.error = "请填写 0 或更大的整数"
    elif field == "id_number":
        dv = DataValidation(type="textLength", operator="equal", formula1="18", allow_blank=True)
        dv.error = "身份证号应为 18 位，请按文本填写"
    else:
        return
    dv.errorTitle = header
    dv.showErrorMessage = True
    ws.add_data_validation(dv)
    dv.add(cells)


_TEXT_NOTE: Final[dict[Kind, tuple[str, str]]] = {
    "candidates": (
        "身份证号、编号等请按文本填写（本模板已把这些列设为文本格式）。若 Excel 把身份证号变成数字（如 4.31317E+17），"
        "末位 X 和后几位数字会丢失，导入会拒绝。",
        "Enter ID numbers and codes as text (this template formats those columns as text). An ID number "
        "that Excel has turned into a number (e.g. 4.31317E+17) has lost its X and last digits and is refused."),
    "pool": (
        "编号、近年参评年份等请按文本填写（本模板已把这些列设为文本格式），以免 Excel 把 2024,2025 当成一个数字、"
        "把 3-1 当成日期。",
        "Enter codes and years served as text (this template formats those columns as text), so that Excel "
        "does not read 2024,2025 as one number or 3-1 as a date."),
}


def _notes_sheet(ws: Worksheet, spec: Spec) -> None:
    ws.append([f"{spec.title_zh} 填写说明 / How to fill in the {spec.title_en}"])
    ws["A1"].font = Font(bold=True, size=14)
    for zh, en in (
        ("第 1 行是表头，请勿修改表头文字；列的顺序可以调整，选填列可以删除。"
         "数据从第 2 行开始，每行一条，空行会被跳过。",
         "Row 1 is the header: do not change its words; columns may be reordered and optional ones deleted. "
         "Data starts on row 2, one per row; empty rows are skipped."),
        (f"导入只读取“{spec.sheet}”工作表；“示例”工作表只是样例，不会被导入。",
         f"Only the sheet {spec.sheet!r} is imported; the sheet 示例 is an example and is never imported."),
        _TEXT_NOTE[spec.kind],
        ("也可以另存为 CSV 文件导入（UTF-8 或 GB18030 编码均可）。",
         "The sheet may also be saved and imported as CSV (UTF-8 or GB18030)."),
        ("只要有一行有问题，整份文件都不会导入；请按提示（第几行、哪一列）修改后重新导入。",
         "If any row has a problem, nothing is imported; fix the cells named (row and column) and import again."),
    ):
        ws.append([zh])
        ws.append([en])
    ws.append([])
    header = ["列", "表头", "英文表头 English header", "必填 Required", "填写要求", "Requirement"]
    ws.append(header)
    for cell in ws[ws.max_row]:
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
    for j, c in enumerate(spec.columns, start=1):
        ws.append([get_column_letter(j), c.header, c.english, "是 yes" if c.required else "否 no",
                   c.help_zh, c.help_en])
        for cell in ws[ws.max_row]:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    if spec.kind == "pool":
        ws.append([])
        ws.append([f"年份须在 {MIN_YEAR}–{MAX_YEAR} 之间；回避单位中括号内的顿号不作分隔，"
                   "如“某医院（东、西院区）”是一个单位。"])
        ws.append([f"Years lie between {MIN_YEAR} and {MAX_YEAR}; a 、 inside brackets does not separate units."])
    for letter, width in zip("ABCDEF", (8, 14, 24, 14, 60, 60), strict=True):
        ws.column_dimensions[letter].width = width


# -- the demo rosters in resources/sample ----------------------------------------------
DEMO_FILES: Final[dict[Kind, str]] = {"candidates": "demo_candidates.xlsx", "pool": "demo_pool.xlsx"}


def demo_rows() -> dict[Kind, list[Any]]:
    """The candidates and the pool of ``resources/sample/demo_meeting.json``."""
    text = resources.files("resources").joinpath("sample/demo_meeting.json").read_text("utf-8")
    d = json.loads(text)
    return {
        "candidates": [demo_candidate(c) for c in d["candidates"]],
        "pool": [demo_expert(p) for p in d["pool"]],
    }


def demo_candidate(c: dict[str, Any]) -> CandidateInput:
    """A candidate of ``demo_meeting.json`` (the demo and the demo rosters read them alike)."""
    day = c.get("current_title_date")
    return CandidateInput(
        code=c["code"], name=c["name"], unit=c["unit"], level=c["level"], specialty=c["specialty"],
        id_number=c.get("id_number"), group=c.get("group"), quota_key=c.get("quota_key"),
        applied_title=c.get("applied_title"), education=c.get("education"), current_title=c.get("current_title"),
        current_title_date=dt.date.fromisoformat(day) if day else None, years_in_post=c.get("years_in_post"),
        exceptional=c.get("exceptional"))


def demo_expert(p: dict[str, Any]) -> PoolExpert:
    """A pool expert of ``demo_meeting.json``."""
    return PoolExpert(
        id=p["id"], name=p["name"], unit=p["unit"], specialty=p["specialty"], title=p["title"],
        title_years=p["title_years"], served=tuple(sorted(p["served"])), blacklisted=p["blacklisted"],
        conflict_units=tuple(p["conflict_units"]), phone=p.get("phone"), category=p.get("category"))


def write_demo_rosters(folder: Path | str) -> list[Path]:
    """Write demo_candidates.xlsx and demo_pool.xlsx (the files in resources/sample) into ``folder``."""
    folder = Path(folder)
    rows = demo_rows()
    return [write_roster(kind, folder / name, rows[kind]) for kind, name in DEMO_FILES.items()]
