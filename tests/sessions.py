"""Unlocked terminal sessions for tests that cast ballots: the engine takes the voter from the
session, so a test votes as an expert would — with a one-time code the secretary issued, signed
in with their own staff code (:func:`secretary`)."""

from __future__ import annotations

import weakref
from collections.abc import Mapping

from app.services import Conclave
from app.services.staff import StaffService

SECRETARY = "人事科 李文静"
_SIGNED_IN: weakref.WeakKeyDictionary[StaffService, dict[int, str]] = weakref.WeakKeyDictionary()


def secretary(app: Conclave, meeting_id: int) -> str:
    """The plan's secretary signed in on ``app`` (once per app and meeting: a sign-in costs one
    scrypt of the code as the demo set it): the staff token that issues terminal codes."""
    tokens = _SIGNED_IN.setdefault(app.staff, {})
    if meeting_id not in tokens:
        set_staff_codes(app, meeting_id)
        tokens[meeting_id] = app.staff.sign_in(meeting_id, "secretary", STAFF_CODES["secretary"]).token
    return tokens[meeting_id]


def issue(app: Conclave, meeting_id: int, voter: str) -> str:
    """A fresh one-time code for ``voter``, as the secretary issues it (for a test that signs in
    through another door than :func:`unlock`, e.g. a LAN station)."""
    return app.terminals.issue_code(secretary(app, meeting_id), meeting_id, voter)


def unlock(app: Conclave, meeting_id: int, voter: str) -> str:
    """A terminal unlocked for ``voter`` with a fresh code the secretary issued: its session token."""
    code = app.terminals.issue_code(secretary(app, meeting_id), meeting_id, voter)
    return app.terminals.unlock(meeting_id, voter, code).token


class Terminals:
    """One unlocked terminal per voter of a meeting, unlocked on first use and kept for later rounds."""

    def __init__(self, app: Conclave, meeting_id: int) -> None:
        self.app, self.meeting_id = app, meeting_id
        self.tokens: dict[str, str] = {}

    def token(self, voter: str) -> str:
        if voter not in self.tokens:
            self.tokens[voter] = unlock(self.app, self.meeting_id, voter)
        return self.tokens[voter]

    def cast(self, round_id: int, voter: str, choices: Mapping[str, str]) -> None:
        self.app.voting.cast(self.token(voter), round_id, choices)


STAFF_CODES = {"secretary": "lwj-2026-demo", "supervisor": "zz-2026-demo"}   # as app.demo.DEMO_STAFF_CODES
CHEAP = 2**4    # scrypt's cost for codes set by tests: signing in is then a matter of microseconds
ROUND_PASSPHRASE = "Kettle-7-orbit-lantern"   # the supervisor's round passphrase in tests (cheap: conftest)


def set_staff_codes(app: Conclave, meeting_id: int) -> None:
    """The plan's two staff members set their codes (:data:`STAFF_CODES`), cheaply."""
    staff = StaffService(app.store, cost=CHEAP)
    for post, code in STAFF_CODES.items():
        if not staff.has_code(meeting_id, post):
            staff.set_code(meeting_id, post, code)


class Staff:
    """The plan's two staff members signed in with their own codes (set on first use, as the demo
    sets them at setup): ``secretary`` and ``supervisor`` are their session tokens."""

    def __init__(self, app: Conclave, meeting_id: int) -> None:
        self.app, self.meeting_id = app, meeting_id
        self._tokens: dict[str, str] = {}

    def token(self, post: str) -> str:
        if post not in self._tokens:
            set_staff_codes(self.app, self.meeting_id)
            self._tokens[post] = self.app.staff.sign_in(self.meeting_id, post, STAFF_CODES[post]).token
        return self._tokens[post]

    @property
    def secretary(self) -> str:
        return self.token("secretary")

    @property
    def supervisor(self) -> str:
        return self.token("supervisor")
