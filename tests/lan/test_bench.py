"""``conclave bench --terminals N``: the one line, from a real host process and N terminal clients
(here the demo meeting's 13 experts and 30 candidates). Twice, it pairs and signs in 13 terminals
against a host in a process of its own — 6 s a run on an idle laptop, three times that on a busy
one — so the everyday run skips it: ``CONCLAVE_LAN_BENCH=1`` runs it."""

from __future__ import annotations

import os
import random
import re
import subprocess
import sys
from pathlib import Path

import pytest

from app.demo import DEMO_STAFF_CODES, _ballots, load_demo_data
from app.domain import Step
from app.lan.bench import all_at_once, measure
from app.services import Conclave
from tests.demo_templates import Templates

LINE = (r"terminals: 13 ballots of 30 candidates received over TLS in \d+\.\d\d s "
        r"\(in-process casts: \d+\.\d\d s, ratio \d+\.\d\d\); host peak RSS \d+ MiB")


@pytest.mark.slow
@pytest.mark.skipif(os.environ.get("CONCLAVE_LAN_BENCH") != "1", reason="a host process and 13 terminals (seconds): "
                                                                        "set CONCLAVE_LAN_BENCH=1")
def test_the_lan_bench_prints_the_issues_one_line(demo_templates: Templates, tmp_path: Path) -> None:
    db = demo_templates.copy(Step.PLENARY, tmp_path / "lan.sqlite3")
    twin = demo_templates.copy(Step.PLENARY, tmp_path / "in-process.sqlite3")
    with Conclave(db) as app:
        experts = [m.code for m in app.views.members(1) if m.role == "expert"]
    ballots = _ballots(load_demo_data()["votes"]["yes"], len(experts), random.Random(3))
    lines: list[str] = []
    figures = measure(tmp_path, db, twin, experts, ballots, 30, out=lines.append,
                      staff_code=DEMO_STAFF_CODES["secretary"], runs=2)
    assert len(lines) == 1 and re.fullmatch(LINE, lines[0]), lines
    # two runs of each side, each on its own copy of the meeting; the line gives the fastest of each
    assert sorted(p.name for p in tmp_path.glob("run*/*.sqlite3")) == ["in-process.sqlite3", "in-process.sqlite3",
                                                                       "lan.sqlite3", "lan.sqlite3"]
    assert figures["received"] == 13 and 0 < figures["rss_mib"] < 300


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="Linux: VmHWM")
def test_the_host_reports_its_own_peak_memory_not_its_parents() -> None:
    """The host process's peak RSS is its own: ``ru_maxrss`` after ``exec`` would have been the bench's
    (the parent's) whenever that was higher — here a parent holding 256 MiB."""
    held = bytearray(256 * 2**20)
    held[::4096] = b"\1" * len(held[::4096])           # touched: resident
    root = str(Path(__file__).resolve().parents[2])
    child = subprocess.run([sys.executable, "-c", "from app.lan.bench import peak_rss_mib; print(peak_rss_mib())"],
                           capture_output=True, text=True, check=True, env={**os.environ, "PYTHONPATH": root})
    del held
    assert 0 < float(child.stdout) < 200, child.stdout


def test_the_terminals_are_all_up_before_any_submits() -> None:
    """Every terminal's thread is up and waiting before the first job runs (a pool that started its
    threads as the jobs came spread the submits over the bench's own thread starts); the results
    come back in order, each job on a thread of its own, and a job's failure is raised."""
    import threading

    counted = threading.Barrier(41)

    def job(i: int) -> tuple[int, str, int]:
        up = sum(1 for t in threading.enumerate() if t.name.startswith("terminal-"))
        counted.wait(timeout=30)                  # no terminal's thread ends before every job has counted
        return i, threading.current_thread().name, up

    results, seconds = all_at_once([lambda i=i: job(i) for i in range(41)])      # type: ignore[misc]
    assert [r[0] for r in results] == list(range(41)) and seconds >= 0
    assert len({r[1] for r in results}) == 41
    assert all(r[2] == 41 for r in results), sorted({r[2] for r in results})

    def fails() -> None:
        raise ValueError("refused")

    with pytest.raises(ValueError, match="refused"):
        all_at_once([lambda: 1, fails])
