"""The command line over the working-day calendar, run as a user runs it: a December demo
without 2027 stops cleanly and still leaves its minutes; with a 2027 file it finishes, and the
recount of its record gives the filing date the calendar implies.

The commands are driven through :func:`app.cli.main` in this process (:func:`~tests.calendar.december.conclave`:
exit status, stdout and stderr as a process gives them); the two December demos are run once per test
run and shared with tests/calendar/test_dated_papers.py (:class:`~tests.calendar.december.December`).
One refusal is also made by a fresh interpreter (``python -m app.cli``, :func:`_process`): a bad
``--calendar`` refused by ``conclave gui`` as one line, exit status 2, no traceback, before any window
— the process itself, as a user's shell sees it.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

from app.rules.calendar import filing_due, load_calendar_file, publicity_dates
from app.sealing.keys import DEMO_PASSPHRASE
from tests.calendar.december import December, conclave
from tests.calendar.year2027 import document_2027, write_2027

ROOT = Path(__file__).resolve().parents[2]
D = dt.date


def _process(*args: str) -> subprocess.CompletedProcess[str]:
    """``conclave ARGS`` in a fresh interpreter, as a user's shell runs it."""
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


def test_a_december_demo_without_2027_stops_and_its_minutes_can_still_be_written(december: December,
                                                                                  tmp_path: Path) -> None:
    # conclave demo --vote-date 2026-12-10 --db DB --quiet (run once: december.run)
    line = _one_line_refusal(december.run("stopped"), "[calendar.unknown_year]", "2027", "在日历中录入2027年节假日",
                             f"conclave calendar import FILE --db {december.db('stopped')}")
    assert "step 8" in line
    db = december.copy("stopped", tmp_path / "x.sqlite3")      # the meeting it left, stored up to step 8
    passphrase = tmp_path / "pass.txt"                   # the demo's key, made at its setup
    passphrase.write_text(DEMO_PASSPHRASE + "\n", encoding="utf-8")
    docs = conclave("documents", "--db", str(db), "--out", str(tmp_path / "docs"), "--passphrase-file",
                     str(passphrase))
    assert docs.returncode == 0, docs.stdout + docs.stderr
    assert "01_评审会议记录.pdf" in docs.stdout and "(sealed, seal intact)" in docs.stdout
    [skipped] = [x for x in docs.stdout.splitlines() if x.strip().startswith("skipped filing-report")]
    assert "在日历中录入2027年节假日" in skipped
    assert (tmp_path / "docs" / "01_评审会议记录.pdf").exists() and not (tmp_path / "docs" / "07_备案报告.pdf").exists()
    # the same documents with 2027 given for the run: nothing waits for the calendar any more (unsealed:
    # what waits is the same with or without the seal, and the seal was seen above)
    cal = write_2027(tmp_path / "2027.json")
    again = conclave("documents", "--db", str(db), "--out", str(tmp_path / "docs2"), "--calendar", str(cal))
    skipped_again = [x.strip() for x in again.stdout.splitlines() if x.strip().startswith("skipped")]
    assert again.returncode == 0 and skipped_again, again.stdout + again.stderr
    # the filing report now waits only for the publicity's outcome (the meeting stopped at step 8)
    assert all("2027" not in x for x in skipped_again), skipped_again
    waits = "skipped filing-report: 公示期满前不能生成备案报告：须写明公示有无异议"
    assert [x for x in skipped_again if "filing-report" in x] == [waits]


