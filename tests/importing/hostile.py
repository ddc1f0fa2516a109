"""The two hostile workbooks of issue 10: tiny files that declare or hold enormous sheets.

* :func:`huge_dimension` — 1.7 KB, one header row, but its sheet declares ``A1:XFD1048576``:
  openpyxl's read-only reader pads every row to the declared width and height (3 GiB, 31 s).
* :func:`many_shared_strings` — under a megabyte of zip holding 20 million shared strings
  (declared in ``<sst count=…>`` and referenced by the sheet): openpyxl reads them all when it
  opens the workbook (1.9 GB, 258 s before the row limit refused the file).
"""

from __future__ import annotations

import zipfile
import zlib
from pathlib import Path

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
    '</Types>')
_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'officeDocument" Target="xl/workbook.xml"/></Relationships>')
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="申报人花名册" sheetId="1" r:id="rId1"/></sheets></workbook>')
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'worksheet" Target="worksheets/sheet1.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'sharedStrings" Target="sharedStrings.xml"/></Relationships>')
_SHEET_START = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">')


def _workbook(path: Path, sheet: str, strings: tuple[str, bytes, int] | None = None) -> Path:
    """A minimal workbook; ``strings``: the ``<sst>`` opening tag, one ``<si>`` and how many of them."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", _CONTENT_TYPES)
        z.writestr("_rels/.rels", _RELS)
        z.writestr("xl/workbook.xml", _WORKBOOK)
        z.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        z.writestr("xl/worksheets/sheet1.xml", sheet)
        if strings is None:
            z.writestr("xl/sharedStrings.xml", '<sst xmlns="http://schemas.openxmlformats.org/'
                       'spreadsheetml/2006/main" count="0" uniqueCount="0"/>')
        else:
            opening, item, count = strings
            with z.open("xl/sharedStrings.xml", "w", force_zip64=True) as out:
                assert hasattr(out, "_compressor")        # zipfile's deflater, replaced by an equivalent one
                out._compressor = _RepeatedBlocks()
                out.write(opening.encode())
                block = item * 100_000
                for _ in range(count // 100_000):
                    out.write(block)
                out.write(b"</sst>")
    return path


class _RepeatedBlocks:
    """Deflate for a stream that is one block written over and over (the shared strings): each
    write is compressed with a full flush, which ends it on a byte boundary and empties the
    window, so every copy of the block compresses to the same bytes — worked out once. The
    340 MB of 20 million strings deflate in milliseconds instead of a second and a quarter, into
    as small a file (831 KB; zipfile still counts the CRC and sizes of what is written)."""

    def __init__(self) -> None:
        self._zlib = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -15)
        self._done: dict[bytes, bytes] = {}

    def compress(self, data: bytes) -> bytes:
        if data not in self._done:
            self._done[data] = self._zlib.compress(data) + self._zlib.flush(zlib.Z_FULL_FLUSH)
        return self._done[data]

    def flush(self) -> bytes:
        return self._zlib.flush()


def huge_dimension(path: Path) -> Path:
    """1.7 KB: a header row and a cell in the last row and column, in a sheet declared to span all
    16,384 × 1,048,576 cells."""
    sheet = (_SHEET_START + '<dimension ref="A1:XFD1048576"/><sheetData>'
             '<row r="1"><c r="A1" t="inlineStr"><is><t>编号</t></is></c>'
             '<c r="B1" t="inlineStr"><is><t>姓名</t></is></c></row>'
             '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData></worksheet>')
    return _workbook(path, sheet)


def many_shared_strings(path: Path, count: int = 20_000_000) -> Path:
    """20 million shared strings, declared in ``<sst>`` and referenced by the sheet's cells."""
    sheet = (_SHEET_START + '<dimension ref="A1:B3"/><sheetData>'
             '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>19999999</v></c></row>'
             '</sheetData></worksheet>')
    opening = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
               f'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="{count}" '
               f'uniqueCount="{count}">')
    return _workbook(path, sheet, (opening, b"<si><t>x</t></si>", count))
