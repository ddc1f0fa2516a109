"""The terminal side: one paired host, reached over HTTPS pinned to the host's own certificate.

:class:`StationClient` is what ``ui.expert_backend.RemoteBackend`` drives. It talks to one
address — the host's, as the chair's screen shows it — and to nothing else: no proxy from the
environment (``trust_env=False``), no redirect followed, no name looked up.

Pinning: at pairing the terminal reads the certificate the host presents, checks that its
SHA-256 is the fingerprint typed (or scanned from the QR code) and keeps it; from then on the
TLS context trusts exactly that certificate (:func:`app.lan.tls.pinned_context`). A wrong
fingerprint is refused before anything is sent (``lan.fingerprint``).

Nothing lost, nothing twice: :meth:`StationClient.submit` journals the entry first
(:mod:`app.lan.journal`), sends it, and forgets it when the host acknowledges it (``accepted`` or
``duplicate``). Unreachable host: the entry stays and :meth:`submit` answers ``pending``; a
refusal by the engine (closed round, a score out of range…) forgets the entry and is raised —
sending it again would not change the answer. A host that no longer knows the session (it was
restarted) keeps the entry until the expert signs in again: :meth:`unlock` sends their waiting
entries with the new session.
"""

from __future__ import annotations

import json
import ssl
import threading
import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from app.errors import RuleViolation, Violation
from app.lan import messages as m
from app.lan.journal import Entry, Journal
from app.lan.tls import (
    check_fingerprint,
    fetch_certificate,
    normal_fingerprint,
    pem_of_der,
    pinned_context,
    split_address,
    unreachable,
)
from app.lan.wire import from_wire
from app.text import bi

#: Refusals after which an entry is kept to send once the expert signs in again (the host lost the session).
SIGN_IN_AGAIN = frozenset({"terminal.session", "station.session"})
#: Refusals after which an entry is kept to send again: the link, the host's certificate, this
#: station's pairing, the host busy — nothing about the entry itself. Any other refusal is the
#: engine's answer to what the entry says, and the entry is forgotten.
KEEP = frozenset({"lan.unreachable", "lan.certificate", "lan.unpaired", "lan.auth", "lan.rate", "station.unknown",
                  "station.revoked", "storage.busy"})
CONNECTED_WITHIN = 15.0      # seconds: the host's own measure of "connected" (StationService.station_states)


@dataclass(frozen=True)
class Ack:
    """The host's answer to an entry: ``accepted``, ``duplicate`` (it had it already), or —
    on this side only — ``pending`` (kept in the journal, sent when the host is reachable)."""

    entry_id: str
    status: str
    result: Any = None


