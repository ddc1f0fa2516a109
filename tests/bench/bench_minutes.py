"""Benchmark: the minutes of a provincial-size meeting (not collected by pytest).

    python tests/bench/bench_minutes.py [--candidates 1500] [--voters 41] [--runoffs 3]
                                        [--out DIR] [--tracemalloc]

Builds the minutes (会议记录) of a generated meeting and prints pages, seconds and peak
memory. Time is measured without tracing; the peak resident set size comes from
``resource``. ``--tracemalloc`` adds a second, traced build that reports the peak of
the Python heap (slower: tracing costs about twice the time).
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
from app.documents.sample import generate_report


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
    return 0


if __name__ == "__main__":
    sys.exit(main())
