"""Bounded input: a workbook over a limit is refused from its zip directory and opening bytes,
before openpyxl reads it — in well under a second and a few MB, whatever it declares."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from app.importing import ImportProblem, read_candidates
from app.importing.bounds import MAX_COLUMNS, MAX_ROWS, MAX_SHARED_STRINGS
from tests.importing import CANDIDATE_HEADER, candidate, write_xlsx
from tests.importing.hostile import _SHEET_START, _workbook, huge_dimension, many_shared_strings

ROOT = Path(__file__).resolve().parents[2]


def refusal(path: Path) -> ImportProblem:
    [problem] = read_candidates(path).problems
    assert problem.rule == "import.file" and path.name in problem.message_zh and path.name in problem.message_en
    assert "超过本系统的上限" in problem.message_zh and "over this program's limit" in problem.message_en
    return problem


#: Reads each workbook named on the command line, printing one JSON line each: the seconds the
#: read took, the process's peak resident size, the problems. The child's own peak: Linux keeps
#: ``getrusage``'s ru_maxrss across exec (a child of a 550 MB test worker starts at 550 MB), while
#: /proc's VmHWM belongs to the new program alone; writing 5 to /proc/self/clear_refs sets VmHWM
#: back to the current size, so the next workbook's peak starts from there — never lower than
#: a fresh process's (whatever the first read left resident stays in it). Where there is no
#: /proc, or the peak cannot be reset, only the first workbook is read (``peak_mb`` of the
#: rest is null): the test reads those in a process of their own.
_MEASURE = """
import json, resource, sys, time
from pathlib import Path
from app.importing import read_candidates

def peak_mb():
    try:
        hwm = next(line for line in open("/proc/self/status") if line.startswith("VmHWM:"))
        return int(hwm.split()[1]) / 1024
    except OSError:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

for n, name in enumerate(sys.argv[1:]):
    if n:
        try:
            with open("/proc/self/clear_refs", "w") as clear:
                clear.write("5")
        except OSError:
            print(json.dumps(None))
            continue
    started = time.monotonic()
    result = read_candidates(Path(name))
    seconds = time.monotonic() - started
    print(json.dumps({"seconds": seconds, "peak_mb": peak_mb(), "problems": [p.message_zh for p in result.problems]}))
"""


def measured(*paths: Path) -> list[dict[str, Any]]:
    """The figures of each workbook read in a fresh process (one for all where it can)."""
    def run(names: tuple[Path, ...]) -> list[dict[str, Any] | None]:
        proc = subprocess.run([sys.executable, "-c", _MEASURE, *map(str, names)], cwd=ROOT, capture_output=True,
                              text=True, timeout=60, check=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
        return [json.loads(line) for line in proc.stdout.splitlines()]
    figures = run(paths)
    assert len(figures) == len(paths)
    return [f if f is not None else run((path,))[0] for f, path in zip(figures, paths, strict=True)]  # type: ignore[misc]


def test_the_two_hostile_workbooks_are_refused_within_5_s_and_300_mb(tmp_path: Path) -> None:
    """Issue 10's attack: 1.9 KB declaring A1:XFD1048576 (before: 2.5 GB after 30 s and still
    going) and 827 KB holding 20 million shared strings (before: 1.9 GB, 258 s). They are read in
    a fresh process so that the peak resident size is theirs (the test worker's is not)."""
    files = [huge_dimension(tmp_path / "dimension.xlsx"), many_shared_strings(tmp_path / "strings.xlsx")]
    assert files[0].stat().st_size < 2048 and files[1].stat().st_size < 900 * 1024
    for path, figures in zip(files, measured(*files), strict=True):
        assert figures["seconds"] < 5 and figures["peak_mb"] < 300, figures
        [message] = figures["problems"]
        assert path.name in message and "超过本系统的上限" in message


def test_a_declared_range_over_the_limits(tmp_path: Path) -> None:
    problem = refusal(huge_dimension(tmp_path / "d.xlsx"))
    assert "1048576 行" in problem.message_zh and f"至多 {MAX_ROWS} 行" in problem.message_zh
    wide = _workbook(tmp_path / "w.xlsx", _SHEET_START + '<dimension ref="A1:HZ3"/><sheetData/></worksheet>')
    assert f"at most {MAX_COLUMNS} columns" in refusal(wide).message_en


def test_shared_strings_declared_and_counted(tmp_path: Path) -> None:
    """The count in ``<sst>`` is read from the opening bytes; a file that does not declare it (or
    lies) is counted while inflating."""
    empty = _SHEET_START + "<sheetData/></worksheet>"
    declared = ('<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                f'count="3" uniqueCount="{MAX_SHARED_STRINGS + 1}">')
    assert "uniqueCount" in refusal(_workbook(tmp_path / "a.xlsx", empty, (declared, b"<si/>", 0))).message_en
    silent = '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    problem = refusal(_workbook(tmp_path / "b.xlsx", empty, (silent, b"<x:si/>", MAX_SHARED_STRINGS + 100_000)))
    assert f"超过 {MAX_SHARED_STRINGS} 个共享字符串" in problem.message_zh


def test_rows_and_cells_really_there_are_counted(tmp_path: Path) -> None:
    """No declared range: one row of many cells (openpyxl builds the whole row first), or too many rows."""
    cells = "<c><v>1</v></c>" * (MAX_COLUMNS + 1)
    row = _SHEET_START + f'<sheetData><row r="1">{cells}</row></sheetData></worksheet>'
    assert "第 1 行有超过 200 个单元格" in refusal(_workbook(tmp_path / "r.xlsx", row)).message_zh
    rows = _SHEET_START + "<sheetData>" + "<row><c><v>1</v></c></row>" * (MAX_ROWS + 1) + "</sheetData></worksheet>"
    assert f"有超过 {MAX_ROWS} 行" in refusal(_workbook(tmp_path / "t.xlsx", rows)).message_zh


def test_a_far_away_row_is_not_padded_up_to(tmp_path: Path) -> None:
    """A header and one cell in row 1,048,576 without a declared range: openpyxl would hand over
    every empty row in between; the reader asks for no more than the limit."""
    sheet = (_SHEET_START + '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>编号</t></is></c></row>'
             '<row r="1048576"><c r="A1048576"><v>1</v></c></row></sheetData></worksheet>')
    assert f"超过 {MAX_ROWS} 行（含空行）" in refusal(_workbook(tmp_path / "f.xlsx", sheet)).message_zh


@pytest.mark.parametrize("n", [1, 300])
def test_an_ordinary_roster_is_within_every_limit(tmp_path: Path, n: int) -> None:
    rows = [candidate(f"C{i:04d}", id_number=None) for i in range(n)]
    result = read_candidates(write_xlsx(tmp_path / "c.xlsx", CANDIDATE_HEADER, rows))
    assert not any(p.rule == "import.file" for p in result.problems), result.problems[:3]
