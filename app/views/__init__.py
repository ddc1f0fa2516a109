"""The read side of a meeting (cosmicpython's ``views``): every question the screens,
the documents and the record ask, by subject — nothing here writes.

One calling convention: ``view(store, meeting_id, …) -> frozen dataclass`` (or a list
or mapping of them), with the domain's enums. The modules:

- :mod:`app.views.meeting` — the committee, the meeting and its plan (caps, quotas, rubric, staff);
- :mod:`app.views.panel` — the expert pool, the draw, the panel (members, groups, departures);
- :mod:`app.views.candidates` — candidates with their records: scores, questions, interviews,
  group and plenary notes;
- :mod:`app.views.ballot` — ballot rounds (never a choice, only who has voted), the count and
  the allocation over closed rounds, paper batches as staff see them;
- :mod:`app.views.record` — the meeting as a ``conclave-record/1`` document;
- :mod:`app.views.documents` — the register of issued documents and the committee's seal root.
- :mod:`app.views.board` — the live board of the vote: who has voted, never how, and the terminals
  connected.
- :mod:`app.views.calendar` — the working-day calendar years stored in the file (no meeting id:
  the calendar belongs to the whole file).

Functions named ``…_on(conn, …)`` are the same reads on a connection the caller already
holds, for a service that must read inside its own transaction.

:class:`Views` binds the functions to one store, so the interface (which holds a
:class:`~app.services.Conclave`) asks ``app.views.candidates(meeting_id)`` and never
touches the store itself.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, Concatenate, Generic, ParamSpec, TypeVar, overload

from app.storage.store import Store
from app.views import ballot as _ballot
from app.views import board as _board
from app.views import calendar as _calendar
from app.views import candidates as _candidates
from app.views import documents as _documents
from app.views import meeting as _meeting
from app.views import panel as _panel
from app.views import record as _record

P = ParamSpec("P")
R = TypeVar("R")


class _Bound(Generic[P, R]):
    """A view function with its store taken from the :class:`Views` it is read through."""

    def __init__(self, fn: Callable[Concatenate[Store, P], R]) -> None:
        self.fn = fn
        functools.update_wrapper(self, fn)  # type: ignore[arg-type]

    @overload
    def __get__(self, obj: None, owner: type[Any]) -> _Bound[P, R]: ...
    @overload
    def __get__(self, obj: Views, owner: type[Any]) -> Callable[P, R]: ...

    def __get__(self, obj: Views | None, owner: type[Any]) -> Any:
        if obj is None:
            return self
        return functools.partial(self.fn, obj.store)


class Views:
    """Every view, bound to one meeting database."""

    def __init__(self, store: Store, stations_connected: Callable[[int], int] | None = None) -> None:
        """``stations_connected(meeting_id)``: how many LAN terminals are connected now — the host
        process knows (:meth:`app.services.stations.StationService.connected`), the file does not."""
        self.store = store
        self._stations_connected = stations_connected

    def board(self, meeting_id: int) -> _board.Board:
        """The live board: who has voted in the round (never how), who not yet, terminals connected."""
        connected = self._stations_connected(meeting_id) if self._stations_connected else 0
        return _board.board(self.store, meeting_id, connected)

    # the meeting and its plan
    meetings = _Bound(_meeting.meetings)
    meeting_ids = _Bound(_meeting.meeting_ids)
    meeting = _Bound(_meeting.meeting)
    only_meeting = _Bound(_meeting.only_meeting)
    acting_secretary = _Bound(_meeting.acting_secretary)
    plan = _Bound(_meeting.plan)
    committees = _Bound(_meeting.committees)
    quotas = _Bound(_meeting.quotas)
    meeting_days = _Bound(_meeting.meeting_days)
    quota_details = _Bound(_meeting.quota_details)
    work_summary = _Bound(_meeting.work_summary)
    filing_report = _Bound(_meeting.filing_report)
    # pool, draw, panel
    members = _Bound(_panel.members)
    panel = _Bound(_panel.panel)
    departed_members = _Bound(_panel.departed_members)
    pool = _Bound(_panel.pool)
    pool_codes = _Bound(_panel.pool_codes)
    specialty_counts = _Bound(_panel.specialty_counts)
    draw_record = _Bound(_panel.draw_record)
    draw_history = _Bound(_panel.draw_history)
    declared_conflicts = _Bound(_panel.declared_conflicts)
    record_head = _Bound(_panel.record_head)
    round_heads = _Bound(_panel.round_heads)
    quorum = _Bound(_panel.quorum)
    # candidates and their records
    candidates = _Bound(_candidates.candidates)
    withdrawn = _Bound(_candidates.withdrawn)
    rubric = _Bound(_candidates.rubric)
    score_sheets = _Bound(_candidates.score_sheets)
    score_totals = _Bound(_candidates.score_totals)
    questions = _Bound(_candidates.questions)
    interviews = _Bound(_candidates.interviews)
    plenary_notes = _Bound(_candidates.plenary_notes)
    # the ballot
    rounds = _Bound(_ballot.rounds)
    voided_rounds = _Bound(_ballot.voided_rounds)
    results = _Bound(_ballot.results)
    paper_batches = _Bound(_ballot.paper_batches)
    vote_presider = _Bound(_ballot.vote_presider)
    # the record and the register of issued documents
    meeting_record = _Bound(_record.meeting_record)
    issued_documents = _Bound(_documents.issued)
    # the working-day calendar of the file
    calendar_years = _Bound(_calendar.calendar_years)
    stored_year = _Bound(_calendar.stored_year)


__all__ = ["Views"]
