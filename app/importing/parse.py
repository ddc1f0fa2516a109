"""From a table of raw cells to candidates (申报人) or pool experts (评审专家), with every problem.

The parser never stops at the first problem: the secretary should be able to fix
the whole file in one pass, so every header, every cell and every duplicate is
checked, and all problems are returned together, sorted by row and column. Rows
with problems are left out of ``rows``; a result with any problem is not stored.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from openpyxl.utils import get_column_letter

from app.importing.columns import CANDIDATES, POOL, Spec, as_text, header_key, is_blank
from app.importing.files import read_table
from app.importing.problems import (
    DUPLICATE_COLUMN,
    MISSING_COLUMN,
    MISSING_VALUE,
    UNKNOWN_COLUMN,
    CellError,
    FileProblem,
    ImportProblem,
    ImportResult,
    Place,
    problem,
)
from app.rules.draw import PoolExpert
from app.services.setup import CandidateInput

Record = dict[str, Any]


def read_candidates(path: Path | str) -> ImportResult[CandidateInput]:
    """Parse a candidate roster (申报人花名册), .xlsx or .csv; nothing is stored."""
    result: ImportResult[CandidateInput] = ImportResult(Path(path), "candidates")
    for number, record in _parse(result, CANDIDATES):
        result.rows.append(CandidateInput(**record))
        result.row_numbers.append(number)
    return result


def read_pool(path: Path | str) -> ImportResult[PoolExpert]:
    """Parse an expert pool (评审专家库), .xlsx or .csv; nothing is stored."""
    result: ImportResult[PoolExpert] = ImportResult(Path(path), "pool")
    for number, record in _parse(result, POOL):
        result.rows.append(PoolExpert(**record))
        result.row_numbers.append(number)
    return result


def _parse(result: ImportResult[Any], spec: Spec) -> list[tuple[int, Record]]:
    """Fill ``result.problems`` and ``result.places``; return the clean rows as field dicts."""
    try:
        table = read_table(result.path, spec.sheet)
    except FileProblem as exc:
        result.problems.append(exc.as_problem())
        return []
    problems = result.problems
    fields = _header(table.header, spec, result.places, problems)
    headerless: set[int] = set()
    records: list[tuple[int, Record]] = []
    for number, cells in table.rows:
        record: Record = {}
        bad = False
        for j, raw in enumerate(cells):
            if _headerless(table.header, j) and not is_blank(raw) and j not in headerless:
                headerless.add(j)
                letter = get_column_letter(j + 1)
                problems.append(problem(
                    UNKNOWN_COLUMN, "这一列有内容，但没有表头；请在第 1 行填写列名，或删除该列内容",
                    "this column holds data but has no header; name it in row 1 or clear it",
                    row=number, place=Place(letter, "")))
        for j, column_field in fields.items():
            column = spec.by_field(column_field)
            place = result.places[column_field]
            raw = cells[j] if j < len(cells) else None
            if is_blank(raw):
                if column.required:
                    problems.append(problem(MISSING_VALUE, f"“{column.header}”必须填写",
                                            f"{column.english} ({column.header}) is required",
                                            row=number, place=place))
                    bad = True
                elif column.blank is not None:
                    record[column_field] = column.blank
                continue
            try:
                record[column_field] = column.convert(raw)
            except CellError as exc:
                problems.append(problem(exc.rule, exc.zh, exc.en, row=number, place=place))
                bad = True
        if not bad and all(c.field in record or not c.required for c in spec.columns):
            records.append((number, record))
    records = _without_duplicates(records, spec, result.places, problems)
    problems.sort(key=ImportProblem.sort_key)
    return records


def _headerless(header: list[object], j: int) -> bool:
    return j >= len(header) or is_blank(header[j])


def _header(header: list[object], spec: Spec, places: dict[str, Place],
            problems: list[ImportProblem]) -> dict[int, str]:
    """Map column index → field; report unknown, doubled and missing columns."""
    fields: dict[int, str] = {}
    known = "、".join(c.header for c in spec.columns)
    known_en = ", ".join(c.english for c in spec.columns)
    for j, cell in enumerate(header):
        if is_blank(cell):
            continue
        try:
            text = as_text(cell)
        except CellError:
            text = str(cell)
        place = Place(get_column_letter(j + 1), text)
        column = spec.column(header_key(text))
        if column is None:
            problems.append(problem(
                UNKNOWN_COLUMN,
                f"不认识的列“{text}”；{spec.title_zh}的列为：{known}（也可用英文表头 {known_en}）。"
                "请改正表头或删除该列",
                f"unknown column {text!r}; the {spec.title_en} has the columns {known_en} (or in Chinese "
                f"{known}). Correct the header or delete the column", row=1, place=place))
        elif column.field in places:
            first = places[column.field]
            problems.append(problem(
                DUPLICATE_COLUMN, f"与 {first.letter} 列（{first.header}）是同一列“{column.header}”；请删除其中一列",
                f"the same column as {first.letter} ({first.header}), {column.english}; delete one of them",
                row=1, place=place))
        else:
            places[column.field] = place
            fields[j] = column.field
    for column in spec.columns:
        if column.required and column.field not in places:
            problems.append(problem(
                MISSING_COLUMN, f"缺少必填列“{column.header}”（英文表头 {column.english}）；第 1 行必须是表头",
                f"the required column {column.english} ({column.header}) is missing; row 1 must be the header",
                header=column.header))
    return fields


def _without_duplicates(records: list[tuple[int, Record]], spec: Spec, places: dict[str, Place],
                        problems: list[ImportProblem]) -> list[tuple[int, Record]]:
    """A code (or an ID number) used twice: both rows are named, the later ones are refused."""
    key_fields = ["code", "id_number"] if spec.kind == "candidates" else ["id"]
    doubled: set[int] = set()
    for key_field in key_fields:
        column = spec.by_field(key_field)
        first_row: dict[object, int] = {}
        for number, record in records:
            value = record.get(key_field)
            if value is None:
                continue
            if value in first_row:
                doubled.add(number)
                problems.append(problem(
                    spec.duplicate_rule,
                    f"{column.header}“{value}”与第 {first_row[value]} 行重复；每个{column.header}只能出现一次",
                    f"{column.english} {value!r} is also on row {first_row[value]}; each may appear only once",
                    row=number, place=places[key_field]))
            else:
                first_row[value] = number
    return [(n, r) for n, r in records if n not in doubled]
