"""Whatever the file holds, the importer answers with rows or problems — never a traceback."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from openpyxl.utils.exceptions import IllegalCharacterError

from app.importing import ImportResult, read_candidates, read_pool
from app.importing.columns import CANDIDATES, POOL
from tests.examples import examples
from tests.importing import ID1

FUZZ = settings(max_examples=examples(150), deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow])
READERS: list[Callable[[Path], ImportResult[Any]]] = [read_candidates, read_pool]


#: The folder the examples' files are written to, one after the other (a temporary folder made and
#: removed for each example cost more than reading most of them).
_SCRATCH: list[Path] = []


@pytest.fixture(scope="module", autouse=True)
def _scratch(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    _SCRATCH.append(tmp_path_factory.mktemp("fuzz"))
    yield
    _SCRATCH.clear()


def read_bytes(data: bytes, name: str, reader: Callable[[Path], ImportResult[Any]]) -> ImportResult[Any]:
    path = _SCRATCH[0] / name
    path.write_bytes(data)
    try:
        return reader(path)
    finally:
        path.unlink()


def well_formed(result: ImportResult[Any], data_rows: int | None = None) -> None:
    """Every problem is located sensibly and says something in both languages."""
    assert len(result.rows) == len(result.row_numbers)
    for p in result.problems:
        assert p.rule and p.message_zh and p.message_en
        if p.row is not None:
            assert p.row >= 1
            if data_rows is not None:
                assert p.row <= data_rows + 1
    assert result.problems == sorted(result.problems, key=lambda p: p.sort_key())


@FUZZ
@given(data=st.binary(max_size=2000), reader=st.sampled_from(READERS))
def test_random_bytes_as_csv(data: bytes, reader: Callable[[Path], ImportResult[Any]]) -> None:
    well_formed(read_bytes(data, "f.csv", reader))


@FUZZ
@given(data=st.binary(max_size=2000), zipped=st.booleans())
def test_random_bytes_as_xlsx(data: bytes, zipped: bool) -> None:
    result = read_bytes((b"PK\x03\x04" if zipped else b"") + data, "f.xlsx", read_candidates)
    assert [p.rule for p in result.problems] == ["import.file"]


def header_and_text_cells(spec_headers: list[str]) -> st.SearchStrategy[tuple[list[str], list[list[str]]]]:
    """A header of real and made-up column names, and rows of arbitrary text cells."""
    header = st.lists(st.one_of(st.sampled_from(spec_headers), st.text(max_size=6)), min_size=1, max_size=10)
    cell = st.one_of(st.text(max_size=20), st.sampled_from(["", "　", "正高", "是", "2024,2025", ID1, "4.31E+17",
                                                            "5.0", "-1", '="x"', "#N/A", "a\nb"]))
    return header.flatmap(lambda h: st.tuples(st.just(h), st.lists(
        st.lists(cell, max_size=len(h) + 2), max_size=8)))


@FUZZ
@given(table=header_and_text_cells([c.header for c in CANDIDATES.columns]),
       encoding=st.sampled_from(["utf-8", "utf-8-sig", "gb18030"]))
def test_random_cells_in_a_candidate_csv(table: tuple[list[str], list[list[str]]], encoding: str) -> None:
    header, rows = table
    buffer = io.StringIO(newline="")
    csv.writer(buffer).writerows([header, *rows])
    try:
        data = buffer.getvalue().encode(encoding)
    except UnicodeEncodeError:          # lone surrogates: not a file anyone can save
        return
    result = read_bytes(data, "c.csv", read_candidates)
    well_formed(result, len(rows))
    if result.ok:
        assert all(c.code and c.name and c.unit and c.specialty for c in result.rows)


def cell_values() -> st.SearchStrategy[Any]:
    """What openpyxl may hand back from a cell a user typed into."""
    return st.one_of(
        st.none(), st.text(max_size=20).filter(lambda s: not s.startswith("=")),
        st.integers(min_value=-10**15, max_value=10**18), st.floats(allow_nan=False, allow_infinity=False),
        st.booleans(), st.dates(min_value=dt.date(1900, 3, 1)),
        st.sampled_from(["正高", "副高", "中级", "否", "是", "2024、2025", ID1, "P001", "市人民医院"]))


@settings(max_examples=examples(60), deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(columns=st.permutations([c.header for c in POOL.columns]),
       rows=st.lists(st.lists(cell_values(), min_size=9, max_size=11), max_size=5))
def test_random_typed_cells_in_a_pool_workbook(columns: list[str], rows: list[list[Any]]) -> None:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(columns)
    for r in rows:
        try:
            ws.append(r)
        except IllegalCharacterError:   # control characters: no user could type them into Excel
            return
    buffer = io.BytesIO()
    wb.save(buffer)
    result = read_bytes(buffer.getvalue(), "p.xlsx", read_pool)
    well_formed(result, len(rows))
    assert all(e.title in ("正高", "副高", "中级") and e.title_years >= 0 for e in result.rows)
