"""A telephone number as a secretary types it (联系电话): a mobile 13812345678, a landline
0743-8223456, an extension 0743-8223456-801, or +86 138 1234 5678.

Lenient about form — full-width digits become ASCII (NFKC), spaces and dashes group the digits,
one leading ``+`` — strict about meaning: nothing but digits, dashes and spaces, and between
:data:`MIN_DIGITS` and :data:`MAX_DIGITS` digits (E.164 allows 15; a local number without its
area code has 7). A typo such as a letter, a missing digit group or two numbers in one cell is
refused, never guessed at.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Final

from app.text import Bilingual, bi

MIN_DIGITS: Final = 7
MAX_DIGITS: Final = 15
_FORM: Final = re.compile(r"\+?\d[\d\- ]*\d")


def normal_phone(text: str) -> str:
    """The number as stored: NFKC, trimmed, runs of spaces made one."""
    return " ".join(unicodedata.normalize("NFKC", text).split())


def phone_problem(text: str) -> Bilingual | None:
    """Why ``text`` is not a telephone number (None: it is one); the message follows 联系电话 / phone."""
    phone = normal_phone(text)
    digits = sum(ch.isdigit() for ch in phone)
    if not _FORM.fullmatch(phone) or "--" in phone:
        return bi(f"{phone!r} is not a telephone number: use digits, with dashes or spaces between groups "
                  "(e.g. 13812345678 or 0743-8223456)",
                  f"“{phone}”不是电话号码，只能填数字，分段处可用短横线或空格（如 13812345678、0743-8223456）")
    if not MIN_DIGITS <= digits <= MAX_DIGITS:
        return bi(f"{phone!r} has {digits} digits; a telephone number has {MIN_DIGITS} to {MAX_DIGITS}",
                  f"“{phone}”共{digits}位数字，电话号码应为{MIN_DIGITS}至{MAX_DIGITS}位")
    return None
