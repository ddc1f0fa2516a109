"""The 18-character citizen identity number (公民身份号码), GB 11643-1999.

Layout: 6-digit address code (地址码, GB/T 2260), 8-digit birth date YYYYMMDD
(出生日期码), 3-digit sequence (顺序码) and one check character (校验码) computed
with ISO 7064 MOD 11-2, written ``0``–``9`` or ``X`` (a lowercase ``x`` is accepted,
as it is often typed so). Old 15-digit numbers are refused: every candidate of a
review holds an 18-character number.

Only the province part of the address code is checked: county codes change every
year and the laptop is offline, but a wrong first two digits is always a typo.
The codes 81/82/83 are the residence permits of Hong Kong, Macao and Taiwan
residents (港澳台居民居住证), which carry the same layout.
"""

from __future__ import annotations

import datetime as dt
from typing import Final

from app.text import Bilingual, bi

#: First two digits of the address code (省级行政区划代码, GB/T 2260), plus 81/82/83.
PROVINCE_CODES: Final[frozenset[str]] = frozenset({
    "11", "12", "13", "14", "15",
    "21", "22", "23",
    "31", "32", "33", "34", "35", "36", "37",
    "41", "42", "43", "44", "45", "46",
    "50", "51", "52", "53", "54",
    "61", "62", "63", "64", "65",
    "71", "81", "82", "83",
})

_WEIGHTS: Final = tuple(pow(2, 17 - i, 11) for i in range(17))
_CHECK_CHARS: Final = "10X98765432"
_DIGITS: Final = frozenset("0123456789")


def check_digit(first17: str) -> str:
    """The MOD 11-2 check character for the first 17 digits (``X`` for 10)."""
    if len(first17) != 17 or not set(first17) <= _DIGITS:
        raise ValueError("the check digit needs exactly 17 digits")
    total = sum(int(c) * w for c, w in zip(first17, _WEIGHTS, strict=True))
    return _CHECK_CHARS[total % 11]


def id_number_problem(number: str, today: dt.date | None = None) -> Bilingual | None:
    """``None`` if ``number`` is a valid 18-character ID number, else what is wrong with it.

    The English follows "ID number" (``"ID number must have 18 characters, not 15"``),
    the Chinese follows 身份证号 (``身份证号应为 18 位，而不是 15 位``). ``today`` bounds the
    birth date (default: the system date); pass it for reproducible checks, e.g. the
    meeting's date.
    """
    if not isinstance(number, str):
        return bi("must be a string of 18 characters", "应为 18 位的文本")
    if len(number) != 18:
        if len(number) == 15:
            return bi("must have 18 characters, not 15 (old 15-digit numbers are not accepted)",
                      "应为 18 位，而不是 15 位（不接受旧的 15 位号码）")
        return bi(f"must have 18 characters, not {len(number)}", f"应为 18 位，而不是 {len(number)} 位")
    for pos, char in enumerate(number[:17], start=1):
        if char not in _DIGITS:
            return bi(f"character {pos} must be a digit 0-9, not {char!r}", f"第 {pos} 位应为数字 0–9，而不是 {char!r}")
    last = number[17]
    if last not in _DIGITS and last not in "Xx":
        return bi(f"the last character must be a digit or X, not {last!r}", f"最后一位应为数字或 X，而不是 {last!r}")
    if number[:2] not in PROVINCE_CODES:
        return bi(f"region code {number[:6]} does not start with a province code (GB/T 2260)",
                  f"地址码 {number[:6]} 的前两位不是省级行政区划代码（GB/T 2260）")
    birth_text = number[6:14]
    try:
        birth = dt.date(int(birth_text[:4]), int(birth_text[4:6]), int(birth_text[6:]))
    except ValueError:
        return bi(f"birth date {birth_text} is not a valid date", f"中的出生日期 {birth_text} 不是有效日期")
    today = today or dt.date.today()
    if birth > today:
        return bi(f"birth date {birth.isoformat()} is in the future", f"中的出生日期 {birth.isoformat()} 晚于今天")
    expected = check_digit(number[:17])
    if last.upper() != expected:
        return bi(f"check digit should be {expected}, not {last}",
                  f"的校验码应为 {expected}，而不是 {last}（请核对号码是否抄错）")
    return None


def normalize(number: str) -> str:
    """The canonical form used to compare numbers: a final ``x`` becomes ``X``."""
    return number[:17] + number[17:].upper()
