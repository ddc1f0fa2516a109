"""The only way into a meeting: service objects over one :class:`~app.services.base.Store`.

``Conclave(path)`` opens (or creates) a meeting database and offers the services
by area. The GUI receives this object in its constructors; tests build it on a
temporary file.
"""

from __future__ import annotations

from pathlib import Path

from app.rules.calendar import WorkCalendar
from app.services.base import Store
from app.services.closing import ClosingService
from app.services.procedure import ProcedureService
from app.services.queries import QueryService
from app.services.review import ReviewService
from app.services.sealing import SealingService
from app.services.setup import SetupService
from app.services.terminals import TerminalService
from app.services.voting import VotingService


class Conclave:
    """All services of one meeting database."""

    def __init__(self, path: Path | str, calendar: WorkCalendar | None = None) -> None:
        self.store = Store(path)
        self.calendar = calendar or WorkCalendar()
        self.setup = SetupService(self.store, self.calendar)
        self.review = ReviewService(self.store)
        self.terminals = TerminalService(self.store)
        self.voting = VotingService(self.store, self.terminals)   # votes only through its sessions
        self.procedure = ProcedureService(self.store, self.voting._results)
        self.closing = ClosingService(self.store, self.calendar)
        self.queries = QueryService(self.store)
        self.sealing = SealingService(self.store)

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> Conclave:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
