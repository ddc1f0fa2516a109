"""What an expert terminal talks to: the engine in this process, or the host over the LAN.

The terminal's screens (:mod:`ui.terminal_app`) are the same whether they run on the host laptop
(the kiosk) or on another laptop of the office network; only the other end differs. An
:class:`ExpertBackend` is that other end, token-based like :class:`app.services.desk.ExpertDesk`:
``unlock`` gives a session token, and every action names the session, never the expert (the
engine takes the expert from the session, so a terminal cannot act for someone else).

- :class:`LocalBackend` calls the services in process (``app.terminals`` and ``app.desk``).
- :class:`RemoteBackend` goes through :class:`app.lan.client.StationClient`: every entry is
  journalled on the terminal's disk before it is sent and erased when the host acknowledges it,
  so an entry made while the link is down is not lost: it waits (``pending``) and is sent by
  :meth:`RemoteBackend.flush` when the host is back. The screens show the link's state
  (:meth:`ExpertBackend.status`).

Two optional additions to the contract's methods, both read-only: :meth:`members` (the names to
choose from on the lock screen; ``None`` when the other end does not offer them, then the expert
types their member code) and :meth:`status`.
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from app.errors import RuleViolation
from app.services import Conclave
from app.services.terminals import ExpertTasks
from app.text import bi

if TYPE_CHECKING:
    from app.lan.client import StationClient

#: A refusal that means "the host did not answer".
UNREACHABLE = "lan.unreachable"
#: Raised by :class:`RemoteBackend` for an entry the host has not acknowledged yet: it is kept in
#: the terminal's journal and sent when the host answers again (or, after a host restart, when the
#: expert signs in again: ``lan.sign_in_again``). Not a refusal: nothing needs entering again.
KEPT = "lan.kept"
KEPT_RULES = frozenset({KEPT, UNREACHABLE, "lan.sign_in_again"})


@dataclass(frozen=True)
class LinkStatus:
    """The terminal's link as the status line shows it."""

    connected: bool
    pending: int = 0           # entries journalled here and not yet acknowledged by the host
    where: str = ""            # the host's address ("" in process)
    local: bool = False        # the engine runs in this process (the kiosk on the host laptop)


class ExpertBackend(Protocol):
    """The other end of an expert terminal; every refusal is a bilingual :class:`RuleViolation`."""

    def unlock(self, member_code: str, code: str) -> str: ...
    def lock(self, token: str) -> None: ...
    def tasks(self, token: str) -> ExpertTasks: ...
    def sign_commitment(self, token: str) -> None: ...
    def record_scores(self, token: str, candidate: str, points: Mapping[str, int]) -> None: ...
    def add_question(self, token: str, candidate: str, text: str, answer: str) -> int | None: ...
    def review_question(self, token: str, question_id: int) -> None: ...
    def cast(self, token: str, round_id: int, choices: Mapping[str, str]) -> None: ...
    def members(self) -> tuple[tuple[str, str], ...] | None: ...
    def status(self) -> LinkStatus: ...


class LocalBackend:
    """The engine in this process (the kiosk on the host laptop)."""

    def __init__(self, app: Conclave, meeting_id: int) -> None:
        self.app, self.meeting_id = app, meeting_id

    def unlock(self, member_code: str, code: str) -> str:
        return self.app.terminals.unlock(self.meeting_id, member_code, code).token

    def lock(self, token: str) -> None:
        self.app.terminals.lock(token)

    def tasks(self, token: str) -> ExpertTasks:
        return self.app.terminals.tasks(token)

    def sign_commitment(self, token: str) -> None:
        self.app.desk.sign_commitment(token)

    def record_scores(self, token: str, candidate: str, points: Mapping[str, int]) -> None:
        self.app.desk.record_scores(token, candidate, dict(points))

    def add_question(self, token: str, candidate: str, text: str, answer: str) -> int | None:
        return self.app.desk.add_question(token, candidate, text, answer)

    def review_question(self, token: str, question_id: int) -> None:
        self.app.desk.review_question(token, question_id)

    def cast(self, token: str, round_id: int, choices: Mapping[str, str]) -> None:
        self.app.desk.cast(token, round_id, dict(choices))

    def members(self) -> tuple[tuple[str, str], ...] | None:
        return tuple((m.code, m.name) for m in self.app.views.members(self.meeting_id)
                     if m.checked_in and not getattr(m, "departed", False))

    def status(self) -> LinkStatus:
        return LinkStatus(connected=True, local=True)


