"""A realistic 2027 for the tests, written as the State Council notice would list it.

ASSUMPTION FOR TESTS ONLY. The real 2027 arrangement (国务院办公厅关于2027年部分节假日安排的
通知) is published in November 2026 and entered by the user — in the calendar window or with
``conclave calendar import`` — never taken from here. This year follows the pattern of the
2025 and 2026 notices on the 2027 dates of the festivals: New Year's Day (Fri 1 Jan), the
Spring Festival (New Year's Eve Fri 5 Feb: nine days off to Sat 13 Feb, the Sundays before
and after worked), Qingming (Mon 5 Apr), Labour Day (Sat 1 May, five days with one make-up
Saturday), Dragon Boat (Wed 9 Jun), Mid-Autumn (Wed 15 Sep) and National Day (Fri 1 Oct,
seven days with two make-up days). It gives 248 working days, as 2025 and 2026 have.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

D = dt.date

#: Periods off (放假), first and last day, as the notice lists them (weekend days included).
HOLIDAYS_2027: tuple[tuple[dt.date, dt.date], ...] = (
    (D(2027, 1, 1), D(2027, 1, 3)),       # 元旦
    (D(2027, 2, 5), D(2027, 2, 13)),      # 春节: 除夕 Fri 5 Feb to Sat 13 Feb
    (D(2027, 4, 3), D(2027, 4, 5)),       # 清明节
    (D(2027, 5, 1), D(2027, 5, 5)),       # 劳动节
    (D(2027, 6, 9), D(2027, 6, 9)),       # 端午节
    (D(2027, 9, 15), D(2027, 9, 15)),     # 中秋节
    (D(2027, 10, 1), D(2027, 10, 7)),     # 国庆节
)

#: Make-up working days (调休上班): each a Saturday or a Sunday.
WORKDAYS_2027: tuple[dt.date, ...] = (
    D(2027, 1, 31),    # Sun, before the Spring Festival
    D(2027, 2, 14),    # Sun, right after it
    D(2027, 5, 8),     # Sat, after Labour Day
    D(2027, 9, 26),    # Sun, before National Day
    D(2027, 10, 9),    # Sat, after it
)


def holidays_2027() -> list[dt.date]:
    return [first + dt.timedelta(days=i) for first, last in HOLIDAYS_2027
            for i in range((last - first).days + 1)]


def document_2027() -> dict[str, object]:
    """The year as a ``conclave-calendar/1`` document."""
    return {"format": "conclave-calendar/1", "years": {"2027": {
        "holidays": [d.isoformat() for d in holidays_2027()],
        "workdays": [d.isoformat() for d in WORKDAYS_2027]}}}


def write_2027(path: Path) -> Path:
    path.write_text(json.dumps(document_2027(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return path
