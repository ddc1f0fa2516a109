"""Tests of app.importing; the helpers below write the files a secretary would make."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook

CANDIDATE_HEADER = ["编号", "姓名", "工作单位", "身份证号", "申报级别", "专业", "评议组", "职数"]
POOL_HEADER = ["编号", "姓名", "工作单位", "专业", "职称", "任职年限", "近年参评年份", "失信黑名单", "回避单位"]

#: Valid GB 11643 numbers from the demo meeting.
ID1, ID2, ID3 = "431317198801024346", "431320198605064277", "431326198903222382"


def candidate(code: str = "C001", name: str = "魏明轩", unit: str = "市人民医院", id_number: Any = ID1,
              level: Any = "中级", specialty: str = "内科", group: Any = "G1", quota: Any = None) -> list[Any]:
    """A candidate row in :data:`CANDIDATE_HEADER` order."""
    return [code, name, unit, id_number, level, specialty, group, quota]


def expert(code: str = "P001", name: str = "薛国庆", unit: str = "市妇幼保健院", specialty: str = "内科",
           title: Any = "正高", years: Any = 10, served: Any = None, blacklisted: Any = None,
           conflicts: Any = None) -> list[Any]:
    """A pool row in :data:`POOL_HEADER` order."""
    return [code, name, unit, specialty, title, years, served, blacklisted, conflicts]


def write_xlsx(path: Path, header: Sequence[Any], rows: Sequence[Sequence[Any]], sheet: str = "Sheet1") -> Path:
    """A workbook as a user might make it: one sheet, the header in row 1, values as typed."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = sheet
    ws.append(list(header))
    for row in rows:
        ws.append(list(row))
    wb.save(path)
    return path


def write_csv(path: Path, header: Sequence[Any], rows: Sequence[Sequence[Any]],
              encoding: str = "utf-8-sig") -> Path:
    with path.open("w", encoding=encoding, newline="") as f:
        writer = csv.writer(f)
        writer.writerow(header)
        writer.writerows(["" if v is None else v for v in row] for row in rows)
    return path
