"""One-time codes of expert terminals: issue, unlock, expiry, lockout, one-time use; audit; tasks."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import sqlite3

import pytest
from sqlalchemy import inspect, select

import app.services.terminals as terminals_module
from app.domain import Step
from app.errors import RuleViolation
from app.services import Conclave
from app.services.terminals import MAX_TRIES, TerminalService
from app.services.voting import VotingService
from app.storage.schema import audit_event, terminal_code
from tests.conftest import TERMINAL_CODE_COST
from tests.sessions import ROUND_PASSPHRASE, STAFF_CODES, secretary

from .conftest import MakeApp

SECRETARY = "人事科 李文静"
T0 = dt.datetime(2026, 11, 20, 8, 0, tzinfo=dt.UTC)


class Clock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> dt.datetime:
        return self.now


@pytest.fixture
def terminals(demo_at: MakeApp) -> tuple[Conclave, int, TerminalService, Clock, str, str]:
    """The service with a test clock, an expert, and the secretary's staff token (staff issue codes)."""
    app, mid = demo_at(Step.PLENARY)
    clock = Clock()
    expert = next(m.code for m in app.views.members(mid) if m.role == "expert")
    return app, mid, TerminalService(app.store, clock=clock, staff=app.staff), clock, expert, secretary(app, mid)


def wrong(code: str) -> str:
    return f"{(int(code) + 1) % 10**6:06d}"


def refused(rule: str, call: object, *args: object) -> RuleViolation:
    with pytest.raises(RuleViolation) as info:
        call(*args)  # type: ignore[operator]
    assert info.value.rule == rule, info.value
    return info.value


def test_issue_returns_six_digits_stored_only_as_a_salted_hash(terminals, monkeypatch: pytest.MonkeyPatch) -> None:
    """At the program's own cost (the other tests hash codes cheaply: tests/conftest.py)."""
    monkeypatch.setitem(terminals_module._SCRYPT, "n", TERMINAL_CODE_COST)
    app, mid, svc, _, expert, sec = terminals
    code = svc.issue_code(sec, mid, expert)
    assert len(code) == 6 and code.isdigit()
    with app.store.read() as conn:
        row = conn.execute(select(terminal_code)).one()
    assert code not in (row.salt, row.hash) and len(row.hash) == 64 and row.status == "active"
    assert TERMINAL_CODE_COST == 2**14 and row.hash == hashlib.scrypt(
        code.encode(), salt=bytes.fromhex(row.salt), n=2**14, r=8, p=1, dklen=32).hex()
    assert svc.unlock(mid, expert, code)
    raw = sqlite3.connect(app.store.path)
    dump = "\n".join(raw.iterdump())
    raw.close()
    assert f"'{code}'" not in dump and f'"{code}"' not in dump


def test_a_code_unlocks_its_expert_once(terminals) -> None:
    _app, mid, svc, _, expert, sec = terminals
    code = svc.issue_code(sec, mid, expert)
    session = svc.unlock(mid, expert, code)
    assert session.member_code == expert and svc.session(session.token) == session
    refused("terminal.used", svc.unlock, mid, expert, code)
    svc.lock(session.token)
    refused("terminal.session", svc.session, session.token)


def test_a_code_is_for_one_expert_only(terminals) -> None:
    app, mid, svc, _, expert, sec = terminals
    other = [m.code for m in app.views.members(mid) if m.role == "expert"][1]
    code = svc.issue_code(sec, mid, expert)
    refused("terminal.no_code", svc.unlock, mid, other, code)
    theirs = svc.issue_code(sec, mid, other)
    if theirs != code:
        refused("terminal.code", svc.unlock, mid, other, code)
    assert svc.unlock(mid, other, theirs).member_code == other


def test_wrong_codes_count_down_then_lock_even_the_right_code(terminals) -> None:
    _app, mid, svc, _, expert, sec = terminals
    code = svc.issue_code(sec, mid, expert)
    for left in range(MAX_TRIES - 1, 0, -1):
        exc = refused("terminal.code", svc.unlock, mid, expert, wrong(code))
        assert f"{left} tries left" in str(exc) and f"还可尝试{left}次" in exc.violations[0].message.zh
    refused("terminal.locked", svc.unlock, mid, expert, wrong(code))
    refused("terminal.locked", svc.unlock, mid, expert, code)
    fresh = svc.issue_code(sec, mid, expert)          # the secretary issues a new code
    assert svc.unlock(mid, expert, fresh).member_code == expert


