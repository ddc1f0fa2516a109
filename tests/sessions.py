"""Unlocked terminal sessions for tests that cast ballots: the engine takes the voter from the
session, so a test votes as an expert would — with a one-time code the secretary issued."""

from __future__ import annotations

from collections.abc import Mapping

from app.services import Conclave

SECRETARY = "人事科 李文静"


def unlock(app: Conclave, meeting_id: int, voter: str) -> str:
    """A terminal unlocked for ``voter`` with a fresh code: its session token."""
    code = app.terminals.issue_code(SECRETARY, meeting_id, voter)
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
