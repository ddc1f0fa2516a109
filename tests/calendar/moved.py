"""The demo meeting moved to another vote date, built once per (date, step) and copied per test.

Past step 8 the demo needs the working days of every year its deadlines touch; a build that
goes further is given the test year 2027 for the build only (``--calendar`` style), so the
copy handed out does not know 2027 — as on a laptop where nobody entered it yet.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from app.demo import build_demo
from app.domain import Step
from app.rules.calendar import load_calendar_file
from app.services import Conclave
from app.storage.db import backup
from tests.calendar.year2027 import write_2027


class MovedDemos:
    """``copy(vote_date, until, target)``: a private copy of the moved demo meeting at ``target``."""

    def __init__(self, factory: pytest.TempPathFactory) -> None:
        self.factory = factory
        self.built: dict[tuple[dt.date, Step], Path] = {}

    def copy(self, vote: dt.date, until: Step, target: Path) -> Path:
        if (vote, until) not in self.built:
            folder = self.factory.mktemp(f"moved-{vote}-{int(until)}")
            run = load_calendar_file(write_2027(folder / "2027.json")) if until > Step.SIGNING else None
            with Conclave(folder / "demo.sqlite3", run) as app:
                build_demo(app, out=lambda _s: None, archive_dir=folder / "archive", until=until, vote_date=vote)
                backup(app.store.engine, folder / "template.sqlite3")
            key = folder / "demo.committee-key.p12"
            if key.exists():
                key.replace(folder / "template.committee-key.p12")
            self.built[(vote, until)] = folder / "template.sqlite3"
        source = self.built[(vote, until)]
        target.write_bytes(source.read_bytes())
        key = source.with_name("template.committee-key.p12")
        if key.exists():       # the committee key travels with its database
            target.with_name(target.stem + ".committee-key.p12").write_bytes(key.read_bytes())
        return target

    @contextmanager
    def opening(self, folder: Path) -> Iterator[Callable[[dt.date, Step], Conclave]]:
        """``make(vote_date, until)`` → services on a private copy in ``folder``; all closed afterwards."""
        opened: list[Conclave] = []

        def make(vote: dt.date, until: Step) -> Conclave:
            app = Conclave(self.copy(vote, until, folder / f"m-{len(opened)}.sqlite3"))
            opened.append(app)
            return app

        try:
            yield make
        finally:
            for app in opened:
                app.close()