class StationClient:
    """A terminal's link to one host (see the module docstring)."""

    def __init__(self, address: str, fingerprint: str, journal_dir: Path, timeout: float = 30.0) -> None:
        split_address(address)                   # refuses a malformed address at once
        self.address = address.strip()
        self.fingerprint = normal_fingerprint(fingerprint)
        if len(self.fingerprint) != 64:
            raise RuleViolation.single("lan.fingerprint", bi(
                "a host fingerprint has 64 hexadecimal digits: copy it from the host screen",
                "主机指纹应为64位十六进制字符，请按主机屏幕显示的内容输入"))
        self.journal = Journal(Path(journal_dir) / f"host-{self.fingerprint[:16].lower()}.sqlite3")
        self.timeout = timeout
        self._sessions: dict[str, str] = {}      # session token → member code
        self._lock = threading.Lock()
        self._http: httpx.Client | None = None
        self.last_contact: float | None = None   # time.monotonic() of the host's last answer
        #: entries sent again from the journal that the engine refused for good (a round closed while
        #: the link was down…): (kind, the refusal) — for the screen to say so; never resent
        self.refused: list[tuple[str, RuleViolation]] = []
        pem = self.journal.get("certificate")
        if pem is not None:
            check_fingerprint(ssl.PEM_cert_to_DER_cert(pem), self.fingerprint, self.address)

    # -- pairing -----------------------------------------------------------------------
    @property
    def paired(self) -> bool:
        return self.journal.get("token") is not None

    @property
    def station_id(self) -> int | None:
        raw = self.journal.get("station_id")
        return None if raw is None else int(raw)

    def pair(self, code: str, station_name: str) -> int:
        """Pair with the host using its one-time pairing code; the token is kept in the journal.
        Returns this station's id."""
        der = fetch_certificate(self.address, self.timeout)
        check_fingerprint(der, self.fingerprint, self.address)
        self.journal.put(certificate=pem_of_der(der), address=self.address)
        self._close_http()
        answer = self._post("/pair", {"code": code.strip(), "station_name": station_name.strip()}, auth=False)
        self.journal.put(token=str(answer["token"]), station_id=str(answer["station_id"]), name=station_name.strip())
        return int(answer["station_id"])

    def hello(self) -> dict[str, Any]:
        """Ask the host who this station is (and tell it we are here)."""
        return dict(self._post("/hello", {"pending": self.pending()}))

    def heartbeat(self, session: str | None = None) -> bool:
        """Tell the host this terminal is connected, who is signed in, and how many entries wait;
        send what waits. False when the host cannot be reached (nothing is raised for that)."""
        try:
            self._post("/seen", {"session": session, "pending": self.pending()})
        except RuleViolation as exc:
            if exc.rule == "lan.unreachable":
                return False
            raise
        if self.pending():
            self.flush()
        return True

    def members(self) -> list[tuple[str, str]]:
        """(code, name) of the members who may sign in (checked in, not departed), for the sign-in list."""
        return [(str(c), str(n)) for c, n in self._post("/members", {"pending": self.pending()})["members"]]

    @property
    def connected(self) -> bool:
        """Whether the host answered within the last :data:`CONNECTED_WITHIN` seconds."""
        return self.last_contact is not None and time.monotonic() - self.last_contact < CONNECTED_WITHIN

    # -- sign-in -------------------------------------------------------------------------
    def unlock(self, member_code: str, code: str) -> str:
        """Sign ``member_code`` in with their one-time code; their entries still waiting in the
        journal are sent with the new session. Returns the session token."""
        answer = self._post("/unlock", {"member": member_code.strip(), "code": code.strip()})
        session = str(answer["session"])
        member = str(answer["member"])
        with self._lock:
            for old in [t for t, who in self._sessions.items() if who == member]:
                del self._sessions[old]
            self._sessions[session] = member
        self.journal.set_session(member, session)
        self.flush(member)
        return session

    def lock(self, session: str) -> None:
        """End the session here and on the host (waiting entries are sent first, when possible)."""
        member = self._sessions.get(session)
        if member is not None:
            self.flush(member)
        try:
            self._post("/lock", {"session": session})
        finally:
            with self._lock:
                self._sessions.pop(session, None)

    def tasks(self, session: str) -> Any:
        """The expert's tasks (:class:`app.services.terminals.ExpertTasks`) as the host sees them."""
        from app.services.terminals import ExpertTasks

        return from_wire(ExpertTasks, self._post("/tasks", {"session": session}))

    # -- entries -------------------------------------------------------------------------
    def submit(self, session: str, kind: str, body: Mapping[str, Any]) -> Ack:
        """Journal the entry, send it, forget it on acknowledgement (see the module docstring)."""
        if kind not in m.ENTRY_KINDS:
            raise RuleViolation.single("lan.kind", bi(f"unknown kind of entry {kind!r}", f"未知的提交类型“{kind}”"))
        member = self._sessions.get(session)
        if member is None:
            raise RuleViolation.single("terminal.session", bi(
                "this terminal is locked: unlock it again with a new code", "终端已锁定，请重新领取验证码解锁"))
        entry = Entry(str(uuid.uuid4()), member, session, kind, dict(body))
        self.journal.add(entry)
        return self._send(entry, raise_refusal=True)

    def flush(self, member: str | None = None) -> int:
        """Send every waiting entry (``member``'s only, when given); returns how many were acknowledged."""
        done = 0
        for entry in self.journal.pending(member):
            try:
                ack = self._send(entry, raise_refusal=False)
            except RuleViolation:
                continue
            if ack.status in ("accepted", "duplicate"):
                done += 1
            elif ack.result == "unreachable":
                break
        return done

    def pending(self) -> int:
        """Entries kept in the journal, not yet acknowledged by the host."""
        return self.journal.count()

    def _send(self, entry: Entry, *, raise_refusal: bool) -> Ack:
        """Send one journaled entry. Forgotten on acknowledgement, or when the engine refuses what it
        says (sending it again would change nothing); kept when the link, the host's certificate, the
        station's pairing or the expert's session stands in the way (:data:`KEEP`)."""
        if entry.session is None:
            return Ack(entry.entry_id, "pending", "sign_in")
        try:
            answer = self._post("/submit", content=_entry_request(entry))
        except RuleViolation as exc:
            if exc.rule == "lan.unreachable":
                return Ack(entry.entry_id, "pending", "unreachable")
            if exc.rule in SIGN_IN_AGAIN:
                if raise_refusal:
                    raise RuleViolation.single("lan.sign_in_again", bi(
                        "the host no longer knows this sign-in (it was restarted, or the terminal was locked): "
                        "your entry is kept on this terminal and is sent as soon as you sign in again",
                        "主机已不认可本次登录（主机曾重启或终端已锁定）：您提交的内容已保存在本终端，"
                        "重新登录后将自动发送")) from None
                return Ack(entry.entry_id, "pending", "sign_in")
            if exc.rule in KEEP:
                if raise_refusal:
                    raise
                return Ack(entry.entry_id, "pending", exc.rule)
            self.journal.remove(entry.entry_id)      # refused for good: sending it again changes nothing
            if raise_refusal:
                raise
            self.refused.append((entry.kind, exc))
            return Ack(entry.entry_id, "refused", exc.rule)
        self.journal.remove(entry.entry_id)
        return Ack(str(answer.get("entry_id", entry.entry_id)), str(answer.get("status", "accepted")),
                   answer.get("result"))

    # -- HTTP ----------------------------------------------------------------------------
    def _client(self) -> httpx.Client:
        if self._http is None:
            pem = self.journal.get("certificate")
            if pem is None:
                raise RuleViolation.single("lan.unpaired", bi(
                    "this terminal is not paired with the host yet: enter the pairing code shown on the host",
                    "本终端尚未与主机配对，请输入主机屏幕上显示的配对码"))
            self._http = httpx.Client(base_url=f"https://{self.address}{m.API}", verify=pinned_context(pem),
                                      timeout=self.timeout, trust_env=False, follow_redirects=False,
                                      limits=httpx.Limits(max_connections=2, max_keepalive_connections=1,
                                                          keepalive_expiry=m.TERMINAL_KEEP_ALIVE))
        return self._http

    def _close_http(self) -> None:
        if self._http is not None:
            self._http.close()
            self._http = None

    def close(self) -> None:
        self._close_http()
        self.journal.close()

    def _post(self, path: str, payload: Mapping[str, Any] | None = None, *, auth: bool = True,
              content: bytes | None = None) -> Any:
        """POST ``payload`` as JSON — or ``content``, a JSON text made already — and return the answer's JSON."""
        headers = {}
        if auth:
            token = self.journal.get("token")
            if token is None:
                raise RuleViolation.single("lan.unpaired", bi(
                    "this terminal is not paired with the host yet: enter the pairing code shown on the host",
                    "本终端尚未与主机配对，请输入主机屏幕上显示的配对码"))
            headers["Authorization"] = f"Bearer {token}"
        try:
            if content is None:
                response = self._client().post(path, json=dict(payload or {}), headers=headers)
            else:
                headers["Content-Type"] = "application/json"
                response = self._client().post(path, content=content, headers=headers)
        except httpx.TransportError as exc:
            self._close_http()                       # a fresh connection next time
            if _verify_failed(exc):
                raise RuleViolation.single("lan.certificate", bi(
                    f"the host at {self.address} no longer presents the certificate this terminal was paired "
                    "with: nothing was sent. If the host was set up again, pair this terminal again",
                    f"{self.address}上的主机出示的证书与本终端配对时的不同，未发送任何内容；"
                    "如主机已重新设置，请重新配对本终端")) from None
            raise unreachable(self.address, type(exc).__name__) from None
        self.last_contact = time.monotonic()
        try:
            data = response.json()
        except ValueError:
            data = None
        if response.status_code == 200 and data is not None:
            return data
        if isinstance(data, dict) and "rule" in data:
            message = bi(str(data.get("message", "")), str(data.get("zh") or data.get("message", "")))
            raise RuleViolation(Violation(str(data["rule"]), message))
        raise unreachable(self.address, f"HTTP {response.status_code}")


def _entry_request(entry: Entry) -> bytes:
    """The ``/submit`` request of a journaled entry, around the body's JSON text as the journal keeps it."""
    head = json.dumps({"entry_id": entry.entry_id, "kind": entry.kind, "session": entry.session},
                      ensure_ascii=False, separators=(",", ":"))
    return f'{head[:-1]},"body":{entry.body_json}}}'.encode()


def _verify_failed(exc: BaseException) -> bool:
    """Whether ``exc`` (or what caused it) is TLS refusing the host's certificate."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, ssl.SSLCertVerificationError):
            return True
        seen = seen.__cause__ or seen.__context__
    return "CERTIFICATE_VERIFY_FAILED" in str(exc)
