"""Benchmark: the minutes of a provincial-size meeting (not collected by pytest).

    python tests/bench/bench_minutes.py [--candidates 1500] [--voters 41] [--runoffs 3]
                                        [--out DIR] [--tracemalloc] [--sheet-files 50]

Builds the minutes (会议记录) of a generated meeting and prints pages, seconds and peak
memory. Time is measured without tracing; the peak resident set size comes from
``resource``. ``--tracemalloc`` adds a second, traced build that reports the peak of
the Python heap (slower: tracing costs about twice the time). ``--sheet-files K`` also
times K candidates' result sheets each in a file of its own (the handouts a documents run
makes for every candidate), against the same meeting's 30-candidate sample: the time of one
should not grow with the size of the meeting.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

os.environ.setdefault("CONCLAVE_NO_SYSTEM_FONTS", "1")

from app.documents.fonts import font_roles
from app.documents.minutes import make_minutes
from app.documents.model import MeetingReport
from app.documents.sample import generate_report
from app.documents.sheets import make_result_sheets


def _rss_mb() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 1024 / (1024 if sys.platform == "darwin" else 1)  # bytes on macOS, KiB on Linux


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--candidates", type=int, default=1500)
    parser.add_argument("--voters", type=int, default=41)
    parser.add_argument("--runoffs", type=int, default=3)
    parser.add_argument("--out", type=Path, help="keep the PDF in this folder")
    parser.add_argument("--tracemalloc", action="store_true", help="also measure the Python heap")
    parser.add_argument("--sheet-files", type=int, default=0, metavar="K",
                        help="also time K candidates' sheets each in a file of its own")
    ns = parser.parse_args()

    t0 = time.perf_counter()
    font_roles()
    report = generate_report(ns.candidates, ns.voters, ns.runoffs)
    setup = time.perf_counter() - t0
    rss_before = _rss_mb()
    with tempfile.TemporaryDirectory() as tmp:
        folder = ns.out or Path(tmp)
        t1 = time.perf_counter()
        result = make_minutes(report, folder / "minutes-bench.pdf")
        seconds = time.perf_counter() - t1
        size = result.path.stat().st_size
        heap = None
        if ns.tracemalloc:
            tracemalloc.start()
            make_minutes(report, folder / "minutes-bench-traced.pdf")
            heap = tracemalloc.get_traced_memory()[1] / 1024 / 1024
            tracemalloc.stop()
    print(f"minutes: {ns.candidates} candidates, {ns.voters} voters, {ns.runoffs} runoff rounds")
    print(f"pages:             {result.pages}")
    print(f"seconds:           {seconds:.1f}  (fonts and model set-up {setup:.1f} s more)")
    print(f"pdf size:          {size / 1024 / 1024:.1f} MB")
    print(f"peak RSS:          {_rss_mb():.0f} MB  (before the build {rss_before:.0f} MB)")
    if heap is not None:
        print(f"peak Python heap:  {heap:.0f} MB  (tracemalloc, second build)")
    print(f"missing glyphs:    {len(result.missing_glyphs)}")
    if ns.sheet_files:
        own = _sheet_file_ms(report, ns.sheet_files)
        small = _sheet_file_ms(generate_report(30, ns.voters, ns.runoffs), ns.sheet_files)
        print(f"one sheet's file:  {own:.1f} ms  (30 candidates: {small:.1f} ms; ratio {own / small:.2f})")
    return 0


def _sheet_file_ms(report: MeetingReport, k: int) -> float:
    """Milliseconds for one candidate's result sheet in a file of its own, over the first ``k``."""
    ids = [c.id for c in report.candidates][:k]
    with tempfile.TemporaryDirectory() as tmp:
        make_result_sheets(report, Path(tmp) / "warm.pdf", only=ids[0])
        t0 = time.perf_counter()
        for cid in ids:
            make_result_sheets(report, Path(tmp) / f"{cid}.pdf", only=cid)
        return (time.perf_counter() - t0) / len(ids) * 1000


if __name__ == "__main__":
    sys.exit(main())
