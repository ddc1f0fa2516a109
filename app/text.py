"""Bilingual texts from the engine: English for logs and files, Chinese for the people in the room.

A :class:`Bilingual` is a ``str`` (its English), so it goes everywhere a string
goes — JSON, the audit trail, exceptions — and it carries its Chinese in ``.zh``.
The interface shows ``.zh`` when Chinese is chosen (``ui.i18n.local``). Stored
texts (a finished step's summary) keep both as JSON via :func:`dump` / :func:`load`.
"""

from __future__ import annotations

import json


class Bilingual(str):
    """English text that also knows its Chinese."""

    zh: str

    def __new__(cls, en: str, zh: str) -> Bilingual:
        obj = super().__new__(cls, en)
        obj.zh = zh
        return obj

    def __reduce__(self) -> tuple[type[Bilingual], tuple[str, str]]:
        return (Bilingual, (str(self), self.zh))


def bi(en: str, zh: str) -> Bilingual:
    return Bilingual(en, zh)


def in_chinese(text: str) -> str:
    """The Chinese of ``text`` if it has one, else the text itself."""
    return getattr(text, "zh", text)


def group_zh(name: str) -> str:
    """A discipline group named the Chinese way: 内科 → 内科组, while 护理组 stays 护理组 (an office
    may name its groups either way; adding 组 blindly printed 护理组组长 and 属护理组组)."""
    name = name.strip()
    return name if not name or name.endswith("组") else f"{name}组"


def join(parts: list[str], sep_en: str = "; ", sep_zh: str = "；") -> Bilingual:
    return Bilingual(sep_en.join(parts), sep_zh.join(in_chinese(p) for p in parts))


def dump(text: str) -> str:
    return json.dumps({"en": str(text), "zh": in_chinese(text)}, ensure_ascii=False)


def load(stored: str | None) -> str:
    if not stored:
        return ""
    try:
        data = json.loads(stored)
    except ValueError:
        return stored
    if isinstance(data, dict) and "en" in data:
        return Bilingual(str(data["en"]), str(data.get("zh", data["en"])))
    return stored