def test_an_expired_code_is_refused(terminals) -> None:
    _app, mid, svc, clock, expert, sec = terminals
    code = svc.issue_code(sec, mid, expert)
    clock.now = T0 + dt.timedelta(minutes=9, seconds=59)
    second = svc.issue_code(sec, mid, expert)          # replaces the first, expiry restarts
    if code != second:
        refused("terminal.code", svc.unlock, mid, expert, code)
    clock.now = T0 + dt.timedelta(minutes=20)
    refused("terminal.expired", svc.unlock, mid, expert, second)


def test_unknown_people_get_no_code(terminals) -> None:
    _app, mid, svc, _, _, sec = terminals
    refused("member.unknown", svc.issue_code, sec, mid, "NOBODY")


def _issues(app: Conclave) -> list[tuple[str, dict]]:
    with app.store.read() as conn:
        return [(e.actor, json.loads(e.data)) for e in conn.execute(
            select(audit_event).where(audit_event.c.action == "terminal.issue").order_by(audit_event.c.seq))]


def test_only_a_signed_in_staff_member_issues_a_code_and_the_record_names_them(terminals) -> None:
    """An expert at the host once issued themselves another's code: a code now needs a staff
    member's own sign-in, and the audit event names that person and their post."""
    app, mid, svc, _, expert, sec = terminals
    refused("staff.session", svc.issue_code, "a-typed-name", mid, expert)       # a name is not a session
    refused("staff.session", svc.issue_code, "", mid, expert)
    supervisor = app.staff.sign_in(mid, "supervisor", STAFF_CODES["supervisor"])
    app.staff.sign_out(supervisor.token)
    refused("staff.session", svc.issue_code, supervisor.token, mid, expert)     # signed out: no more codes
    with app.store.read() as conn:
        assert conn.execute(select(terminal_code)).all() == []                  # nothing issued
    svc.issue_code(sec, mid, expert)
    again = app.staff.sign_in(mid, "supervisor", STAFF_CODES["supervisor"])
    svc.issue_code(again.token, mid, expert)                                    # either post of the plan may
    m = app.views.meeting(mid)
    assert [(actor, data["staff"], data["member"]) for actor, data in _issues(app)] == [
        (m.secretary, "secretary", expert), (m.supervisor, "supervisor", expert)]


def test_a_staff_session_stops_issuing_once_the_plan_names_someone_else(terminals) -> None:
    app, mid, svc, _, expert, sec = terminals
    m = app.views.meeting(mid)
    app.setup.set_staff(SECRETARY, mid, secretary="张新", supervisor=m.supervisor or "")
    refused("staff.session", svc.issue_code, sec, mid, expert)
    assert _issues(app) == []


def test_every_issue_and_unlock_is_audited_without_the_code(terminals) -> None:
    app, mid, svc, _, expert, sec = terminals
    code = svc.issue_code(sec, mid, expert)
    refused("terminal.code", svc.unlock, mid, expert, wrong(code))
    svc.unlock(mid, expert, code)
    with app.store.read() as conn:
        events = conn.execute(select(audit_event).where(audit_event.c.action.like("terminal.%"))
                              .order_by(audit_event.c.seq)).all()
    assert [(e.action, e.actor) for e in events] == [
        ("terminal.issue", app.views.meeting(mid).secretary), ("terminal.unlock", expert), ("terminal.unlock", expert)]
    assert '"result":"wrong"' in events[1].data and '"result":"ok"' in events[2].data
    assert all(code not in e.data and wrong(code) not in e.data for e in events)


def test_a_new_file_has_the_code_table_from_the_schema(tmp_path) -> None:
    from app.storage.db import open_engine

    engine = open_engine(tmp_path / "new.sqlite3")      # without importing the terminal service first
    assert "terminal_code" in inspect(engine).get_table_names()
    engine.dispose()


def test_tasks_show_only_the_experts_own_ballot_until_they_vote(terminals) -> None:
    app, mid, svc, _, expert, sec = terminals
    session = svc.unlock(mid, expert, svc.issue_code(sec, mid, expert))
    assert svc.tasks(session.token).ballot is None              # no round open yet
    voters = [m.code for m in app.views.members(mid) if m.role == "expert"]
    rid = app.voting.open_first_round("M01", mid, voters, passphrase=ROUND_PASSPHRASE)
    tasks = svc.tasks(session.token)
    assert tasks.ballot and tasks.ballot.round_id == rid
    assert [c.code for c in tasks.ballot.candidates] == [c.code for c in app.views.candidates(mid)]
    assert not tasks.review and not tasks.commitment_open
    VotingService(app.store, svc, app.staff).cast(session.token, rid, {})
    after = svc.tasks(session.token)
    assert after.ballot is None and after.voted_round == 1
