"""A December vote without next year's calendar: only what prints a date in that year waits.

The demo meeting is moved to vote on 10 December 2026 (publicity 11–17 December, filing due in
January 2027) and on 29 December 2026 (the publicity itself runs into 2027); 2027 is known to
no bundled calendar. The meeting moved to 10 December is the one ``conclave demo --vote-date
2026-12-10`` left (tests/calendar/december.py: after step 8 without 2027, after step 9 with it).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from app.demo import load_demo_data
from app.domain import Step
from app.errors import RuleViolation
from app.rules.calendar import load_calendar_file
from app.rules.calendar_years import unknown_year_in
from app.services import Conclave
from tests.calendar.december import December
from tests.calendar.moved import MovedDemos
from tests.calendar.year2027 import WORKDAYS_2027, holidays_2027, write_2027

D = dt.date
SECRETARY = "人事科 李文静"
Open = Callable[[D, Step], Conclave]


@pytest.fixture(scope="module")
def moved(tmp_path_factory: pytest.TempPathFactory, december: December) -> MovedDemos:
    return MovedDemos(tmp_path_factory, known={(D(2026, 12, 10), Step.SIGNING): lambda: december.db("stopped"),
                                               (D(2026, 12, 10), Step.ARCHIVE): lambda: december.db("finished-9")})


@pytest.fixture
def meeting(moved: MovedDemos, tmp_path: Path) -> Iterator[Open]:
    """``meeting(vote_date, until)``: a private copy of the demo meeting moved to ``vote_date``."""
    with moved.opening(tmp_path) as make:
        yield make


def _refused(call: object) -> RuleViolation:
    with pytest.raises(RuleViolation) as err:
        call()  # type: ignore[operator]
    return err.value


def test_the_demo_moves_with_its_vote_date() -> None:
    d = load_demo_data(D(2027, 3, 18))
    assert (d["plan"]["meeting_date"], d["plan"]["plan_filed"], d["plan"]["year"]) == ("2027-03-18", "2027-02-28", 2027)
    assert d["plan"]["title"].startswith("2027年度") and d["draw"]["seed"] == "demo-2027-03-17-witnessed"
    assert d["committee"]["filing_date"] == "2024-09-27"         # 118 days later, as the vote
    served = {p["id"]: p["served"] for p in d["pool"] if p["served"]}
    assert served["P003"] == [2025, 2026]       # still excluded: served in both previous years
    assert load_demo_data()["draw"]["seed"] == "demo-2026-11-19-witnessed"   # the demo's own day, unchanged


def test_when_the_publicity_runs_into_2027_every_paper_printing_it_waits(meeting: Open, tmp_path: Path) -> None:
    app = meeting(D(2026, 12, 29), Step.SIGNING)
    found = app.closing.deadlines(1)
    assert found.publicity is None and found.missing_year == 2027
    err = _refused(lambda: app.closing.set_publicity(SECRETARY, 1, D(2026, 12, 30)))
    assert err.rule == "calendar.unknown_year" and "公示期" in err.violations[0].message.zh  # type: ignore[attr-defined]
    report = app.documents.write(SECRETARY, 1, tmp_path / "docs", None, handouts=False)
    skipped = dict(report.skipped)
    assert {"publicity", "filing-report", "work-summary"} <= set(skipped)
    assert all(unknown_year_in(skipped[k]) == 2027 for k in ("publicity", "filing-report", "work-summary"))
    assert {"minutes", "result-sheets", "ballots-1", "vote-summary"} <= {d.kind for d in report.written}


def test_a_december_vote_knows_its_publicity_but_not_its_filing_deadline(meeting: Open) -> None:
    app = meeting(D(2026, 12, 10), Step.ARCHIVE)
    found = app.closing.deadlines(1)
    assert found.publicity is not None and (found.publicity.start, found.publicity.end) == (D(2026, 12, 11),
                                                                                             D(2026, 12, 17))
    assert found.filing_due is None and found.missing_year == 2027
    err = _refused(lambda: app.closing.publicity(1))
    assert err.rule == "calendar.unknown_year" and unknown_year_in(err.violations[0].message) == 2027
    assert "备案截止日期" in err.violations[0].message.zh  # type: ignore[attr-defined]
    # the publicity starts on time all the same; the meeting cannot end without its filing deadline
    assert app.closing.set_publicity(SECRETARY, 1, D(2026, 12, 11)).end == D(2026, 12, 17)
    [missing] = app.procedure.gate(1, Step.PUBLICITY)
    assert unknown_year_in(missing) == 2027 and "在日历中录入2027年节假日" in missing.zh  # type: ignore[attr-defined]
    assert _refused(lambda: app.procedure.complete(SECRETARY, 1, Step.PUBLICITY)).rule == "step.gate"
    app.working_days.store_year(SECRETARY, 2027, holidays_2027(), WORKDAYS_2027)
    assert app.closing.publicity(1)[1] == D(2027, 1, 8) and app.procedure.gate(1, Step.PUBLICITY) == []
    app.procedure.complete(SECRETARY, 1, Step.PUBLICITY)
    assert app.views.meeting(1).finished


def test_without_2027_the_documents_are_written_and_the_dated_paper_waits(meeting: Open, tmp_path: Path) -> None:
    app = meeting(D(2026, 12, 10), Step.SIGNING)
    report = app.documents.write(SECRETARY, 1, tmp_path / "docs", None, handouts=False)
    kinds = {d.kind for d in report.written}
    assert {"minutes", "result-sheets", "ballots-1", "tally-1", "publicity", "work-summary"} <= kinds
    assert (tmp_path / "docs" / "01_评审会议记录.pdf").stat().st_size > 10_000
    skipped = dict(report.skipped)
    assert "filing-report" in skipped and unknown_year_in(skipped["filing-report"]) == 2027
    assert "conclave calendar import" in skipped["filing-report"]


def test_the_archive_holds_the_calendar_it_counted_on(meeting: Open, tmp_path: Path) -> None:
    app = meeting(D(2026, 12, 10), Step.SIGNING)
    assert app.views.meeting(1).current_step == Step.ARCHIVE
    app.working_days.import_file(SECRETARY, write_2027(tmp_path / "2027.json"))
    archived = app.documents.archive(SECRETARY, 1, tmp_path / "archive", documents=False)
    cal = load_calendar_file(archived.path / "calendar.json")
    assert cal.user_years() == app.calendar.user_years()
    assert "calendar.json" in (archived.path / "MANIFEST.sha256").read_text(encoding="utf-8")
