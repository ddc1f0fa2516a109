"""What refreshing the ballot page costs, with its ballot closed (issue: one home for reads).

Run: ``python tests/bench/bench_refresh.py [--candidates 1500] [--keep DIR]`` (offscreen).
For the demo meeting and for a provincial-size meeting (built through the services
by ``conclave bench``'s own builder, on a tmpfs when there is one), it opens the
real ballot page and measures one refresh after a change — the remembered
allocation dropped, as a new ballot or a plan change would — counting:

- the allocations computed (``allocate`` calls),
- the SQL statements sent to SQLite,
- the seconds, against the seconds of reading the page's rows alone (rounds,
  candidates, the count and allocation, the result rows) in the same run.

Targets: at most 1 allocation, at most 15 statements, at most 3× the rows' time.
Prints one line per meeting and exits 1 if a target is missed. Not collected by
pytest (its name does not start with ``test_``).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

TARGET_ALLOCATIONS, TARGET_STATEMENTS, TARGET_RATIO = 1, 15, 3.0


def _scratch() -> Path:
    shm = Path("/dev/shm")
    return Path(tempfile.mkdtemp(dir=shm if shm.is_dir() and os.access(shm, os.W_OK) else None))


def build_demo_meeting(folder: Path) -> Path:
    from app.demo import build_demo
    from app.domain import Step
    from app.services import Conclave

    path = folder / "demo.sqlite3"
    with Conclave(path) as app:
        build_demo(app, out=lambda _s: None, archive_dir=folder / "archive", until=Step.BALLOT)
    return path


def build_large_meeting(folder: Path, candidates: int) -> Path:
    from app.bench import run_bench

    path = folder / f"large-{candidates}.sqlite3"
    if not path.exists():
        print(f"building a {candidates}-candidate meeting through the services (a few minutes)…", flush=True)
        run_bench(path, candidates, 41, 3, out=lambda _s: None)
    return path


class Counters:
    """SQL statements and allocations while the block runs."""

    def __init__(self, app: object) -> None:
        from sqlalchemy import event

        import app.views.ballot as ballot_views

        self.statements = 0
        self.allocations = 0
        real = ballot_views.allocate

        def counted(*args: object, **kwargs: object) -> object:
            self.allocations += 1
            return real(*args, **kwargs)  # type: ignore[arg-type]

        ballot_views.allocate = counted  # type: ignore[assignment]
        event.listen(app.store.engine, "before_cursor_execute", self._statement)  # type: ignore[attr-defined]

    def _statement(self, *_args: object) -> None:
        self.statements += 1

    def reset(self) -> None:
        self.statements = self.allocations = 0


def _median(job: Callable[[], None], before: Callable[[], None], runs: int) -> float:
    times = []
    for _ in range(runs):
        before()
        t0 = time.perf_counter()
        job()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def measure(name: str, path: Path, runs: int = 5) -> bool:
    from PySide6.QtWidgets import QApplication

    from app.domain import Step
    from app.services import Conclave
    from app.views.ballot import result_rows
    from ui.fonts import apply_application_font
    from ui.pages.ballot import BallotPage

    qt = QApplication.instance() or QApplication([])
    apply_application_font(qt)  # type: ignore[arg-type]
    app = Conclave(path)
    mid = app.views.only_meeting()
    page = BallotPage(app, mid, Step.BALLOT)
    page.refresh()
    counters = Counters(app)
    dropped = app.store.memo.clear        # what a change does: the remembered allocation no longer holds

    def rows_alone() -> None:
        rounds = app.views.rounds(mid)
        cands = app.views.candidates(mid)
        res = app.views.results(mid)
        result_rows(res, cands, rounds[-1].number)

    rows = _median(rows_alone, dropped, runs)
    refresh = _median(page.refresh, dropped, runs)
    dropped()
    counters.reset()
    page.refresh()
    allocations, statements = counters.allocations, counters.statements
    counters.reset()
    page.refresh()                         # nothing changed since: the allocation is remembered
    again = counters.allocations
    n = len(app.views.candidates(mid))
    ratio = refresh / rows
    ok = allocations <= TARGET_ALLOCATIONS and statements <= TARGET_STATEMENTS and ratio <= TARGET_RATIO
    print(f"{name}: {n} candidates, ballot closed — refresh {refresh * 1000:.1f} ms, page rows alone "
          f"{rows * 1000:.1f} ms, ratio {ratio:.2f} (target ≤ {TARGET_RATIO}); {allocations} allocation "
          f"(≤ {TARGET_ALLOCATIONS}), {statements} SQL statements (≤ {TARGET_STATEMENTS}); a refresh with "
          f"nothing changed: {again} allocation — {'OK' if ok else 'MISSED'}", flush=True)
    page.deleteLater()
    app.close()
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--candidates", type=int, default=1500)
    parser.add_argument("--keep", type=Path, help="keep (and reuse) the built meetings in this folder")
    parser.add_argument("--runs", type=int, default=5)
    ns = parser.parse_args()
    folder = ns.keep or _scratch()
    folder.mkdir(parents=True, exist_ok=True)
    demo = build_demo_meeting(_scratch())
    ok = measure("demo", demo, ns.runs)
    ok &= measure("provincial", build_large_meeting(folder, ns.candidates), ns.runs)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
