"""The meeting's days and hours, and the telephone for objections: facts the papers print.

Why recorded and not assumed (spec/rules.md, "Fees and honoraria"): an expert's honorarium
depends on how long each day's review lasted — at most half a day pays 50%, more than 8 hours
may pay up to 50% more (X§19, :func:`app.rules.fees.honorarium_band`) — and the minutes, the
work summary and the honoraria sheet print the meeting's first and last day. So a plan records
its days as ``(date, "HH:MM", "HH:MM")``; a plan that records none has one day, its meeting date,
with hours unknown, and the honoraria sheet says so instead of guessing.

The checks, each a bilingual :class:`~app.errors.Violation` naming the day:

* hours are ``HH:MM`` (``8:30`` and ``8：30`` are read as ``08:30``) and a day starts before it
  ends (``plan.day_hours``);
* a day is listed once (``plan.day_duplicate``);
* the first day is the plan's meeting date — the day the meeting opens, which X§7 (the plan
  filed 5 working days before) and X§9 (the draw the day before) count from — and the meeting
  sits within :data:`MAX_MEETING_DAYS` consecutive days of it: a closed review meeting (封闭管理)
  lasts days, not weeks, so a later day is a typing slip (``plan.day_range``). The rule is the
  meeting date's, not the review year's: a 年度 review may meet early the following year;
* once the vote date is known it is one of the days (``plan.vote_day``).

A telephone (``plan.phone``) is one or more numbers separated by 、 , ； or /, each of 7 to 15
digits (or a five-digit service line such as 12333) once spaces, hyphens, brackets and a
leading + are set aside, with an optional extension (转 123): 0743-8220000, (0743)8220000,
13807430000.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from decimal import Decimal
from typing import Final

from app.errors import Violation
from app.text import Bilingual, bi

#: A closed meeting sits at most this many consecutive days from its meeting date.
MAX_MEETING_DAYS: Final = 7

MeetingDay = tuple[dt.date, str, str]          # (day, starts "HH:MM", ends "HH:MM")

_HOURS = re.compile(r"^\s*(\d{1,2})\s*[:：]\s*(\d{2})\s*$")
_PHONE_SPLIT = re.compile(r"[、,，;；/]")
_EXTENSION = re.compile(r"(转|分机|ext\.?|x)\s*\d{1,6}$", re.IGNORECASE)
_PHONE_PUNCT = re.compile(r"[\s\-－—()（）]")


def normal_hours(text: str) -> str | None:
    """``"HH:MM"`` for a time of day written ``8:30``, ``08:30`` or ``8：30``; None if it is none."""
    m = _HOURS.match(text or "")
    if not m:
        return None
    hours, minutes = int(m.group(1)), int(m.group(2))
    if hours > 23 or minutes > 59:
        return None
    return f"{hours:02d}:{minutes:02d}"


def hours_between(starts: str, ends: str) -> Decimal:
    """The length of a day's sitting in hours (``"08:30"``, ``"12:00"`` → 3.5)."""
    def minutes(hhmm: str) -> int:
        h, m = hhmm.split(":")
        return int(h) * 60 + int(m)
    return Decimal(minutes(ends) - minutes(starts)) / 60


def normal_days(days: Sequence[MeetingDay]) -> list[MeetingDay]:
    """The days in date order, hours written ``HH:MM`` (a time that is none is kept as written:
    :func:`day_problems` names it)."""
    return sorted(((d, normal_hours(s) or s.strip(), normal_hours(e) or e.strip()) for d, s, e in days),
                  key=lambda x: x[0])


def day_problems(days: Sequence[MeetingDay], meeting_date: dt.date,
                 vote_date: dt.date | None = None) -> list[Violation]:
    """Every reason these days cannot be the meeting's (empty: fine; no days: fine)."""
    problems: list[Violation] = []
    seen: set[dt.date] = set()
    for i, (day, starts, ends) in enumerate(days, 1):
        iso = day.isoformat()
        s, e = normal_hours(starts), normal_hours(ends)
        if s is None or e is None:
            problems.append(Violation("plan.day_hours", bi(
                f"meeting day {iso}: its hours must be written HH:MM, e.g. 08:30 to 17:30 (got {starts!r} to "
                f"{ends!r})",
                f"会议日期{iso}：起止时间须写成“时:分”，如 08:30 至 17:30（现为“{starts}”至“{ends}”）"),
                row=i, field="hours"))
        elif s >= e:
            problems.append(Violation("plan.day_hours", bi(
                f"meeting day {iso}: it must start before it ends ({s} to {e})",
                f"会议日期{iso}：开始时间须早于结束时间（现为{s}至{e}）"), row=i, field="hours"))
        if day in seen:
            problems.append(Violation("plan.day_duplicate", bi(
                f"meeting day {iso} is listed twice", f"会议日期{iso}重复"), row=i, field="day"))
        seen.add(day)
    if not days:
        return problems
    first, last = min(seen), max(seen)
    if first != meeting_date:
        problems.append(Violation("plan.day_range", bi(
            f"the meeting's first day must be the plan's meeting date {meeting_date.isoformat()} "
            f"(the days begin on {first.isoformat()})",
            f"会议首日须为评审方案确定的会议日期{meeting_date.isoformat()}（现为{first.isoformat()}）"),
            field="day", ref="X§7"))
    if (last - meeting_date).days >= MAX_MEETING_DAYS:
        problems.append(Violation("plan.day_range", bi(
            f"meeting day {last.isoformat()} is {(last - meeting_date).days} days after the meeting date: "
            f"a closed meeting sits at most {MAX_MEETING_DAYS} consecutive days — check the date",
            f"会议日期{last.isoformat()}比会议开始日期晚{(last - meeting_date).days}天；"
            f"封闭评审会议最多连续{MAX_MEETING_DAYS}天，请核对日期"), field="day"))
    if vote_date is not None and vote_date not in seen:
        problems.append(vote_day_problem(vote_date, sorted(seen)))
    return problems


def vote_day_problem(vote_date: dt.date, days: Sequence[dt.date]) -> Violation:
    listed_en = ", ".join(d.isoformat() for d in days)
    listed_zh = "、".join(d.isoformat() for d in days)
    return Violation("plan.vote_day", bi(
        f"the vote date {vote_date.isoformat()} is not one of the meeting's days ({listed_en})",
        f"表决日期{vote_date.isoformat()}不在会议日期（{listed_zh}）之内"), field="vote_date")


def phone_problem(text: str, what: Bilingual) -> Violation | None:
    """``plan.phone`` when ``text`` (not empty) is not one or more telephone numbers; ``what``
    names the field, as ``bi(english, chinese)``."""
    value = (text or "").strip()
    if not value:
        return None
    for number in _PHONE_SPLIT.split(value):
        digits = _PHONE_PUNCT.sub("", _EXTENSION.sub("", number.strip()))
        digits = digits.removeprefix("+")
        hotline = len(digits) == 5 and digits.startswith("1")        # 12333, 12345
        if not (digits.isdigit() and digits.isascii() and (7 <= len(digits) <= 15 or hotline)):
            return Violation("plan.phone", bi(
                f"{what}: {value!r} is not a telephone number — write e.g. 0743-8220000 or 13807430000",
                f"{what.zh}：“{value}”不是有效的电话号码，应写作如 0743-8220000 或 13807430000"), field="phone")
    return None
