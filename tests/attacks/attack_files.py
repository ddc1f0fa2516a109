"""Hostile input files: the two workbooks that declare or hold enormous sheets, and the record file
that ``conclave recount`` is fed — ISO week dates and a 50 MB bad value (issue 10, points 5 and 6)."""

from __future__ import annotations

import json
from pathlib import Path

from tests.attacks import Lab, Outcome, attack, measured
from tests.importing.hostile import huge_dimension, many_shared_strings

ACCEPTANCE = Path(__file__).resolve().parents[1] / "acceptance" / "record"
SECONDS, MEGABYTES = 5.0, 300.0

#: Reads a roster the way the window's import does, in a process of its own; prints its problems
#: and how long the reading took (the process's start-up, Python's and openpyxl's, is not the file's).
_IMPORT = """
import json, sys, time
from pathlib import Path
from app.importing import read_candidates
started = time.monotonic()
result = read_candidates(Path(sys.argv[1]))
print(json.dumps({"seconds": time.monotonic() - started,
                  "problems": [p.message_zh for p in result.problems]}, ensure_ascii=False))
"""


@attack(f"the two hostile workbooks (A1:XFD1048576; 20 million shared strings): refused within "
        f"{SECONDS:.0f} s and {MEGABYTES:.0f} MB")
def hostile_workbooks(lab: Lab) -> Outcome:
    out = Outcome()
    files = [huge_dimension(lab.path("dimension.xlsx")), many_shared_strings(lab.path("strings.xlsx"))]
    for path in files:
        worst = (0.0, 0.0, 0.0)
        for _ in range(3):
            run = measured(["-c", _IMPORT, str(path)], timeout=120)
            said = json.loads(run.out) if run.code == 0 else {"seconds": run.seconds, "problems": []}
            problems, seconds = said["problems"], float(said["seconds"])
            refused = len(problems) == 1 and path.name in problems[0] and "超过本系统的上限" in problems[0]
            out.check(refused and seconds < SECONDS and run.peak_mb < MEGABYTES,
                      f"{path.name}: {'refused' if refused else 'NOT refused: ' + run.err[-200:]} in "
                      f"{seconds:.1f} s, {run.peak_mb:.0f} MB")
            worst = (max(worst[0], seconds), max(worst[1], run.peak_mb), max(worst[2], run.seconds))
        out.figures.append(f"{path.name} ({path.stat().st_size / 1024:.1f} KB): refused in {worst[0]:.2f} s at "
                           f"worst, peak {worst[1]:.0f} MB (the whole process {worst[2]:.1f} s)")
    return out


def _valid() -> dict:
    return dict(json.loads((ACCEPTANCE / "valid_meeting.json").read_text(encoding="utf-8")))


@attack("recount fed ISO week dates and other not-quite dates")
def recount_dates(lab: Lab) -> Outcome:
    out = Outcome()
    for written in ("2026-W47-5", "2026-W47", "2026W475", "20261120", "2026-11-20T00:00", "２０２６-１１-２０",
                    "2026-1-20 ", "2026-11-20\u200b", "+2026-11-20"):
        doc = _valid()
        doc["meeting"]["vote_date"] = written
        record = lab.path("record.json")
        record.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
        run = lab.cli("recount", str(record), "--out", str(record.parent / "out"))
        errors = json.loads((record.parent / "out" / "result.json").read_text(encoding="utf-8"))["errors"] \
            if (record.parent / "out" / "result.json").exists() else []
        out.check(run.code == 2 and [e["rule"] for e in errors] == ["format.value"]
                  and "meeting.vote_date" in errors[0]["message"] and "Traceback" not in run.err,
                  f"vote_date {written!r}: exit {run.code}, {errors or run.err[-200:]}")
    return out


@attack("recount fed a 50 MB bad value: refused quickly, quoted in 80 characters")
def recount_huge_value(lab: Lab) -> Outcome:
    out = Outcome()
    huge = "x" * (50 * 1024 * 1024)
    for where in ("vote_date", "level", "a key"):
        doc = _valid()
        if where == "vote_date":
            doc["meeting"]["vote_date"] = huge
        elif where == "level":
            doc["committee"]["level"] = huge
        else:
            doc["committee"][huge] = huge
        record = lab.path("record.json")
        record.write_text(json.dumps(doc), encoding="utf-8")
        del doc
        run = lab.cli("recount", str(record), "--out", str(record.parent / "out"))
        result = record.parent / "out" / "result.json"
        messages = [e["message"] for e in json.loads(result.read_text(encoding="utf-8"))["errors"]] \
            if result.exists() else []
        short = run.err.count("\n") == 1 and len(run.err) < 220 and "x" * 81 not in run.err
        out.check(run.code == 2 and short and messages and all(len(m) < 220 for m in messages)
                  and result.stat().st_size < 1000 and run.seconds < SECONDS,
                  f"{where}: exit {run.code}, {run.seconds:.1f} s, {len(run.err)} characters said, "
                  f"{result.stat().st_size if result.exists() else 0} bytes written")
        out.figures.append(f"{where}: {run.seconds:.1f} s, {run.peak_mb:.0f} MB peak, "
                           f"{len(run.err.strip())}-character line")
    return out
