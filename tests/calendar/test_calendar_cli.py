"""The command line over the working-day calendar, run as a user runs it (subprocess): a December
demo without 2027 stops cleanly and still leaves its minutes; with a 2027 file it finishes, and
the recount of its record gives the filing date the calendar implies."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

from app.domain import Step
from app.rules.calendar import filing_due, load_calendar_file, publicity_dates
from app.sealing.keys import DEMO_PASSPHRASE
from tests.calendar.year2027 import document_2027, write_2027
from tests.demo_templates import Templates

ROOT = Path(__file__).resolve().parents[2]
D = dt.date


def _conclave(*args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT), QT_QPA_PLATFORM="offscreen")
    return subprocess.run([sys.executable, "-m", "app.cli", *args], capture_output=True, text=True, env=env,
                          cwd=ROOT, timeout=600)


def _one_line_refusal(done: subprocess.CompletedProcess[str], *fragments: str) -> str:
    """Exit 2, one line on stderr, no traceback, naming every fragment."""
    assert done.returncode == 2, done.stdout + done.stderr
    assert "Traceback" not in done.stderr and done.stderr.count("\n") == 1, done.stderr
    for fragment in fragments:
        assert fragment in done.stderr, (fragment, done.stderr)
    return done.stderr


def test_a_december_demo_without_2027_stops_and_its_minutes_can_still_be_written(tmp_path: Path) -> None:
    db = tmp_path / "x.sqlite3"
    line = _one_line_refusal(_conclave("demo", "--vote-date", "2026-12-10", "--db", str(db), "--quiet"),
                             "[calendar.unknown_year]", "2027", "在日历中录入2027年节假日",
                             f"conclave calendar import FILE --db {db}")
    assert "step 8" in line
    passphrase = tmp_path / "pass.txt"                   # the demo's key, made at its setup
    passphrase.write_text(DEMO_PASSPHRASE + "\n", encoding="utf-8")
    docs = _conclave("documents", "--db", str(db), "--out", str(tmp_path / "docs"), "--passphrase-file",
                     str(passphrase))
    assert docs.returncode == 0, docs.stdout + docs.stderr
    assert "01_评审会议记录.pdf" in docs.stdout and "(sealed, seal intact)" in docs.stdout
    [skipped] = [x for x in docs.stdout.splitlines() if x.strip().startswith("skipped filing-report")]
    assert "在日历中录入2027年节假日" in skipped
    assert (tmp_path / "docs" / "01_评审会议记录.pdf").exists() and not (tmp_path / "docs" / "07_备案报告.pdf").exists()
    # the same documents with 2027 given for the run: nothing waits for the calendar any more
    cal = write_2027(tmp_path / "2027.json")
    again = _conclave("documents", "--db", str(db), "--out", str(tmp_path / "docs2"), "--calendar", str(cal),
                      "--passphrase-file", str(passphrase))
    assert again.returncode == 0 and "2027" not in "".join(x for x in again.stdout.splitlines() if "skipped" in x)


def test_with_a_2027_file_the_demo_finishes_and_the_recount_agrees(tmp_path: Path) -> None:
    db, cal = tmp_path / "x.sqlite3", write_2027(tmp_path / "2027.json")
    demo = _conclave("demo", "--vote-date", "2026-12-10", "--db", str(db), "--calendar", str(cal))
    assert demo.returncode == 0, demo.stderr
    for n in range(1, 11):
        assert f"Step {n:>2} " in demo.stdout
    # what the calendar implies: publicity 11–17 December; 15 working days on, New Year's Day off
    calendar = load_calendar_file(cal)
    dates = publicity_dates(calendar, D(2026, 12, 10))
    due = filing_due(calendar, dates.end)
    assert (dates.start, dates.end, due) == (D(2026, 12, 11), D(2026, 12, 17), D(2027, 1, 8))
    assert f"publicity {dates.start} – {dates.end}" in demo.stdout and f"filing due {due}" in demo.stdout
    record = tmp_path / "record.json"
    assert _conclave("export-record", "--db", str(db), "--out", str(record)).returncode == 0
    recount = _conclave("recount", str(record), "--out", str(tmp_path / "rc"), "--calendar", str(cal))
    assert recount.returncode == 0, recount.stderr
    result = json.loads((tmp_path / "rc" / "result.json").read_text("utf-8"))
    assert result["errors"] == [] and result["filing_due"] == due.isoformat()
    assert result["publicity"] == {"start": "2026-12-11", "start_by": "2026-12-15", "end": "2026-12-17"}
    # the archive carries the calendar too, for the supervisor's recount
    archived = tmp_path / "archive" / "meeting-1-2026" / "calendar.json"
    assert json.loads(archived.read_text("utf-8"))["years"] == document_2027()["years"]


def test_import_stores_a_year_and_show_says_where_it_comes_from(tmp_path: Path, demo_templates: Templates) -> None:
    db = demo_templates.copy(Step.PUBLICITY, tmp_path / "x.sqlite3")    # what `conclave demo` leaves
    before = _conclave("calendar", "show", "2027", "--db", str(db))
    _one_line_refusal(before, "[calendar.unknown_year]", "2027", "conclave calendar import")
    stored = _conclave("calendar", "import", str(write_2027(tmp_path / "2027.json")), "--db", str(db))
    assert stored.returncode == 0, stored.stderr
    assert "stored 已录入 2027" in stored.stdout and "李文静" in stored.stdout
    show = _conclave("calendar", "show", "2027", "--db", str(db))
    assert show.returncode == 0, show.stderr
    assert "stored in the meeting database" in show.stdout and "2027.json" in show.stdout
    assert "2027-02-05 Fri 星期五 – 2027-02-13 Sat 星期六" in show.stdout
    assert "2027-02-14 Sun 星期日" in show.stdout and "全年工作日: 248" in show.stdout
    bundled = _conclave("calendar", "show", "2026", "--db", str(db))
    assert "bundled calendar" in bundled.stdout and "春节 Spring Festival" in bundled.stdout
    verify = _conclave("verify-db", "--db", str(db))
    assert verify.returncode == 0 and "intact" in verify.stdout


def test_bad_input_is_one_line_naming_the_field(tmp_path: Path, demo_templates: Templates) -> None:
    db = demo_templates.copy(Step.PUBLICITY, tmp_path / "x.sqlite3")
    bad = document_2027()
    bad["years"]["2027"]["workdays"].append("2027-02-08")  # type: ignore[index]
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(bad), encoding="utf-8")
    _one_line_refusal(_conclave("calendar", "import", str(path), "--db", str(db)),
                      "[format.value]", "years.2027", "workdays", "Monday", "星期一")
    _one_line_refusal(_conclave("calendar", "import", str(tmp_path / "none.json"), "--db", str(db)),
                      "[format.value]", "file not found")
    _one_line_refusal(_conclave("calendar", "import", str(path), "--db", str(tmp_path / "missing.sqlite3")),
                      "[storage.missing]", "--db")
    _one_line_refusal(_conclave("calendar", "show", "27", "--db", str(db)), "[format.value]", "YEAR", "四位数字")
    _one_line_refusal(_conclave("demo", "--vote-date", "2026/12/10", "--db", str(tmp_path / "y.sqlite3")),
                      "[format.value]", "--vote-date", "YYYY-MM-DD")
    assert not (tmp_path / "y.sqlite3").exists()
    for command in (("demo", "--db", str(tmp_path / "z.sqlite3")),
                    ("documents", "--db", str(db), "--out", str(tmp_path / "d")),
                    ("gui", "--db", str(db))):
        _one_line_refusal(_conclave(*command, "--calendar", str(path)), "[format.value]", "workdays", "Monday")
    assert not (tmp_path / "z.sqlite3").exists() and not (tmp_path / "d").exists()