def test_with_a_2027_file_the_demo_finishes_and_the_recount_agrees(december: December, tmp_path: Path) -> None:
    # conclave demo --vote-date 2026-12-10 --db DB --calendar 2027.json (run once: december.run)
    demo, cal = december.run("finished"), december.calendar
    assert demo.returncode == 0, demo.stderr
    db = december.copy("finished", tmp_path / "x.sqlite3")
    for n in range(1, 11):
        assert f"Step {n:>2} " in demo.stdout
    # what the calendar implies: publicity 11–17 December; 15 working days on, New Year's Day off
    calendar = load_calendar_file(cal)
    dates = publicity_dates(calendar, D(2026, 12, 10))
    due = filing_due(calendar, dates.end)
    assert (dates.start, dates.end, due) == (D(2026, 12, 11), D(2026, 12, 17), D(2027, 1, 8))
    assert f"publicity {dates.start} – {dates.end}" in demo.stdout and f"filing due {due}" in demo.stdout
    record = tmp_path / "record.json"
    assert conclave("export-record", "--db", str(db), "--out", str(record)).returncode == 0
    recount = conclave("recount", str(record), "--out", str(tmp_path / "rc"), "--calendar", str(cal))
    assert recount.returncode == 0, recount.stderr
    result = json.loads((tmp_path / "rc" / "result.json").read_text("utf-8"))
    assert result["errors"] == [] and result["filing_due"] == due.isoformat()
    assert result["publicity"] == {"start": "2026-12-11", "start_by": "2026-12-15", "end": "2026-12-17"}
    # the archive carries the calendar too, for the supervisor's recount
    archived = december.db("finished").parent / "archive" / "meeting-1-2026" / "calendar.json"
    assert json.loads(archived.read_text("utf-8"))["years"] == document_2027()["years"]


def test_import_stores_a_year_and_show_says_where_it_comes_from(tmp_path: Path, december: December) -> None:
    db = december.copy("finished", tmp_path / "x.sqlite3")    # what `conclave demo` leaves
    before = conclave("calendar", "show", "2027", "--db", str(db))
    _one_line_refusal(before, "[calendar.unknown_year]", "2027", "conclave calendar import")
    stored = conclave("calendar", "import", str(write_2027(tmp_path / "2027.json")), "--db", str(db))
    assert stored.returncode == 0, stored.stderr
    assert "stored 已录入 2027" in stored.stdout and "李文静" in stored.stdout
    show = conclave("calendar", "show", "2027", "--db", str(db))
    assert show.returncode == 0, show.stderr
    assert "stored in the meeting database" in show.stdout and "2027.json" in show.stdout
    assert "2027-02-05 Fri 星期五 – 2027-02-13 Sat 星期六" in show.stdout
    assert "2027-02-14 Sun 星期日" in show.stdout and "全年工作日: 248" in show.stdout
    bundled = conclave("calendar", "show", "2026", "--db", str(db))
    assert "bundled calendar" in bundled.stdout and "春节 Spring Festival" in bundled.stdout
    verify = conclave("verify-db", "--db", str(db))
    assert verify.returncode == 0 and "intact" in verify.stdout


def test_bad_input_is_one_line_naming_the_field(tmp_path: Path, december: December) -> None:
    db = december.copy("finished", tmp_path / "x.sqlite3")
    bad = document_2027()
    bad["years"]["2027"]["workdays"].append("2027-02-08")  # type: ignore[index]
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(bad), encoding="utf-8")
    _one_line_refusal(conclave("calendar", "import", str(path), "--db", str(db)),
                      "[format.value]", "years.2027", "workdays", "Monday", "星期一")
    _one_line_refusal(conclave("calendar", "import", str(tmp_path / "none.json"), "--db", str(db)),
                      "[format.value]", "file not found")
    _one_line_refusal(conclave("calendar", "import", str(path), "--db", str(tmp_path / "missing.sqlite3")),
                      "[storage.missing]", "--db")
    _one_line_refusal(conclave("calendar", "show", "27", "--db", str(db)), "[format.value]", "YEAR", "四位数字")
    _one_line_refusal(conclave("demo", "--vote-date", "2026/12/10", "--db", str(tmp_path / "y.sqlite3")),
                      "[format.value]", "--vote-date", "YYYY-MM-DD")
    assert not (tmp_path / "y.sqlite3").exists()
    for command in (("demo", "--db", str(tmp_path / "z.sqlite3")),
                    ("documents", "--db", str(db), "--out", str(tmp_path / "d"))):
        _one_line_refusal(conclave(*command, "--calendar", str(path)), "[format.value]", "workdays", "Monday")
    # the window's command, in a fresh interpreter: refused before Qt opens anything
    _one_line_refusal(_process("gui", "--db", str(db), "--calendar", str(path)),
                      "[format.value]", "workdays", "Monday")
    assert not (tmp_path / "z.sqlite3").exists() and not (tmp_path / "d").exists()
