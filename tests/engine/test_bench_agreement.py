"""``conclave bench`` compares the engine with ``conclave recount``. With fewer runoffs than its meeting
needs (``--runoffs 0``) nothing is stored as final yet: it compares the engine's count of the ballots,
and does not report a disagreement that is not there (it printed "agree … NO" and exited 1)."""

from __future__ import annotations

from pathlib import Path

from app.bench import run_bench


def test_a_bench_stopped_before_its_runoff_compares_the_engines_count(tmp_path: Path) -> None:
    lines: list[str] = []
    figures = run_bench(tmp_path / "bench.sqlite3", 5, 41, 0, out=lines.append)
    assert "5 candidates, 41 voters, 0 runoff rounds" in lines[0] and figures["agree"] == 1.0
    assert lines[-1].strip() == ("passed 1; a runoff is still to hold after 0 (--runoffs 0); "
                                 "the engine's count agrees with the recount: yes")
