"""Fixtures for the LAN tests: a copy of the demo meeting at a stage, a real host serving it over
TLS on loopback, and terminal clients with journals of their own.

A host starts in a fraction of a second (its certificate is made once per database copy and kept
beside it); a module that can share one host shares it (``module_host``)."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import pytest

from app.domain import Step
from app.lan.client import StationClient
from app.lan.host import Host
from app.services import Conclave
from tests.demo_templates import Templates
from tests.sessions import Staff

MID = 1                       # the demo meeting's id


def open_round(app: Conclave, mid: int, present: Sequence[str], runoff: bool = False) -> int:
    """Open the first round, or the runoff the results ask for — the one place the tests open a
    round (the lead adapts it when opening a round needs more, e.g. the committee's passphrase)."""
    if runoff:
        return app.voting.open_runoff("M01", mid, list(present))
    return app.voting.open_first_round("M01", mid, list(present))


def close_round(app: Conclave, mid: int, round_id: int):  # type: ignore[no-untyped-def]
    """Close a round (see :func:`open_round`)."""
    return app.voting.close_round("M01", mid, round_id)


def meeting_copy(templates: Templates, until: Step | int, target: Path) -> Conclave:
    return Conclave(templates.copy(until, target))


class Lan:
    """A host on a demo copy and the terminals paired with it, all under one folder."""

    def __init__(self, app: Conclave, folder: Path) -> None:
        self.app, self.folder = app, folder
        self.staff = Staff(app, MID)
        self.host = Host(app, MID, "127.0.0.1")
        self.host.start()
        self.clients: list[StationClient] = []

    def client(self, name: str, *, pair: bool = True) -> StationClient:
        """A terminal with its own journal folder, paired with a fresh one-time pairing code."""
        c = StationClient(self.host.address, self.host.fingerprint, self.folder / "terminals" / name)
        self.clients.append(c)
        if pair:
            c.pair(self.pairing_code(), name)
        return c

    def pairing_code(self) -> str:
        return self.app.stations.open_pairing(self.staff.secretary).code

    def code_for(self, member: str) -> str:
        """A one-time code for ``member``, issued by the signed-in secretary."""
        return self.app.terminals.issue_code(self.staff.secretary, MID, member)

    def sign_in(self, client: StationClient, member: str) -> str:
        return client.unlock(member, self.code_for(member))

    def close(self) -> None:
        for c in self.clients:
            c.close()
        self.host.stop(grace=0)


@pytest.fixture(autouse=True)
def _cheap_codes(monkeypatch: pytest.MonkeyPatch) -> None:
    """Experts' one-time codes hashed with a cheap scrypt: these tests sign in dozens of times (the
    cost guards a stolen database, not the transport under test) — as tests/sessions.py's CHEAP."""
    from app.services import terminals

    monkeypatch.setitem(terminals._SCRYPT, "n", 2**4)


@pytest.fixture
def lan_at(demo_templates: Templates, tmp_path: Path) -> Iterator[Callable[[Step | int], Lan]]:
    """``lan_at(Step.PLENARY)`` → a host serving a private copy of the demo after that step."""
    made: list[Lan] = []

    def make(until: Step | int) -> Lan:
        app = meeting_copy(demo_templates, until, tmp_path / f"lan-{int(until)}-{len(made)}.sqlite3")
        lan = Lan(app, tmp_path / f"lan-{len(made)}")
        made.append(lan)
        return lan

    yield make
    for lan in made:
        lan.close()
        lan.app.close()
