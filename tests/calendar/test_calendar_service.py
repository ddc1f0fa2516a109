"""Years of the working-day calendar entered by the user: stored in the meeting database by one
audited call, counted on at once, kept across reopening, refused when they cannot be right."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select, text

from app.errors import RuleViolation
from app.rules.calendar import UserYear, WorkCalendar, filing_due
from app.rules.calendar_years import day_ranges, unknown_year_in, year_days
from app.services import Conclave
from app.services.setup import CommitteeInput, PlanInput
from app.storage import db
from app.storage.db import open_engine, schema_version
from app.storage.schema import audit_event
from tests.calendar.year2027 import WORKDAYS_2027, document_2027, holidays_2027, write_2027

D = dt.date
SECRETARY = "人事科 李文静"


@pytest.fixture
def app(tmp_path: Path) -> Iterator[Conclave]:
    with Conclave(tmp_path / "m.sqlite3") as app:
        yield app


def _events(app: Conclave) -> list[tuple[str, str, dict[str, object]]]:
    with app.store.read() as conn:
        rows = conn.execute(select(audit_event.c.actor, audit_event.c.action, audit_event.c.data)
                            .order_by(audit_event.c.seq)).all()
    return [(r.actor, r.action, json.loads(r.data)) for r in rows]


def _refused(call: object) -> RuleViolation:
    with pytest.raises(RuleViolation) as err:
        call()  # type: ignore[operator]
    return err.value


def test_a_typed_year_is_stored_audited_and_counted_on_at_once(app: Conclave) -> None:
    assert app.calendar.source(2027) is None
    stored = app.working_days.store_year(SECRETARY, 2027, holidays_2027(), WORKDAYS_2027)
    assert (stored.year, stored.source, stored.entered_by, stored.file_name) == (2027, "typed", SECRETARY, None)
    assert app.calendar.source(2027) == "stored" and [s.year for s in app.views.calendar_years()] == [2027]
    assert not app.calendar.is_workday(D(2027, 2, 8)) and app.calendar.is_workday(D(2027, 2, 14))   # a Sunday
    # the filing deadline of a 10 December 2026 vote: 15 working days after 17 December, New Year's Day off
    assert filing_due(app.calendar, D(2026, 12, 17)) == D(2027, 1, 8)
    [(actor, action, data)] = _events(app)
    assert (actor, action, data["source"]) == (SECRETARY, "calendar.store", "typed")
    assert data["years"]["2027"]["workdays"] == [d.isoformat() for d in WORKDAYS_2027]
    assert data["replaced"] == {} and data["replaced_bundled"] == []


def test_a_stored_year_survives_reopening_the_database(tmp_path: Path) -> None:
    path = tmp_path / "m.sqlite3"
    with Conclave(path) as app:
        app.working_days.store_year(SECRETARY, 2027, holidays_2027(), WORKDAYS_2027)
    with Conclave(path) as again:
        assert again.calendar.source(2027) == "stored"
        days = year_days(again.calendar, 2027)
        assert days.working_days == 248 and days.weekdays_off == 18
        assert day_ranges(days.holidays)[1] == (D(2027, 2, 5), D(2027, 2, 13))
        assert again.views.stored_year(2027).workdays == WORKDAYS_2027  # type: ignore[union-attr]


def test_a_make_up_day_on_a_weekday_is_refused_naming_the_field(app: Conclave) -> None:
    err = _refused(lambda: app.working_days.store_year(SECRETARY, 2027, holidays_2027(), [D(2027, 2, 8)]))
    message = err.violations[0].message
    assert err.rule == "calendar.entry" and "workdays" in message and "Monday" in message
    assert "星期一" in message.zh and "调休上班日" in message.zh  # type: ignore[attr-defined]
    assert app.views.calendar_years() == () and _events(app) == [] and app.calendar.source(2027) is None


@pytest.mark.parametrize(("holidays", "workdays", "fragment"), [
    ([], [], "no day off is listed"),
    ([D(2026, 12, 31)], [], "2026-12-31 is not in 2027"),
    ([D(2027, 1, 1), D(2027, 2, 6)], [D(2027, 2, 6)], "both as a holiday and as a working day"),
])
def test_a_year_that_cannot_be_right_is_refused(app: Conclave, holidays: list[dt.date],
                                                workdays: list[dt.date], fragment: str) -> None:
    err = _refused(lambda: app.working_days.store_year(SECRETARY, 2027, holidays, workdays))
    assert err.rule == "calendar.entry" and fragment in " ".join(v.message for v in err.violations)
    assert app.views.calendar_years() == ()


def test_nobody_stores_a_year_anonymously(app: Conclave) -> None:
    assert _refused(lambda: app.working_days.store_year(" ", 2027, holidays_2027(), [])).rule == "audit.actor"


def test_a_calendar_file_is_stored_whole_with_its_name_and_digest(app: Conclave, tmp_path: Path) -> None:
    path = write_2027(tmp_path / "2027.json")
    assert app.working_days.import_file(SECRETARY, path) == (2027,)
    stored = app.views.stored_year(2027)
    assert stored is not None and (stored.source, stored.file_name) == ("file", "2027.json")
    assert stored.file_sha256 is not None and len(stored.file_sha256) == 64
    assert [a for _, a, _ in _events(app)] == ["calendar.store"]


def test_a_bad_calendar_file_stores_nothing(app: Conclave, tmp_path: Path) -> None:
    doc = document_2027()
    doc["years"]["2027"]["workdays"].append("2027-03-03")  # type: ignore[index]
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    err = _refused(lambda: app.working_days.import_file(SECRETARY, path))
    assert err.rule == "format.value" and "years.2027" in err.violations[0].message
    assert "Wednesday" in err.violations[0].message and "星期三" in err.violations[0].message.zh  # type: ignore[attr-defined]
    assert app.views.calendar_years() == () and _events(app) == []


def test_a_correction_replaces_the_year_and_the_audit_trail_keeps_the_old_one(app: Conclave) -> None:
    app.working_days.store_year(SECRETARY, 2027, [D(2027, 1, 1)], [])
    app.working_days.store_year("人事科 王海", 2027, holidays_2027(), WORKDAYS_2027)
    assert app.views.stored_year(2027).entered_by == "人事科 王海"  # type: ignore[union-attr]
    assert _events(app)[-1][2]["replaced"] == {"2027": {"holidays": ["2027-01-01"], "workdays": []}}


def test_a_stored_year_replaces_the_bundled_one_and_a_run_file_comes_first(tmp_path: Path) -> None:
    path = tmp_path / "m.sqlite3"
    with Conclave(path) as app:
        assert app.calendar.source(2026) == "bundled" and app.calendar.is_workday(D(2026, 12, 31))
        app.working_days.store_year(SECRETARY, 2026, [D(2026, 1, 1), D(2026, 12, 31)], [])
        assert app.calendar.source(2026) == "stored" and not app.calendar.is_workday(D(2026, 12, 31))
        assert _events(app)[-1][2]["replaced_bundled"] == [2026]
        app.working_days.store_year(SECRETARY, 2027, holidays_2027(), WORKDAYS_2027)
    run = WorkCalendar({2027: UserYear(frozenset({D(2027, 1, 1), D(2027, 1, 4)}), frozenset())})
    with Conclave(path, run) as app:
        assert app.calendar.source(2027) == "run" and not app.calendar.is_workday(D(2027, 1, 4))
        assert app.calendar.is_workday(D(2027, 2, 8))        # the run's 2027 has no Spring Festival
        assert app.calendar.source(2026) == "stored"


def test_an_older_database_is_upgraded_with_the_calendar_table(tmp_path: Path) -> None:
    """A schema-1 file (before the calendar table) opens, is backed up, and gets the table."""
    path = tmp_path / "old.sqlite3"
    engine = open_engine(path)
    with engine.begin() as conn:
        conn.execute(text("DROP TABLE calendar_year"))
        for table in ("draw_history", "candidate_withdrawal"):            # what schema 3 added
            conn.execute(text(f"DROP TABLE {table}"))
        conn.execute(text("ALTER TABLE meeting DROP COLUMN quorum"))
        conn.execute(text("ALTER TABLE pool_expert DROP COLUMN hr_approval"))
        conn.execute(text("UPDATE meta SET value = '1' WHERE key = 'schema_version'"))
    engine.dispose()
    with Conclave(path) as app:
        with app.store.read() as conn:
            assert schema_version(conn) == db.SCHEMA_VERSION
        app.working_days.store_year(SECRETARY, 2027, holidays_2027(), WORKDAYS_2027)
        assert app.calendar.source(2027) == "stored"
    assert path.with_name("old.sqlite3.schema1.bak").exists()


# -- a refusal for a year nobody entered says which year and where to enter it ------------------

COMMITTEE = CommitteeInput("某市卫生系列中级职称评审委员会", "intermediate", "series", "卫生系列",
                           D(2025, 6, 1), "湘人社函〔2025〕118号")
PLAN = PlanInput(year=2027, title="2027年度卫生系列中级职称评审", place="第三会议室",
                 plan_filed=D(2026, 12, 28), meeting_date=D(2027, 1, 12),
                 rubric=[("工作业绩", 60), ("科研成果", 40)], secretary=SECRETARY, supervisor="纪检监察组 周强")


def test_a_january_meeting_needs_the_new_year_entered_first(app: Conclave) -> None:
    err = _refused(lambda: app.setup.open_meeting(COMMITTEE, PLAN))
    message = err.violations[0].message
    assert err.rule == "calendar.unknown_year" and unknown_year_in(message) == 2027
    assert "在日历中录入2027年节假日" in message.zh  # type: ignore[attr-defined]
    assert f"conclave calendar import FILE --db {app.path}" in message and "\n" not in message
    app.working_days.store_year(SECRETARY, 2027, holidays_2027(), WORKDAYS_2027)
    assert app.setup.open_meeting(COMMITTEE, PLAN).meeting_id == 1
    late = dataclasses.replace(PLAN, plan_filed=D(2027, 1, 6))      # 4 working days: too late, now known
    assert _refused(lambda: app.setup.open_meeting(COMMITTEE, late)).rule == "plan.filed_late"
