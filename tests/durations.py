"""The slowest test modules first: the two xdist workers finish together.

``--dist loadscope`` hands each worker whole modules (their module fixtures are built once), in
the order collected; when a long module comes late, one worker runs it alone while the other has
finished. Each run records how long every module took (setup, call and teardown of its tests) in
pytest's cache, and the next run collects the modules longest first — the classic
longest-processing-time rule, within a few per cent of the best split. The tests inside a module
keep their order; a module never seen before counts as long (it goes early).

A checkout that has never run the tests (a fresh clone, CI) has no cache: the modules' times then
come from :data:`SEED`, the times of a fresh clone's whole run kept in the repository, and the
cache's own times replace them module by module once there are any. Without the seed a fresh clone
ran its modules in the collected order, and the static checks (``tests/test_static_checks.py``:
mypy with no cache of its own, ~10 s there, half a second later) came last, on one worker, while the
other had finished: the core run took 63 s from a fresh clone against 58 s with the seed. The seed
need not be exact, only in the right order of size; ``python -m tests.durations`` rewrites it from
this checkout's cache (after a whole run of a fresh clone, ideally).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

KEY = "conclave/module-seconds"
#: The modules' times of a fresh clone's whole run (``.ci/run``), for a checkout whose cache has none.
SEED = Path(__file__).with_name("module-seconds.json")


def seed() -> dict[str, float]:
    """:data:`SEED`'s times; none when the file is missing or unreadable (the collected order then)."""
    try:
        data = json.loads(SEED.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {str(k): float(v) for k, v in data.items()} if isinstance(data, dict) else {}


def module_of(nodeid: str) -> str:
    return nodeid.split("::", 1)[0]


def longest_first(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Reorder ``items`` in place: modules by their last recorded time, longest first."""
    cache = getattr(config, "cache", None)
    seconds: dict[str, float] = {**seed(), **(cache.get(KEY, {}) if cache is not None else {})}
    if not seconds:
        return
    unknown = max(seconds.values())
    first: dict[str, int] = {}
    for n, item in enumerate(items):
        first.setdefault(module_of(item.nodeid), n)
    items.sort(key=lambda item: (-seconds.get(module_of(item.nodeid), unknown), first[module_of(item.nodeid)]))


class Recorder:
    """Adds up each module's time from the reports the controller receives (or the single process)."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}

    @pytest.hookimpl
    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        module = module_of(report.nodeid)
        self.seconds[module] = self.seconds.get(module, 0.0) + report.duration

    @pytest.hookimpl
    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        cache = getattr(session.config, "cache", None)
        if cache is None or hasattr(session.config, "workerinput") or not self.seconds:
            return
        kept: dict[str, float] = cache.get(KEY, {})
        kept.update({module: round(s, 2) for module, s in self.seconds.items()})
        cache.set(KEY, kept)


def write_seed(root: Path) -> int:
    """Write :data:`SEED` from the cache of the checkout at ``root`` (its last runs' module times)."""
    cache = root / ".pytest_cache" / "v" / KEY
    try:
        seconds = json.loads(cache.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        print(f"no module times in {cache}: run the tests first", file=sys.stderr)
        return 1
    SEED.write_text(json.dumps(dict(sorted(seconds.items())), indent=1) + "\n", encoding="utf-8")
    print(f"{SEED}: {len(seconds)} modules")
    return 0


if __name__ == "__main__":
    sys.exit(write_seed(Path(__file__).resolve().parents[1] if len(sys.argv) < 2 else Path(sys.argv[1])))
