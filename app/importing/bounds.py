"""The size of a workbook, checked from its zip directory before openpyxl reads a byte of it.

An .xlsx file is a zip of XML parts, and what it declares is not what it weighs: 1.9 KB can
declare a sheet of ``A1:XFD1048576`` (openpyxl's read-only reader pads every row to the
declared width: 2.5 GB in 30 s), 827 KB can hold 20 million shared strings (openpyxl reads
them all when it opens the workbook: 1.9 GB and 258 s). So before :func:`load_workbook`
runs, :func:`check_workbook` looks at

* the zip directory: the uncompressed size of every part (Python's :mod:`zipfile` stops a
  part at its declared size, so the declaration bounds what is inflated), the whole
  workbook and the number of parts;
* each sheet's ``<dimension ref=…>`` in the sheet's opening bytes;
* the shared strings: the ``count``/``uniqueCount`` declared in ``<sst …>``, then the ``<si>``
  items actually there, counted while inflating (a declaration may lie or be missing);

and the reader itself asks openpyxl for no more than :data:`MAX_ROWS` rows and
:data:`MAX_COLUMNS` + 1 columns, whatever the sheet declares.

The limits, and why (a provincial roster is the largest file this program imports: about
1,500 candidates or a few thousand pool experts, some twenty columns):

* :data:`MAX_ROWS` 20,000 rows (blank rows included; the importer takes at most 5,000 data
  rows) and :data:`MAX_COLUMNS` 200 columns (the templates have fewer than 25);
* :data:`MAX_UNCOMPRESSED` 50 MB of XML in all — a 5,000-row roster is under 5 MB — and
  :data:`MAX_PART` 20 MB for any one part but a sheet (styles, shared strings), whose
  parsed objects weigh ten to twenty times their XML;
* :data:`MAX_SHARED_STRINGS` 1,000,000 strings — 5,000 rows × 200 columns of distinct text;
* :data:`MAX_PARTS` 1,000 parts (a workbook of Excel has a dozen or two).

Each refusal names the file and the limit, in Chinese and English (rule ``import.file``).
"""

from __future__ import annotations

import re
import zipfile
from typing import Final

from app.importing.problems import FileProblem

MAX_ROWS: Final = 20_000
MAX_COLUMNS: Final = 200
MAX_UNCOMPRESSED: Final = 50 * 1024 * 1024
MAX_PART: Final = 20 * 1024 * 1024
MAX_SHARED_STRINGS: Final = 1_000_000
MAX_PARTS: Final = 1000

_HEAD: Final = 64 * 1024          # the opening bytes where <dimension> and <sst> are
_CHUNK: Final = 1024 * 1024
_DIMENSION: Final = re.compile(rb"<(?:\w+:)?dimension\b[^>]*?\bref\s*=\s*[\"']([^\"']*)[\"']")
_SST: Final = re.compile(rb"<(?:\w+:)?sst\b[^>]*>")
_COUNTS: Final = re.compile(rb"\b(count|uniqueCount)\s*=\s*[\"']\s*([0-9]+)\s*[\"']")
_SI: Final = re.compile(rb"<(?:\w+:)?si[\s/>]")
_ROW: Final = re.compile(rb"<(?:\w+:)?row[\s/>]")
_C: Final = re.compile(rb"<(?:\w+:)?c[\s/>]")
_CELL: Final = re.compile(r"\$?([A-Za-z]{1,3})\$?([0-9]{1,7})")


def check_workbook(name: str, zf: zipfile.ZipFile) -> None:
    """Raise :class:`FileProblem` if the workbook ``name`` (its zip ``zf``) is over a limit."""
    infos = zf.infolist()
    if len(infos) > MAX_PARTS:
        raise _too_big(name, f"由 {len(infos)} 个部件组成", f"is made of {len(infos)} parts",
                       f"至多 {MAX_PARTS} 个", f"at most {MAX_PARTS}")
    total = sum(i.file_size for i in infos)
    if total > MAX_UNCOMPRESSED:
        raise _too_big(name, f"解压后有 {_mb(total)}", f"holds {_mb(total)} once uncompressed",
                       f"至多 {_mb(MAX_UNCOMPRESSED)}", f"at most {_mb(MAX_UNCOMPRESSED)}")
    for info in infos:
        part = info.filename
        sheet = part.startswith("xl/worksheets/") and part.endswith(".xml")
        if not sheet and info.file_size > MAX_PART:
            raise _too_big(name, f"其中 {part} 解压后有 {_mb(info.file_size)}",
                           f"has a part {part} of {_mb(info.file_size)} once uncompressed",
                           f"每个部件至多 {_mb(MAX_PART)}", f"at most {_mb(MAX_PART)} a part")
        if sheet:
            _check_dimension(name, part, _head(zf, info))
            _check_cells(name, part, zf, info)
        elif part == "xl/sharedStrings.xml":
            _check_shared_strings(name, zf, info)


