"""`conclave demo` runs all ten steps, and its results agree with `conclave recount` on its record.

The demo is the run shared by the whole test run (``demo_templates``: the same ``build_demo`` and
``print_results`` the command calls, with what they printed); the real `conclave demo` command runs
end to end in tests/calendar/test_calendar_cli.py (moved to December, with and without 2027) and
refuses to overwrite here. `export-record`, `recount` and `verify-db` run here as a user runs them.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from app.domain import Step
from tests.demo_templates import Templates


def _conclave(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "app.cli", *args], capture_output=True, text=True)


def test_demo_then_export_then_recount_agree(tmp_path: Path, demo_templates: Templates) -> None:
    db = demo_templates.copy(Step.PUBLICITY, tmp_path / "demo.sqlite3")     # the demo, all ten steps
    printed = demo_templates.printed()
    for n in range(1, 11):
        assert f"Step {n:>2} " in printed
    assert "passed 24 of 30" in printed
    assert "mismatch" in printed and "runoff among C024, C029" in printed

    record = tmp_path / "record.json"
    assert _conclave("export-record", "--db", str(db), "--out", str(record)).returncode == 0
    recount = _conclave("recount", str(record), "--out", str(tmp_path / "rc"))
    assert recount.returncode == 0, recount.stderr
    result = json.loads((tmp_path / "rc" / "result.json").read_text("utf-8"))
    assert result["errors"] == []

    # Every candidate line the demo printed agrees with the recount's outcome and first-round counts.
    lines = {line.split()[0]: line for line in printed.splitlines() if line.startswith("  C0")}
    assert len(lines) == len(result["candidates"]) == 30
    for c in result["candidates"]:
        line = lines[c["id"]]
        assert f"{c['yes']:>2} yes {c['no']:>2} no {c['abstain']:>2} abstain" in line
        assert f" {c['outcome']}" in line
        if c["reason"]:
            assert f"({c['reason']}:" in line
    assert result["threshold"] == 9 and result["attending_voters"] == 13 and result["panel_size"] == 13
    assert result["caps"] == {"中级": {"entered": 30, "max_pass": 24}}
    assert result["publicity"] == {"start": "2026-11-23", "start_by": "2026-11-25", "end": "2026-11-27"}
    assert result["filing_due"] == "2026-12-18"

    verify = _conclave("verify-db", "--db", str(db))
    assert verify.returncode == 0 and verify.stdout.startswith("intact")


def test_demo_refuses_to_overwrite_without_force(tmp_path: Path) -> None:
    db = tmp_path / "demo.sqlite3"
    db.write_bytes(b"")
    run = _conclave("demo", "--db", str(db))
    assert run.returncode == 2 and "--force" in run.stdout
