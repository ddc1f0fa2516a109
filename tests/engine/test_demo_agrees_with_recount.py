"""`conclave demo` runs all ten steps, and its results agree with `conclave recount` on its record."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path


def _conclave(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "app.cli", *args], capture_output=True, text=True)


def test_demo_then_export_then_recount_agree(tmp_path: Path) -> None:
    db = tmp_path / "demo.sqlite3"
    demo = _conclave("demo", "--db", str(db))
    assert demo.returncode == 0, demo.stderr
    for n in range(1, 11):
        assert f"Step {n:>2} " in demo.stdout
    assert "passed 24 of 30" in demo.stdout
    assert "mismatch" in demo.stdout and "runoff among C024, C029" in demo.stdout

    record = tmp_path / "record.json"
    assert _conclave("export-record", "--db", str(db), "--out", str(record)).returncode == 0
    recount = _conclave("recount", str(record), "--out", str(tmp_path / "rc"))
    assert recount.returncode == 0, recount.stderr
    result = json.loads((tmp_path / "rc" / "result.json").read_text("utf-8"))
    assert result["errors"] == []

    # Every candidate line the demo printed agrees with the recount's outcome and first-round counts.
    printed = {line.split()[0]: line for line in demo.stdout.splitlines() if line.startswith("  C0")}
    assert len(printed) == len(result["candidates"]) == 30
    for c in result["candidates"]:
        line = printed[c["id"]]
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
