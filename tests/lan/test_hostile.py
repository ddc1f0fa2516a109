"""Hostile input over the LAN: each kind of bad message is refused with its HTTP status and a
bilingual reason in JSON, recorded as one audit event, and nothing else in the database changes."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from typing import Any

import pytest

from app.domain import Step
from app.errors import RuleViolation
from app.lan.client import StationClient
from app.lan.journal import Entry
from app.lan.messages import MAX_BODY
from tests.sessions import SECRETARY
from tests.tables import audit_actions, audit_head, snapshot

from .conftest import MID, Lan

LanAt = Callable[[Step | int], Lan]


class Raw:
    """Requests as an attacker on the LAN would send them — over the pinned TLS link, any bytes."""

    def __init__(self, lan: Lan, client: StationClient) -> None:
        self.lan, self.client = lan, client
        self.token = str(client.journal.get("token"))

    def post(self, path: str, body: bytes | dict[str, Any], token: str | None = None) -> tuple[int, dict[str, Any]]:
        content = body if isinstance(body, bytes) else json.dumps(body).encode()
        response = self.client._client().post(path, content=content, headers={
            "Authorization": f"Bearer {token or self.token}", "Content-Type": "application/json"})
        return response.status_code, response.json()

    def refused(self, status: int, rule: str, path: str, body: bytes | dict[str, Any], token: str | None = None) -> str:
        """Send, and check: refused with ``status`` and ``rule``, in both languages, one audit event,
        nothing else written. Returns the English reason."""
        db = self.lan.app.path
        before, head = snapshot(db), audit_head(db)
        got, answer = self.post(path, body, token)
        assert (got, answer.get("rule")) == (status, rule), answer
        assert answer["message"] and answer["zh"] and answer["zh"] != answer["message"]
        events = audit_actions(db, head)
        assert len(events) == 1, events
        assert rule in events[0][1]
        assert snapshot(db) == before
        return str(answer["message"])


@pytest.fixture
def at_step_3(lan_at: LanAt) -> tuple[Lan, Raw, str, str]:
    """A host at step 3; an expert signed in at a paired terminal, assigned one candidate and
    in conflict with another assigned to them before the conflict was declared."""
    lan = lan_at(Step.ELIGIBILITY)
    app = lan.app
    expert = next(m for m in app.views.members(MID) if m.role == "expert" and m.group)
    mine, conflicted = [c.code for c in app.views.candidates(MID) if c.eligible and c.group == expert.group][:2]
    app.review.assign_reviewer(SECRETARY, MID, mine, expert.code)
    app.review.assign_reviewer(SECRETARY, MID, conflicted, expert.code)
    app.setup.declare_conflict(expert.code, MID, expert.code, conflicted, "曾指导该申报人进修")
    client = lan.client("终端1")
    session = lan.sign_in(client, expert.code)
    return lan, Raw(lan, client), session, mine + " " + conflicted


def expert_of(raw: Raw) -> str:
    return next(iter(raw.client._sessions.values()))


def _entry(kind: str, session: str, body: dict[str, Any], entry_id: str | None = None) -> dict[str, Any]:
    return {"entry_id": entry_id or str(uuid.uuid4()), "kind": kind, "session": session, "body": body}


def test_transport_level_hostile_messages_are_refused_and_write_nothing(at_step_3) -> None:  # type: ignore[no-untyped-def]
    lan, raw, session, _ = at_step_3
    assert "JSON" in raw.refused(400, "lan.json", "/tasks", b'{"session": ')
    raw.refused(413, "lan.too_large", "/tasks", b'{"session": "' + b"x" * (MAX_BODY + 1) + b'"}')
    raw.refused(422, "lan.schema", "/tasks", {"session": session, "admin": True})           # unknown field
    raw.refused(422, "lan.schema", "/submit", _entry("scores", session, {"candidate": "C001", "points": "all"}))
    raw.refused(422, "lan.schema", "/submit", _entry("ballot", session, {"round_id": "1", "choices": {}}))
    raw.refused(401, "station.unknown", "/tasks", {"session": session}, token="forged-" + "x" * 30)
    other = lan.client("终端2")                     # a session opened at another terminal is not this one's
    raw.refused(401, "station.session", "/tasks", {"session": session}, token=str(other.journal.get("token")))


def test_a_revoked_terminal_is_refused(at_step_3) -> None:  # type: ignore[no-untyped-def]
    lan, raw, session, _ = at_step_3
    lan.app.stations.revoke(lan.staff.secretary, raw.client.station_id)
    raw.refused(403, "station.revoked", "/tasks", {"session": session})


def test_engine_level_hostile_entries_are_refused_and_write_nothing(at_step_3) -> None:  # type: ignore[no-untyped-def]
    lan, raw, session, codes = at_step_3
    mine, conflicted = codes.split()
    rubric = dict(raw.client.tasks(session).rubric)
    top = {name: hi for name, hi in rubric.items()}
    over = {name: hi + 1 for name, hi in rubric.items()}
    # a score out of range
    raw.refused(409, "score.range", "/submit", _entry("scores", session, {"candidate": mine, "points": over}))
    # … and through the terminal's client: refused in both languages, and not kept to be sent again
    with pytest.raises(RuleViolation) as info:
        raw.client.submit(session, "scores", {"candidate": mine, "points": over})
    assert info.value.rule == "score.range" and info.value.violations[0].zh and raw.client.pending() == 0
    # … and when it was sent again from the journal (the link was down when it was made): forgotten,
    # and listed for the screen to tell
    raw.client.journal.add(Entry(str(uuid.uuid4()), expert_of(raw), session, "scores",
                                 {"candidate": mine, "points": over}))
    assert raw.client.flush() == 0 and raw.client.pending() == 0
    assert [(kind, exc.rule) for kind, exc in raw.client.refused] == [("scores", "score.range")]
    # a conflicted candidate
    raw.refused(409, "review.conflict", "/submit", _entry("scores", session,
                                                             {"candidate": conflicted, "points": top}))
    # a replayed entry with another body: the first is taken, the second refused
    entry_id = str(uuid.uuid4())
    assert raw.post("/submit", _entry("scores", session, {"candidate": mine, "points": top}, entry_id))[0] == 200
    again = {name: hi - 1 for name, hi in rubric.items()}
    raw.refused(409, "station.replay", "/submit", _entry("scores", session, {"candidate": mine, "points": again},
                                                          entry_id))
    # the same entry again is a duplicate: answered, nothing written, no refusal
    db = lan.app.path
    before = snapshot(db)
    status, answer = raw.post("/submit", _entry("scores", session, {"candidate": mine, "points": top}, entry_id))
    assert (status, answer["status"]) == (200, "duplicate") and snapshot(db) == before


def test_a_vote_for_a_closed_round_is_refused(lan_at: LanAt) -> None:
    lan = lan_at(Step.BALLOT)                        # step 7 finished: every round is closed
    app = lan.app
    expert = next(m.code for m in app.views.members(MID) if m.role == "expert")
    client = lan.client("终端1")
    session = lan.sign_in(client, expert)
    raw = Raw(lan, client)
    codes = [c.code for c in app.views.candidates(MID)]
    db = app.path
    before, head = snapshot(db), audit_head(db)
    status, answer = raw.post("/submit", _entry("ballot", session, {"round_id": 1,
                                                                      "choices": dict.fromkeys(codes, "yes")}))
    assert status == 409 and answer["zh"], answer
    assert len(audit_actions(db, head)) == 1 and snapshot(db) == before



def test_pairing_guesses_are_rate_limited(at_step_3) -> None:  # type: ignore[no-untyped-def]
    """The offer dies after five wrong codes (the station service); the host also stops answering an
    address after ten refused pairing attempts in a minute (429), each refusal recorded."""
    lan, raw, _, _ = at_step_3
    lan.pairing_code()
    rules = [raw.post("/pair", {"code": f"WRONG{n:03d}", "station_name": "猜测"})[1]["rule"] for n in range(11)]
    assert rules[:4] == ["station.pairing_code"] * 4 and rules[4] == "station.pairing_locked"
    assert rules[10] == "lan.rate"
    head = audit_head(lan.app.path)
    status, answer = raw.post("/pair", {"code": "WRONG999", "station_name": "猜测"})
    assert status == 429 and answer["zh"] and len(audit_actions(lan.app.path, head)) == 1
