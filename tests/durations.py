"""The slowest test modules first: the two xdist workers finish together.

``--dist loadscope`` hands each worker whole modules (their module fixtures are built once), in
the order collected; when a long module comes late, one worker runs it alone while the other has
finished. Each run records how long every module took (setup, call and teardown of its tests) in
pytest's cache, and the next run collects the modules longest first — the classic
longest-processing-time rule, within a few per cent of the best split. The tests inside a module
keep their order; a module never seen before counts as long (it goes early); without the cache
(``-p no:cacheprovider``, or a fresh clone) the order is the collected one.
"""

from __future__ import annotations

import pytest

KEY = "conclave/module-seconds"


def module_of(nodeid: str) -> str:
    return nodeid.split("::", 1)[0]


def longest_first(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Reorder ``items`` in place: modules by their last recorded time, longest first."""
    cache = getattr(config, "cache", None)
    seconds: dict[str, float] = cache.get(KEY, {}) if cache is not None else {}
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
