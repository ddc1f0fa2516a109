"""The demo meeting moved to another vote date, built once per (date, step) and copied per test.

Past step 8 the demo needs the working days of every year its deadlines touch; a build that
goes further is given the test year 2027 for the build only (``--calendar`` style), so the
copy handed out does not know 2027 — as on a laptop where nobody entered it yet. A meeting
already built elsewhere (the December demos of tests/calendar/december.py) can be handed in
(``known``) instead of being built again. The experts' one-time terminal codes are hashed
cheaply while building (:func:`~tests.calendar.december.cheap_codes`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import pytest

from app.demo import build_demo
from app.domain import Step
from app.rules.calendar import load_calendar_file
from app.services import Conclave
from app.storage.db import backup
from tests.calendar.december import cheap_codes, copy_meeting
from tests.calendar.year2027 import write_2027


class MovedDemos:
    """``copy(vote_date, until, target)``: a private copy of the moved demo meeting at ``target``."""

    def __init__(self, factory: pytest.TempPathFactory,
                 known: Mapping[tuple[dt.date, Step], Callable[[], Path]] | None = None) -> None:
        """``known``: meetings built elsewhere, ``(vote date, step) → where`` (``where()`` gives the
        database, its committee key beside it), asked for when first wanted (it may still be building)."""
        self.factory = factory
        self.built: dict[tuple[dt.date, Step], Path] = {}
        self.known = dict(known or {})

    def copy(self, vote: dt.date, until: Step, target: Path) -> Path:
        if (vote, until) not in self.built and (vote, until) in self.known:
            self.built[(vote, until)] = self.known[(vote, until)]()
        if (vote, until) not in self.built:
            folder = self.factory.mktemp(f"moved-{vote}-{int(until)}")
            run = load_calendar_file(write_2027(folder / "2027.json")) if until > Step.SIGNING else None
            with cheap_codes(), Conclave(folder / "demo.sqlite3", run) as app:
                build_demo(app, out=lambda _s: None, archive_dir=folder / "archive", until=until, vote_date=vote)
                backup(app.store.engine, folder / "template.sqlite3")
            key = folder / "demo.committee-key.p12"
            if key.exists():
                key.replace(folder / "template.committee-key.p12")
            self.built[(vote, until)] = folder / "template.sqlite3"
        return copy_meeting(self.built[(vote, until)], target)    # the committee key travels with its database

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
