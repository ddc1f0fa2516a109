"""Staff sign-in (工作人员登录): the plan's secretary and supervisor, each with a code of their own.

Why: some acts need two *different* people, and a typed name proves nothing — one person can
type two names, and ``"王海"`` and ``"王海 "`` are two strings. The double entry of paper
ballots (:meth:`app.services.voting.VotingService.enter_paper_batch`) is the case: each copy
of a batch is typed by a staff member signed in here, and the two copies must come from the
two staff posts of the plan, never from one.

The staff are the ones the plan names (:meth:`app.services.setup.SetupService.set_staff`): the
secretary (办事机构工作人员, ``meeting.secretary``) and the supervisor (纪检监察, ``meeting.supervisor``).
Each sets a personal code of at least :data:`MIN_CODE` characters (:meth:`StaffService.set_code`),
in person, once — changing it later needs the current one — and signs in with it
(:meth:`StaffService.sign_in`): a :class:`StaffSession` whose identity is the *post*
(:class:`StaffPost`), never the name. Sessions live in this process's memory only, like the
terminals' sessions (:mod:`app.services.terminals`): a token is never stored.

Where the code lives: the schema has no table for staff codes (and this change adds none), so
the salted scrypt hash is carried by the audit event that set it (``staff.code``: the post, the
person's name as on the plan, the salt, scrypt's cost and the hash — never the code). The newest such event
for the post is the code, and only while the plan still names the same person: a code set by
a secretary whom the plan later replaced does not let the new one in. The hash chain makes the
code tamper-evident: editing the hash breaks ``conclave verify-db``. Every sign-in attempt is
an audit event too (``staff.sign_in``, with its result). Setting the first code trusts whoever
is at the laptop: the event names the post, and the supervisor who finds "a code is already
set" knows someone set it for them.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import threading
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sqlalchemy import Connection, bindparam, select

from app.errors import RuleViolation
from app.services.base import Store, fail, meeting_row
from app.storage.schema import audit_event
from app.text import bi

MIN_CODE = 6
SCRYPT_N = 2**14        # scrypt's cost; the ``staff.code`` event records the one it used


class StaffPost(StrEnum):
    """The two staff posts the plan names; a staff session is for one of them."""

    SECRETARY = "secretary"      # 办事机构工作人员 (会务)
    SUPERVISOR = "supervisor"    # 纪检监察

    @property
    def en(self) -> str:
        return {"secretary": "the secretary", "supervisor": "the supervisor"}[self.value]

    @property
    def zh(self) -> str:
        return {"secretary": "会务工作人员", "supervisor": "纪检监察人员"}[self.value]


@dataclass(frozen=True)
class StaffSession:
    """A staff member signed in: the post they hold and their name as the plan gives it.
    ``token`` is the session's secret handle; the engine takes the person from it."""

    token: str
    meeting_id: int
    post: StaffPost
    name: str


def staff_post(value: str) -> StaffPost:
    """``value`` as a :class:`StaffPost`; refused (``staff.post``) when it is neither post."""
    try:
        return StaffPost(value)
    except ValueError:
        raise fail("staff.post", bi(f"{value!r} is not a staff post of the plan: the secretary or the supervisor",
                                    f"“{value}”不是评审方案中的工作人员岗位：应为会务工作人员或纪检监察人员")) from None


def _digest(code: str, salt: bytes, n: int) -> str:
    return hashlib.scrypt(code.encode("utf-8"), salt=salt, n=n, r=8, p=1, dklen=32).hex()


def _named(conn: Connection, meeting_id: int, post: StaffPost) -> str:
    """The person the plan names for ``post``; refused when the plan names nobody."""
    name = (getattr(meeting_row(conn, meeting_id), post.value) or "").strip()
    if not name:
        raise fail("staff.unnamed", bi(f"the plan names no one as {post.en}: name the staff first",
                                       f"评审方案尚未填写{post.zh}，请先填写工作人员"))
    return name


#: The ``staff.code`` events of a meeting, newest first (built once: every sign-in reads them).
_CODES = (select(audit_event.c.data).where(audit_event.c.meeting_id == bindparam("meeting_id"),
                                           audit_event.c.action == "staff.code")
          .order_by(audit_event.c.seq.desc()))


def stored_code(conn: Connection, meeting_id: int, post: StaffPost, name: str) -> dict[str, Any] | None:
    """The newest code set for ``post`` (its ``staff.code`` event's data), if it was set by ``name``."""
    for raw in conn.execute(_CODES, {"meeting_id": meeting_id}).scalars():
        data = json.loads(raw)
        if data.get("staff") == post.value:
            return data if data.get("name") == name else None
    return None


