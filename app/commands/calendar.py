"""``conclave calendar``: the working-day calendar of a meeting database, from the command line.

    conclave calendar import FILE --db PATH [--by NAME]   # store the years of a conclave-calendar/1 file
    conclave calendar show YEAR [--db PATH] [--calendar FILE]

``import`` is what stores a year (audited, archived with the database); ``--calendar FILE``
on ``gui``, ``documents``, ``demo`` and ``recount`` only uses the file's years for that run.
``show`` prints a year's days off and make-up working days and where they come from.
Bad input is one line naming the field, in Chinese and English, with exit status 2.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
from pathlib import Path
from typing import TYPE_CHECKING

from app.errors import RuleViolation
from app.rules.calendar import WEEKDAYS_ZH, WorkCalendar, load_calendar_file
from app.rules.calendar_years import YearDays, day_ranges, year_days
from app.storage.db import default_db_path, no_database_at
from app.text import bi

if TYPE_CHECKING:
    from app.services import Conclave

_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def run_calendar(ns: argparse.Namespace) -> WorkCalendar | None:
    """The calendar file given with ``--calendar`` for this run (None without one); a bad file
    is refused naming its field."""
    path = getattr(ns, "calendar", None)
    return load_calendar_file(path) if path else None


def parse_date(text: str, option: str) -> dt.date:
    """A date written exactly ``YYYY-MM-DD``, else a refusal naming ``option``."""
    if _DATE.fullmatch(text):
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            pass
    raise RuleViolation.single("format.value", bi(
        f"{option}: must be a date written YYYY-MM-DD, got {text[:40]!r}",
        f"{option}：日期须写成 YYYY-MM-DD 的形式，收到的是 {text[:40]!r}"))


def parse_year(text: str) -> int:
    if re.fullmatch(r"[0-9]{4}", text) and int(text) >= 1:
        return int(text)
    raise RuleViolation.single("format.value", bi(f"YEAR: must be a year of four digits, got {text[:40]!r}",
                                                  f"年份（YEAR）须为四位数字，收到的是 {text[:40]!r}"))


def run(ns: argparse.Namespace) -> int:
    from app.services import Conclave

    if ns.action == "import":
        path = Path(ns.db)
        if no_database_at(path):
            raise RuleViolation.single("storage.missing", bi(f"--db: no meeting database at {path}",
                                                             f"--db：{path} 处没有会议数据库"))
        with Conclave(path) as app:
            actor = _actor(app, ns.by)
            years = app.working_days.import_file(actor, Path(ns.file))
            print(f"stored 已录入 {', '.join(map(str, years))} in {path} (entered by 录入人 {actor})")
            for year in years:
                _print_year(year_days(app.calendar, year), app, path)
        return 0
    year = parse_year(ns.year)
    run_years = run_calendar(ns)
    if ns.db:
        path = Path(ns.db)
        if no_database_at(path):
            raise RuleViolation.single("storage.missing", bi(f"--db: no meeting database at {path}",
                                                             f"--db：{path} 处没有会议数据库"))
    else:
        path = default_db_path()
    if no_database_at(path):     # no database: the bundled data and the file given, nothing stored
        from app.rules.calendar_years import LayeredCalendar

        known = year_days(LayeredCalendar(run=run_years.user_years() if run_years else None), year)
        _print_year(known, None, None)
        return 0
    with Conclave(path, run_years, read_only=True) as app:     # works beside an open window
        _print_year(year_days(app.calendar, year), app, path)
    return 0


def _actor(app: object, by: str | None) -> str:
    if by and by.strip():
        return by.strip()
    views = app.views  # type: ignore[attr-defined]
    ids = views.meeting_ids()
    if ids:
        return str(views.acting_secretary(ids[-1]))
    raise RuleViolation.single("audit.actor", bi(
        "--by: name who enters the calendar (the audit trail records it); the database holds no meeting "
        "whose secretary could be named instead",
        "--by：请写明录入人（记入审计日志）；该数据库中尚无会议，无法以会务人员的名义录入"))


def _print_year(days: YearDays, app: Conclave | None, path: Path | None) -> None:
    if not days.known:
        from app.rules.calendar_years import unknown_year_violation

        raise RuleViolation(unknown_year_violation(days.year, path))
    print(f"{days.year}: {_source(days, app, path)}")
    print(f"  holidays 放假 — {days.weekdays_off} weekdays off 工作日放假{days.weekdays_off}天:")
    for first, last in day_ranges(days.holidays):
        span = (last - first).days + 1
        name = days.names.get(first)
        label = f"  {name.zh} {name}" if name else ""
        when = _day(first) if first == last else f"{_day(first)} – {_day(last)}"
        print(f"    {when:<36} {span:>2} day{'s' if span > 1 else ' '} 天{label}")
    print(f"  make-up working days 调休上班 — {len(days.workdays)}:")
    for day in days.workdays:
        print(f"    {_day(day)}")
    if not days.workdays:
        print("    none 无")
    print(f"  working days in {days.year} 全年工作日: {days.working_days}")


def _day(day: dt.date) -> str:
    return f"{day.isoformat()} {_WEEKDAYS[day.weekday()]} {WEEKDAYS_ZH[day.weekday()]}"


def _source(days: YearDays, app: Conclave | None, path: Path | None) -> str:
    if days.source == "bundled":
        import chinese_calendar

        return f"bundled calendar 内置日历 (chinese_calendar {chinese_calendar.__version__})"
    if days.source == "run":
        return "the calendar file given with --calendar, for this run only 本次运行指定的日历文件（未保存）"
    assert app is not None, "a stored year is read from a meeting database"
    stored = app.views.stored_year(days.year)
    if stored is None:
        return f"stored in the meeting database 已保存在会议数据库 {path}"
    how = (f"loaded from the file 导入自文件 {stored.file_name} (sha256 {(stored.file_sha256 or '')[:12]}…)"
           if stored.source == "file" else "typed 手工录入")
    return (f"stored in the meeting database 已保存在会议数据库 {path}: {how}, "
            f"by 录入人 {stored.entered_by}, {stored.entered_at}")