def _head(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    with zf.open(info) as f:
        return f.read(_HEAD)


def _check_dimension(name: str, part: str, head: bytes) -> None:
    """The sheet's declared range (``A1:XFD1048576``) within :data:`MAX_ROWS` × :data:`MAX_COLUMNS`."""
    found = _DIMENSION.search(head)
    if found is None:
        return                                     # no declaration: the reader's own bounds hold
    ref = found.group(1).decode("ascii", "replace")
    rows = columns = 0
    for cell in ref.split(":"):
        m = _CELL.fullmatch(cell.strip())
        if m is None:
            continue                               # openpyxl ignores a dimension it cannot read
        columns = max(columns, _column_number(m.group(1)))
        rows = max(rows, int(m.group(2)))
    sheet = part.rsplit("/", 1)[-1]
    if rows > MAX_ROWS:
        raise _too_big(name, f"工作表 {sheet} 声明了 {rows} 行（{ref}）", f"declares {rows} rows in {sheet} ({ref})",
                       f"至多 {MAX_ROWS} 行", f"at most {MAX_ROWS} rows")
    if columns > MAX_COLUMNS:
        raise _too_big(name, f"工作表 {sheet} 声明了 {columns} 列（{ref}）",
                       f"declares {columns} columns in {sheet} ({ref})",
                       f"至多 {MAX_COLUMNS} 列", f"at most {MAX_COLUMNS} columns")


def _check_cells(name: str, part: str, zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
    """The ``<row>`` and ``<c>`` elements really there, counted while inflating (a sheet may declare
    no range, or a small one): openpyxl builds a whole row before it hands it over, so one row of
    three million cells in 89 KB of zip cost 450 MB and more than 30 s."""
    sheet = part.rsplit("/", 1)[-1]
    rows = cells = 0                                # rows so far, cells in the current row
    with zf.open(info) as f:
        carry = b""
        while chunk := f.read(_CHUNK):
            data = carry + chunk
            cut = _cut(data)
            start = 0
            for row in _ROW.finditer(data, 0, cut):
                cells += len(_C.findall(data, start, row.start()))
                if cells > MAX_COLUMNS:
                    break
                rows, cells, start = rows + 1, 0, row.end()
                if rows > MAX_ROWS:
                    raise _too_big(name, f"工作表 {sheet} 有超过 {MAX_ROWS} 行", f"has more than {MAX_ROWS} rows in "
                                   f"{sheet}", f"至多 {MAX_ROWS} 行", f"at most {MAX_ROWS} rows")
            else:
                cells += len(_C.findall(data, start, cut))
            if cells > MAX_COLUMNS:
                raise _too_big(name, f"工作表 {sheet} 第 {rows} 行有超过 {MAX_COLUMNS} 个单元格",
                               f"has more than {MAX_COLUMNS} cells in row {rows} of {sheet}",
                               f"至多 {MAX_COLUMNS} 列", f"at most {MAX_COLUMNS} columns")
            carry = data[cut:]


def _cut(data: bytes) -> int:
    """Where to stop in ``data`` so that no tag is cut in two: before its last ``<`` when that
    may still be the start of a tag, else at its end."""
    cut = data.rfind(b"<")
    return cut if cut >= 0 and len(data) - cut <= 64 else len(data)


def _check_shared_strings(name: str, zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
    """The declared count first (the opening bytes), then the ``<si>`` items really there."""
    with zf.open(info) as f:
        head = f.read(_HEAD)
        opening = _SST.search(head)
        if opening is not None:
            for attribute, value in _COUNTS.findall(opening.group()):
                if int(value) > MAX_SHARED_STRINGS:
                    raise _strings(name, f"声明了 {int(value)} 个共享字符串",
                                   f"declares {int(value)} shared strings ({attribute.decode()})")
        count, carry = 0, b""
        chunk = head
        while chunk:
            data = carry + chunk
            cut = _cut(data)                      # a tag cut at the chunk's end waits for the next
            count += len(_SI.findall(data, 0, cut))
            carry = data[cut:]
            if count > MAX_SHARED_STRINGS:
                raise _strings(name, f"有超过 {MAX_SHARED_STRINGS} 个共享字符串",
                               f"holds more than {MAX_SHARED_STRINGS} shared strings")
            chunk = f.read(_CHUNK)
        count += len(_SI.findall(carry))
        if count > MAX_SHARED_STRINGS:
            raise _strings(name, f"有 {count} 个共享字符串", f"holds {count} shared strings")


def _column_number(letters: str) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + ord(ch) - ord("A") + 1
    return n


def _mb(size: int) -> str:
    return f"{size / 1024 / 1024:.0f} MB" if size >= 1024 * 1024 else f"{size / 1024:.0f} KB"


def _strings(name: str, zh: str, en: str) -> FileProblem:
    return _too_big(name, zh, en, f"至多 {MAX_SHARED_STRINGS} 个", f"at most {MAX_SHARED_STRINGS}")


def _too_big(name: str, what_zh: str, what_en: str, limit_zh: str, limit_en: str) -> FileProblem:
    return FileProblem(f"工作簿 {name} {what_zh}，超过本系统的上限（{limit_zh}），未读取；"
                       "请确认选对了文件，或在 Excel 中只保留花名册数据后另存再导入",
                       f"the workbook {name} {what_en}, over this program's limit ({limit_en}); it was not read. "
                       "Check that this is the right file, or keep only the roster's data in Excel, save it "
                       "and import that")


def too_many_columns(name: str) -> FileProblem:
    """A cell beyond :data:`MAX_COLUMNS`, found while reading (a sheet without a declared range)."""
    return _too_big(name, f"有超过 {MAX_COLUMNS} 列的数据", f"has data beyond column {MAX_COLUMNS}",
                    f"至多 {MAX_COLUMNS} 列", f"at most {MAX_COLUMNS} columns")


def too_many_rows(name: str) -> FileProblem:
    """More than :data:`MAX_ROWS` rows, blank ones included, found while reading."""
    return _too_big(name, f"有超过 {MAX_ROWS} 行（含空行）", f"has more than {MAX_ROWS} rows (blank ones included)",
                    f"至多 {MAX_ROWS} 行", f"at most {MAX_ROWS} rows")