class RemoteBackend:
    """The host over the LAN, through a paired :class:`~app.lan.client.StationClient`.

    ``connected`` is what the last exchange showed: a ``lan.unreachable`` refusal or an entry
    left pending sets it false, any answer of the host sets it true. An entry the client kept
    (``Ack.status == "pending"``) is raised as :data:`KEPT` so that the screen says it is kept,
    not that it was recorded. ``remote``: the window runs even *Lock* off its thread (the host
    may take seconds to time out).
    """

    remote = True

    def __init__(self, client: StationClient) -> None:
        self.client = client
        self.connected = True

    def _call(self, fn: Any, *args: Any) -> Any:
        try:
            result = fn(*args)
        except RuleViolation as exc:
            self.connected = exc.rule != UNREACHABLE
            raise
        self.connected = True
        return result

    def unlock(self, member_code: str, code: str) -> str:
        return str(self._call(self.client.unlock, member_code, code))

    def lock(self, token: str) -> None:
        with contextlib.suppress(RuleViolation):    # the screen is wiped whatever the host says
            self._call(self.client.lock, token)

    def tasks(self, token: str) -> ExpertTasks:
        return self._call(self.client.tasks, token)  # type: ignore[no-any-return,unused-ignore]

    def _submit(self, token: str, kind: str, body: dict[str, Any]) -> Any:
        ack = self._call(self.client.submit, token, kind, body)
        if getattr(ack, "status", "") == "pending":
            self.connected = getattr(ack, "result", None) != "unreachable"
            raise RuleViolation.single(KEPT, bi(
                "the host has not received this entry yet: it is kept on this terminal and sent as soon as "
                "the host answers; do not enter it again",
                "主机尚未收到本条录入：已暂存在本终端，主机恢复响应后自动发送，请勿重复录入"))
        return ack

    def sign_commitment(self, token: str) -> None:
        self._submit(token, "commitment", {})

    def record_scores(self, token: str, candidate: str, points: Mapping[str, int]) -> None:
        self._submit(token, "scores", {"candidate": candidate, "points": dict(points)})

    def add_question(self, token: str, candidate: str, text: str, answer: str) -> int | None:
        ack = self._submit(token, "question", {"candidate": candidate, "text": text, "answer": answer})
        result = getattr(ack, "result", None)
        return result if isinstance(result, int) else None

    def review_question(self, token: str, question_id: int) -> None:
        self._submit(token, "question_review", {"question_id": question_id})

    def cast(self, token: str, round_id: int, choices: Mapping[str, str]) -> None:
        self._submit(token, "ballot", {"round_id": round_id, "choices": dict(choices)})

    def flush(self) -> None:
        """Send every journalled entry again (the host answers a duplicate without writing)."""
        self._call(self.client.flush)
        self.connected = self.client.pending() == 0 or self.connected

    def tick(self, token: str | None) -> None:
        """The terminal's heartbeat: send what waits, tell the host who is signed in (off the UI thread)."""
        try:
            if self.client.pending():
                self.client.flush()
            self._call(self.client.heartbeat, token)
        except RuleViolation:
            pass

    def members(self) -> tuple[tuple[str, str], ...] | None:
        offered = getattr(self.client, "members", None)
        if offered is None:
            return None
        return tuple(offered())

    def status(self) -> LinkStatus:
        return LinkStatus(self.connected, self.client.pending(), str(getattr(self.client, "address", "")))
