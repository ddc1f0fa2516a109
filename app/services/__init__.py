"""The only way into a meeting: service objects over one :class:`~app.services.base.Store`.

``Conclave(path)`` opens (or creates) a meeting database and offers the services
by area, and the read side bound to the same database (``app.views``, see
:mod:`app.views`). The GUI receives this object in its constructors; tests build it on a
temporary file.
"""

from __future__ import annotations

import contextlib
import functools
import operator
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

from app.rules.calendar import WorkCalendar
from app.rules.calendar_years import LayeredCalendar
from app.services.backup import BackupService
from app.services.base import Store
from app.services.calendar import CalendarService
from app.services.closing import ClosingService
from app.services.desk import ExpertDesk
from app.services.documents import DocumentsService
from app.services.procedure import ProcedureService
from app.services.review import ReviewService
from app.services.setup import SetupService
from app.services.staff import StaffService
from app.services.stations import StationService
from app.services.terminals import TerminalService
from app.services.voting import VotingService
from app.storage.db import backup, default_db_path
from app.storage.store import Changes
from app.views import Views

__all__ = ["Changes", "Conclave", "default_db_path"]

R = TypeVar("R")


class Conclave:
    """All services of one meeting database."""

    def __init__(self, path: Path | str, calendar: WorkCalendar | None = None, *, read_only: bool = False) -> None:
        """``calendar``: years given for this run only (``--calendar FILE``); they come before the
        years stored in the database, which come before the bundled data. ``read_only``: for the
        commands that only read (``export-record``, ``calendar show``, ``verify``) — no writer
        lock, so they work beside the window that has the meeting open; every write is refused."""
        self.store = Store(path, read_only=read_only)
        self.calendar = LayeredCalendar(run=calendar.user_years() if calendar is not None else None)
        self.working_days = CalendarService(self.store, self.calendar)   # loads the stored years
        self.setup = SetupService(self.store, self.calendar)
        self.review = ReviewService(self.store)
        self.staff = StaffService(self.store)
        self.terminals = TerminalService(self.store, staff=self.staff)   # codes are issued by signed-in staff
        self.voting = VotingService(self.store, self.terminals, self.staff)   # acts only through sessions
        self.desk = ExpertDesk(self.store, self.terminals, self.voting)       # an expert's own acts, by session
        self.procedure = ProcedureService(self.store, self.calendar)
        self.closing = ClosingService(self.store, self.calendar)
        self.stations = StationService(self.store, self.staff, self.terminals, self.desk)   # LAN terminals
        self.views = Views(self.store, stations_connected=self.stations.connected)
        self.documents = DocumentsService(self)
        self.backups = BackupService(self)       # backups, and the start-up check

    @property
    def path(self) -> Path:
        """The meeting database file; its archive and committee key live beside it."""
        return self.store.path

    def snapshot(self, dest: Path) -> Path:
        """A consistent copy of the whole database at ``dest`` (``VACUUM INTO``, never a file copy)."""
        return backup(self.store.engine, Path(dest))

    def tracked(self, job: Callable[[], R]) -> tuple[R, Changes]:
        """Run ``job`` (service calls) and say what its committed writes changed — how a
        screen learns what to reload instead of reloading everything (Anki's ``OpChanges``)."""
        with self.store.tracking() as seen:
            result = job()
        return result, functools.reduce(operator.or_, seen, Changes())

    @contextlib.contextmanager
    def reading(self) -> Iterator[None]:
        """Views asked inside the block read one snapshot of the meeting (one ``BEGIN``)."""
        with self.store.read():
            yield

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> Conclave:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