class StaffService:
    """Personal codes and sessions of the plan's staff (see the module docstring)."""

    def __init__(self, store: Store, cost: int = SCRYPT_N) -> None:
        """``cost``: scrypt's N for codes set through this object (a sign-in uses the one recorded
        with the code; tests that build many meetings set their codes cheaply)."""
        self.store = store
        self.cost = cost
        self._sessions: dict[str, StaffSession] = {}
        self._lock = threading.Lock()

    def has_code(self, meeting_id: int, post: str) -> bool:
        """Whether the person the plan names for ``post`` has set their code."""
        p = staff_post(post)
        with self.store.read() as conn:
            name = (getattr(meeting_row(conn, meeting_id), p.value) or "").strip()
            return bool(name) and stored_code(conn, meeting_id, p, name) is not None

    def set_code(self, meeting_id: int, post: str, code: str, current: str | None = None) -> None:
        """The staff member of ``post`` sets their personal code; a code already set is changed
        only with the current one (``staff.code_set``, ``staff.code``)."""
        p = staff_post(post)
        new = code.strip()
        if len(new) < MIN_CODE:
            raise fail("staff.code_short", bi(f"a staff code has at least {MIN_CODE} characters",
                                              f"工作人员登录码至少{MIN_CODE}位"))
        salt = secrets.token_bytes(16)
        with self.store.write(p.value, "staff.code", meeting_id, staff=p.value, salt=salt.hex(), n=self.cost,
                              hash=_digest(new, salt, self.cost)) as tx:
            name = _named(tx.conn, meeting_id, p)
            old = stored_code(tx.conn, meeting_id, p, name)
            if old is not None and current is None:
                raise fail("staff.code_set", bi(
                    f"{name} ({p.en}) already has a code: give the current code to change it",
                    f"{name}（{p.zh}）已设置登录码，须输入原登录码才能更改"))
            if old is not None and not _matches(current or "", old):
                raise fail("staff.code_set", bi(f"the current code of {name} ({p.en}) is not correct",
                                                f"{name}（{p.zh}）的原登录码不正确"))
            tx.data.update(name=name, replaced=old is not None)

    def sign_in(self, meeting_id: int, post: str, code: str) -> StaffSession:
        """Open a session for the staff member of ``post`` with their code; every attempt is audited."""
        p = staff_post(post)
        refusal: RuleViolation | None = None
        with self.store.write(p.value, "staff.sign_in", meeting_id, staff=p.value) as tx:
            name = _named(tx.conn, meeting_id, p)
            stored = stored_code(tx.conn, meeting_id, p, name)
            if stored is None:
                result, refusal = "none", fail("staff.no_code", bi(
                    f"{name} ({p.en}) has not set a staff code yet", f"{name}（{p.zh}）尚未设置登录码"))
            elif not _matches(code, stored):
                result, refusal = "wrong", fail("staff.code", bi(
                    f"wrong staff code for {name} ({p.en})", f"{name}（{p.zh}）的登录码不正确"))
            else:
                result = "ok"
            tx.data.update(name=name, result=result)
        if refusal is not None:     # raised after the commit: the attempt itself is recorded
            raise refusal
        session = StaffSession(secrets.token_urlsafe(24), meeting_id, p, name)
        with self._lock:
            self._sessions[session.token] = session
        return session

    def session(self, token: str) -> StaffSession:
        """The live staff session of ``token``; refused once signed out, or unknown."""
        with self._lock:
            found = self._sessions.get(token)
        if found is None:
            raise fail("staff.session", bi("no staff member is signed in: sign in with your staff code",
                                            "工作人员未登录：请输入本人登录码登录"))
        return found

    def leave_kiosk(self, token: str) -> None:
        """The staff member signed in as ``token`` ends kiosk mode at the host (:mod:`ui.kiosk`): one
        audit event ``kiosk.leave`` naming them — who gave the secretary's window back, and when."""
        clerk = self.session(token)
        with self.store.write(clerk.name, "kiosk.leave", clerk.meeting_id, staff=clerk.post.value) as tx:
            check_staff_session(tx.conn, clerk)

    def sign_out(self, token: str) -> None:
        """End a staff session (the entry is saved, or the dialog closed)."""
        with self._lock:
            self._sessions.pop(token, None)


def check_staff_session(conn: Connection, session: StaffSession) -> None:
    """Inside a write: refuse a session whose person the plan no longer names for its post."""
    name = (getattr(meeting_row(conn, session.meeting_id), session.post.value) or "").strip()
    if name != session.name:
        raise fail("staff.session", bi(
            f"the plan no longer names {session.name} as {session.post.en}: sign in again",
            f"评审方案中的{session.post.zh}已不是{session.name}，请重新登录"))


def _matches(code: str, stored: dict[str, Any]) -> bool:
    digest = _digest(code.strip(), bytes.fromhex(stored["salt"]), int(stored.get("n", SCRYPT_N)))
    return hmac.compare_digest(digest, stored["hash"])
