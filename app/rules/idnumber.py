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


def id_number_problem(number: str, today: dt.date | None = None) -> str | None:
    """``None`` if ``number`` is a valid 18-character ID number, else what is wrong with it.

    ``today`` bounds the birth date (default: the system date); pass it for
    reproducible checks, e.g. the meeting's date.
    """
    if not isinstance(number, str):
        return "must be a string of 18 characters"
    if len(number) != 18:
        old = " (old 15-digit numbers are not accepted)" if len(number) == 15 else ""
        return f"must have 18 characters, not {len(number)}{old}"
    for pos, char in enumerate(number[:17], start=1):
        if char not in _DIGITS:
            return f"character {pos} must be a digit 0-9, not {char!r}"
    last = number[17]
    if last not in _DIGITS and last not in "Xx":
        return f"the last character must be a digit or X, not {last!r}"
    if number[:2] not in PROVINCE_CODES:
        return f"region code {number[:6]} does not start with a province code (GB/T 2260)"
    birth_text = number[6:14]
    try:
        birth = dt.date(int(birth_text[:4]), int(birth_text[4:6]), int(birth_text[6:]))
    except ValueError:
        return f"birth date {birth_text} is not a valid date"
    today = today or dt.date.today()
    if birth > today:
        return f"birth date {birth.isoformat()} is in the future"
    expected = check_digit(number[:17])
    if last.upper() != expected:
        return f"check digit should be {expected}, not {last}"
    return None


def normalize(number: str) -> str:
    """The canonical form used to compare numbers: a final ``x`` becomes ``X``."""
    return number[:17] + number[17:].upper()
