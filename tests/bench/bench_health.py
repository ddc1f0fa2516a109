"""How long the start-up check takes on a provincial-size meeting (target: not noticed).

Run: ``python tests/bench/bench_health.py [--candidates 1500]``. It builds the 1,500-candidate
meeting of ``conclave bench`` (every step through the services, three runoff rounds: tens of
thousands of audit events), then times, several times each, what opening a meeting now adds —
``PRAGMA quick_check`` and the audit-chain verification (:meth:`BackupService.check`) — and, for
comparison, the full ``integrity_check`` a restore runs, and a backup and restore of the meeting.
Not collected by pytest (its name does not start with ``test_``).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))


def timed(job: object, runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        t0 = time.perf_counter()
        job()  # type: ignore[operator]
        out.append(time.perf_counter() - t0)
    return out


def cpu(job: object, runs: int) -> float:
    """The least processor time of ``runs`` calls: what the check costs on an idle laptop (the wall
    time on a shared machine also counts the waits for a core)."""
    best = []
    for _ in range(runs):
        t0 = time.process_time()
        job()  # type: ignore[operator]
        best.append(time.process_time() - t0)
    return min(best)


def main() -> None:
    from app.bench import run_bench
    from app.services import Conclave
    from app.services.backup import restore
    from app.storage.health import check_file

    parser = argparse.ArgumentParser()
    parser.add_argument("--candidates", type=int, default=1500)
    parser.add_argument("--runs", type=int, default=5)
    ns = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "bench.sqlite3"
        t0 = time.perf_counter()
        run_bench(db, ns.candidates, 41, 3, out=lambda *_a, **_k: None)
        print(f"built the {ns.candidates}-candidate meeting in {time.perf_counter() - t0:.1f} s "
              f"({db.stat().st_size / 1e6:.1f} MB)")
        with Conclave(db) as app:
            health = app.backups.check()
            assert health.ok, health.problems
            quick = timed(app.backups.check, ns.runs)
            opened = timed(lambda: Conclave(db).close(), ns.runs)
            print(f"audit events: {health.events}")
            print(f"start-up check (quick_check + audit chain): median {statistics.median(quick) * 1000:.0f} ms, "
                  f"max {max(quick) * 1000:.0f} ms over {ns.runs} runs; processor time "
                  f"{cpu(app.backups.check, ns.runs) * 1000:.0f} ms")
            deep = timed(app.backups.check_deep, ns.runs)
            print(f"full check (+ every table replayed from the trail, boxes recounted — conclave verify-db): "
                  f"median {statistics.median(deep) * 1000:.0f} ms; processor time "
                  f"{cpu(app.backups.check_deep, ns.runs) * 1000:.0f} ms")
            print(f"opening the meeting without it, for comparison: median {statistics.median(opened) * 1000:.0f} ms")
            full = timed(lambda: check_file(db, full=True), 3)
            print(f"integrity_check + audit chain (what a restore runs): "
                  f"median {statistics.median(full) * 1000:.0f} ms")
            out = Path(folder) / "bench.conclave-backup"
            t0 = time.perf_counter()
            app.backups.backup(out, "bench-passphrase-for-timing-7")
            print(f"backup: {time.perf_counter() - t0:.2f} s ({out.stat().st_size / 1e6:.1f} MB)")
        t0 = time.perf_counter()
        restore(out, Path(folder) / "restored" / "bench.sqlite3", "bench-passphrase-for-timing-7")
        print(f"restore (decrypt, manifest, integrity_check, audit chain, put in place): "
              f"{time.perf_counter() - t0:.2f} s")


if __name__ == "__main__":
    main()
