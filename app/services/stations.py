"""Expert terminals on the closed LAN (联网评委终端): pairing, the entry ledger, and who is connected.

A station is one of the office's laptops running ``conclave terminal``. The transport
(:mod:`app.lan`) carries its messages; this service decides what they may do.

**Pairing.** A signed-in staff member opens a pairing (:meth:`StationService.open_pairing`): an
:data:`PAIRING_CHARS`-character code from an alphabet without look-alikes, shown on the host with the
address and certificate fingerprint. It works once, for :data:`PAIRING_TTL`, and dies after
:data:`PAIRING_TRIES` wrong tries — a guess is one in 32⁸, five of them are all an attacker gets. A new
pairing replaces the open one. The offer lives in this process only (a host restart ends it: open
another). :meth:`pair` gives the station its own token, returned once and stored only as its SHA-256;
the chair sees the stations and revokes one (:meth:`revoke`) — its token stops working at once.

**Entries.** Everything an expert enters at a station arrives as an entry (:meth:`submit`): a UUID the
terminal chose, a kind (:data:`KINDS`), a body, and the session the expert unlocked at that station.
The matching :class:`~app.services.desk.ExpertDesk` call writes the entry's ledger row in its own
transaction, so an entry is either stored with its ledger row or not at all. A resubmission — the
acknowledgement was lost, the host or the terminal restarted — finds the ledger row and is answered
``duplicate`` without writing anything: that transaction reads the ledger first, and a refusal
before it (the session) looks there too, so an entry accepted before a host restart (sessions live
in memory) is still recognised. The ledger keeps the SHA-256 of
each body so that the same id with another body is refused (``station.replay``) — except a ballot's:
a digest of a short ballot would be a guess away from its choices, and the ledger would then tie a
station to them; a ballot entry replayed under its id is ``duplicate`` whatever it says (the voter is
on the roll already: a second ballot could not enter the box anyway).

**Refusals.** Every refusal of a station's request — unknown or revoked token, a malformed body,
a replayed id, a locked session, a closed round, a score out of range, a conflicted candidate — is
one audit event ``station.refused`` (the rule, the station, the kind, the entry id — never a body)
and nothing else is written.

**Sessions.** An expert signs in at a station with their one-time code (:meth:`sign_in`): one expert
at one station at a time — signing in elsewhere, with a new code the staff issued, ends the other
session, and a station signing in another expert ends its previous one.

**Connection state** (:meth:`seen`, :meth:`station_states`) is kept in this process's memory: the
transport reports each contact; a station is connected if it was seen within :data:`CONNECTED_WITHIN`.
The host serves from a worker thread, so every in-memory map here is guarded by a lock.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import hmac
import secrets
import threading
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Row, insert, select, update

from app.errors import RuleViolation
from app.services.base import Store, fail, meeting_row
from app.services.desk import KINDS, KNOWN_ENTRY, Entry, ExpertDesk, Received
from app.services.staff import StaffService, check_staff_session
from app.services.terminals import ExpertTasks, Session, TerminalService
from app.storage.audit import canonical
from app.storage.schema import station
from app.storage.store import inserted_id
from app.text import bi

PAIRING_TTL = dt.timedelta(minutes=5)
PAIRING_TRIES = 5
PAIRING_CHARS = 8
PAIRING_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"     # no 0/O, 1/I: read off a screen, typed
CONNECTED_WITHIN = dt.timedelta(seconds=15)
MAX_NAME = 64
MAX_TEXT = 10_000          # a question or an answer, in characters

Clock = Callable[[], dt.datetime]


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _stamp(when: dt.datetime) -> str:
    return when.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class PairingOffer:
    """An open pairing: the code to show (and put in the QR code) and when it expires."""

    code: str
    expires_at: dt.datetime


@dataclass(frozen=True)
class PairedStation:
    """A station just paired: its id and its token — returned this once, never stored."""

    station_id: int
    token: str


@dataclass(frozen=True)
class StationRecord:
    station_id: int
    name: str
    meeting_id: int
    revoked: bool


@dataclass(frozen=True)
class Ack:
    """The host's answer to an entry: ``accepted`` the first time (``result``: the new question's id
    for a ``question``, else None), ``duplicate`` for an entry already stored."""

    entry_id: str
    status: str
    result: int | None = None


@dataclass(frozen=True)
class StationState:
    """A station as the chair sees it on the serving panel."""

    station_id: int
    name: str
    connected: bool                  # seen within CONNECTED_WITHIN
    last_seen: dt.datetime | None    # UTC; None: not seen since this host started
    expert: str | None               # the expert signed in there (name), if any
    pending: int                     # entries the terminal holds, not yet acknowledged
    revoked: bool


@dataclass
class _Offer:
    meeting_id: int
    digest: str
    expires_at: dt.datetime
    staff: str
    tries: int = 0


@dataclass
class _Seen:
    at: dt.datetime
    expert: str | None
    pending: int


class StationService:
    """Paired LAN stations of a meeting file (see the module docstring); ``clock`` for tests."""

    def __init__(self, store: Store, staff: StaffService, terminals: TerminalService, desk: ExpertDesk,
                 clock: Clock = _utc_now) -> None:
        self.store = store
        self.staff = staff
        self.terminals = terminals
        self.desk = desk
        self.clock = clock
        self._lock = threading.Lock()              # offers, sessions bound to stations, what was seen
        self._submitting = threading.Lock()        # one entry at a time: the ledger check and the write
        self._offers: dict[int, _Offer] = {}       # meeting id -> the open offer
        self._session_station: dict[str, int] = {}  # session token -> the station it was signed in at
        self._seen: dict[int, _Seen] = {}
        #: token hash -> its station, not revoked: every request of a station names its token, and the
        #: transport, the entry and the heartbeat each ask who it is. Only this service writes the
        #: station table (:meth:`pair` adds a row, :meth:`revoke` drops the station from here at once),
        #: so the file and this map agree.
        self._known: dict[str, StationRecord] = {}

    # -- pairing -----------------------------------------------------------------
    def open_pairing(self, staff_token: str) -> PairingOffer:
        """A one-time pairing code for the staff member's meeting (replaces an open one); audited
        (``station.pairing``, with the expiry, never the code)."""
        clerk = self.staff.session(staff_token)
        code = "".join(secrets.choice(PAIRING_ALPHABET) for _ in range(PAIRING_CHARS))
        expires = self.clock() + PAIRING_TTL
        with self._lock, self.store.write(clerk.name, "station.pairing", clerk.meeting_id,
                                          staff=clerk.post.value, expires=_stamp(expires)) as tx:
            check_staff_session(tx.conn, clerk)
            tx.data["replaced"] = clerk.meeting_id in self._offers
            self._offers[clerk.meeting_id] = _Offer(clerk.meeting_id, _code_digest(code), expires, clerk.name)
        return PairingOffer(code, expires)

    def pair(self, meeting_id: int, code: str, station_name: str) -> PairedStation:
        """Pair a station with the open offer's code; every attempt is audited (``station.pair``)."""
        name = " ".join((station_name or "").split())
        if not name or len(name) > MAX_NAME:
            raise fail("station.name", bi(f"a terminal needs a name of 1 to {MAX_NAME} characters",
                                          f"终端名称须为1至{MAX_NAME}个字符"))
        refusal: RuleViolation | None = None
        token = secrets.token_urlsafe(32)
        with self._lock:
            offer = self._offers.get(meeting_id)
            with self.store.write(f"终端 {name}", "station.pair", meeting_id, name=name) as tx:
                meeting_row(tx.conn, meeting_id)
                now = self.clock()
                if offer is None:
                    result, refusal = "none", fail("station.no_pairing", bi(
                        "no pairing is open on the host: ask the staff to open one",
                        "主机未开放配对，请会务工作人员开放配对"))
                elif offer.tries >= PAIRING_TRIES:
                    result, refusal = "locked", _pairing_locked()
                elif now >= offer.expires_at:
                    result, refusal = "expired", fail("station.pairing_expired", bi(
                        "the pairing code has expired: ask the staff for a new one",
                        "配对码已过期，请会务工作人员重新开放配对"))
                elif not hmac.compare_digest(_code_digest(code), offer.digest):
                    offer.tries += 1
                    left = PAIRING_TRIES - offer.tries
                    result = "wrong" if left > 0 else "locked"
                    refusal = fail("station.pairing_code", bi(
                        f"wrong pairing code: {left} tries left", f"配对码不正确，还可尝试{left}次")) \
                        if left > 0 else _pairing_locked()
                    tx.data["tries"] = offer.tries
                else:
                    result = "ok"
                    sid = inserted_id(tx.conn.execute(insert(station).values(
                        meeting_id=meeting_id, name=name, token_hash=token_hash(token), paired_by=offer.staff,
                        paired_at=_stamp(now))))
                    tx.data.update(station=sid, opened_by=offer.staff)
                    del self._offers[meeting_id]            # single use
                tx.data["result"] = result
        if refusal is not None:       # raised after the commit: the attempt itself is recorded
            raise refusal
        return PairedStation(sid, token)

    # -- stations ----------------------------------------------------------------
    def station(self, token: str) -> StationRecord:
        """The station of ``token``; an unknown or revoked token is refused (``station.unknown``,
        ``station.revoked``) and the refusal audited (``station.refused``)."""
        try:
            return self._lookup(token)
        except RuleViolation as exc:
            self._refused(None, exc, token=token)
            raise

    def stations(self, meeting_id: int) -> tuple[StationRecord, ...]:
        """The meeting's paired stations, revoked ones too, in the order they were paired."""
        with self.store.read() as conn:
            return tuple(_record(r) for r in conn.execute(select(station).where(
                station.c.meeting_id == meeting_id).order_by(station.c.id)))

    def revoke(self, staff_token: str, station_id: int) -> None:
        """The staff member revokes a station of their meeting: its token stops working and the
        expert signed in there is signed out (``station.revoke``)."""
        clerk = self.staff.session(staff_token)
        with self.store.write(clerk.name, "station.revoke", clerk.meeting_id, station=station_id,
                              staff=clerk.post.value) as tx:
            check_staff_session(tx.conn, clerk)
            row = tx.conn.execute(select(station).where(station.c.id == station_id,
                                                        station.c.meeting_id == clerk.meeting_id)).first()
            if row is None:
                raise fail("station.unknown", bi(f"no terminal {station_id} is paired with this meeting",
                                                 f"本次会议没有编号为{station_id}的已配对终端"))
            if row.revoked_at is not None:
                raise fail("station.revoked", bi(f"terminal {row.name} was revoked already",
                                                 f"终端“{row.name}”已被撤销"))
            tx.conn.execute(update(station).where(station.c.id == station_id).values(
                revoked_by=clerk.name, revoked_at=_stamp(self.clock())))
            tx.data["name"] = row.name
        with self._lock:
            for key in [k for k, rec in self._known.items() if rec.station_id == station_id]:
                del self._known[key]
            ended = [s for s, sid in self._session_station.items() if sid == station_id]
            for s in ended:
                del self._session_station[s]
        for s in ended:
            self.terminals.lock(s)

    # -- the expert at a station -------------------------------------------------
    def sign_in(self, station_token: str, member_code: str, code: str) -> Session:
        """An expert unlocks a session at this station with their one-time code
        (:meth:`~app.services.terminals.TerminalService.unlock`, which audits the attempt). One expert at
        one station: their session at another station ends, and so does this station's previous one."""
        rec = self.station(station_token)
        session = self.terminals.unlock(rec.meeting_id, member_code, code)
        with self._lock:
            ended = [s for s, sid in self._session_station.items() if sid == rec.station_id]
            for s, sid in list(self._session_station.items()):
                if sid != rec.station_id and self._member_of(s) == (rec.meeting_id, member_code):
                    ended.append(s)
            for s in ended:
                self._session_station.pop(s, None)
            self._session_station[session.token] = rec.station_id
        for s in ended:
            self.terminals.lock(s)
        return session

    def sign_out(self, station_token: str, session_token: str) -> None:
        """The expert at this station locks it (their session ends)."""
        rec = self.station(station_token)
        with self._lock:
            if self._session_station.get(session_token) not in (None, rec.station_id):
                return                               # another station's session: not this one's to end
            self._session_station.pop(session_token, None)
        self.terminals.lock(session_token)

    def submit(self, station_token: str, entry_id: str, kind: str, body: Mapping[str, Any],
               session_token: str) -> Ack:
        """One entry from a station (see the module docstring): ``accepted`` and written with its ledger
        row, or ``duplicate`` and nothing written, or refused — audited ``station.refused``, nothing
        else written. ``body`` by kind: ``commitment`` ``{}``; ``scores`` ``{"candidate", "points":
        {item: int}}``; ``question`` ``{"candidate", "text", "answer"}``; ``question_review``
        ``{"question_id": int}``; ``ballot`` ``{"round_id": int, "choices": {code: yes|no|abstain}}``."""
        rec = self.station(station_token)
        try:
            # what the entry says is checked before the queue: only the ledger and the write take turns
            entry, args, digest = _checked_entry(entry_id, kind, body)
            with self._submitting:
                return self._submit(rec, entry, kind, args, digest, session_token)
        except RuleViolation as exc:
            self._refused(rec, exc, kind=kind, entry=entry_id)
            raise

    def _submit(self, rec: StationRecord, entry_id: str, kind: str, args: dict[str, Any], digest: str | None,
                session_token: str) -> Ack:
        """The entry acted on, its ledger row in the same write — whose first read is the ledger:
        one received already is answered from its row (:class:`~app.services.desk.Received`). A
        refusal before that read (the session: ended by a host restart, say) looks in the ledger
        too, so that an entry accepted before the restart is still answered ``duplicate``."""
        entry = Entry(entry_id, rec.station_id, kind, digest)
        try:
            self._session_at(rec, session_token, desk_checks=True)
            result = self._act(entry, args, session_token)
        except Received as known:
            return self._received(rec, entry, known.row)
        except RuleViolation:
            with self.store.read() as conn:
                row = conn.execute(KNOWN_ENTRY, {"entry_id": entry_id}).first()
            if row is not None:
                return self._received(rec, entry, row)
            raise
        return Ack(entry_id, "accepted", result)

    def _act(self, entry: Entry, args: dict[str, Any], session_token: str) -> int | None:
        """The expert desk's call for the entry's kind; a new question's id, else None."""
        if entry.kind == "commitment":
            self.desk.sign_commitment(session_token, entry=entry)
        elif entry.kind == "scores":
            self.desk.record_scores(session_token, args["candidate"], args["points"], entry=entry)
        elif entry.kind == "question":
            return self.desk.add_question(session_token, args["candidate"], args["text"], args["answer"],
                                          entry=entry)
        elif entry.kind == "question_review":
            self.desk.review_question(session_token, args["question_id"], entry=entry)
        else:
            self.desk.cast(session_token, args["round_id"], args["choices"], entry=entry)
        return None

    @staticmethod
    def _received(rec: StationRecord, entry: Entry, row: Row[Any]) -> Ack:
        """An entry found in the ledger: ``duplicate`` if it is the same entry, refused otherwise."""
        if row.station_id != rec.station_id or row.kind != entry.kind or row.digest != entry.digest:
            raise fail("station.replay", bi(
                f"entry {entry.entry_id} was received already with other contents; it is not accepted again",
                f"编号为{entry.entry_id}的录入此前已收到且内容不同，不再接受"))
        return Ack(entry.entry_id, "duplicate")

    def tasks(self, station_token: str, session_token: str) -> ExpertTasks:
        """What the expert signed in at this station sees (:meth:`TerminalService.tasks`) — refused for a
        session signed in at another station (``station.session``)."""
        rec = self.station(station_token)
        try:
            self._session_at(rec, session_token)
        except RuleViolation as exc:
            self._refused(rec, exc, kind="tasks")
            raise
        return self.terminals.tasks(session_token)

    def _session_at(self, rec: StationRecord, session_token: str, *, desk_checks: bool = False) -> Session:
        """The live session ``session_token`` if it belongs to station ``rec`` (a session not yet
        bound to a station, unlocked elsewhere in this process, is bound to it at its first use).
        ``desk_checks``: the expert desk's own call follows in the same turn and checks the session
        in the file (a departed expert), so this read is not made twice for one entry."""
        session = self.terminals.live(session_token) if desk_checks else None
        if session is None:
            session = self.terminals.session(session_token)
        with self._lock:
            bound = self._session_station.setdefault(session_token, rec.station_id)
        if session.meeting_id != rec.meeting_id or bound != rec.station_id:
            raise fail("station.session", bi(
                f"{session.member_name} is not signed in at terminal {rec.name}: sign in there with a new code",
                f"{session.member_name}未在终端“{rec.name}”登录，请在本终端用新验证码登录"))
        return session

    # -- who is connected --------------------------------------------------------
    def seen(self, station_token: str, signed_in: str | None, pending: int) -> None:
        """The transport heard from a station: when, who it says is signed in, how many entries it
        still holds. The station's token is checked (not audited: the transport checked it with
        :meth:`station` on the request that brought it)."""
        rec = self._lookup(station_token)
        with self._lock:
            self._seen[rec.station_id] = _Seen(self.clock(), signed_in, max(0, int(pending)))

    def station_states(self, meeting_id: int | None = None) -> tuple[StationState, ...]:
        """Every paired station (of ``meeting_id``, or of the file) with what this host saw of it. The
        expert is the one signed in there through :meth:`sign_in` when the host knows one."""
        where = [] if meeting_id is None else [station.c.meeting_id == meeting_id]
        with self.store.read() as conn:
            rows = conn.execute(select(station).where(*where).order_by(station.c.id)).all()
        now = self.clock()
        with self._lock:
            seen = dict(self._seen)
            signed = {sid: tok for tok, sid in self._session_station.items()}
        out: list[StationState] = []
        for r in rows:
            s = seen.get(r.id)
            expert = s.expert if s else None
            if r.id in signed:
                try:
                    expert = self.terminals.session(signed[r.id]).member_name
                except RuleViolation:
                    expert = None
            revoked = r.revoked_at is not None
            out.append(StationState(r.id, r.name, bool(s and not revoked and now - s.at <= CONNECTED_WITHIN),
                                    s.at if s else None, expert, s.pending if s else 0, revoked))
        return tuple(out)

    def connected(self, meeting_id: int) -> int:
        """How many of the meeting's stations are connected now (the live board shows it)."""
        return sum(1 for s in self.station_states(meeting_id) if s.connected)

    # -- helpers -----------------------------------------------------------------
    def _lookup(self, token: str) -> StationRecord:
        key = token_hash(str(token))
        with self._lock:
            known = self._known.get(key)
        if known is not None:
            return known
        with self.store.read() as conn:
            row = conn.execute(select(station).where(station.c.token_hash == key)).first()
        if row is None:
            raise fail("station.unknown", bi(
                "this terminal is not paired with the host (or its pairing was replaced): pair it again",
                "本终端未与主机配对（或配对已失效），请重新配对"))
        if row.revoked_at is not None:
            raise fail("station.revoked", bi(f"terminal {row.name} has been revoked by the staff",
                                             f"终端“{row.name}”已被会务工作人员撤销"))
        rec = _record(row)
        with self._lock:
            self._known[key] = rec
        return rec

    def _member_of(self, session_token: str) -> tuple[int, str] | None:
        found = self.terminals.live(session_token)
        return (found.meeting_id, found.member_code) if found else None

    def _refused(self, rec: StationRecord | None, exc: RuleViolation, **data: Any) -> None:
        """One audit event for a refused request (``station.refused``): the rule and the station —
        never the body. A token that names no station is recorded by its hash's first characters."""
        if exc.rule.startswith("storage."):
            return
        clean = {k: str(v)[:64] for k, v in data.items() if k in ("kind", "entry") and v is not None}
        if rec is None:
            try:
                rec = self._lookup_any(str(data.get("token", "")))
            except RuleViolation:
                rec = None
        actor = f"终端 {rec.name}" if rec else "未知终端"
        with self.store.write(actor, "station.refused", rec.meeting_id if rec else None, rule=exc.rule,
                              station=rec.station_id if rec else None, **clean) as tx:
            if rec is None:
                tx.data["token"] = token_hash(str(data.get("token", "")))[:12]

    def record_refusal(self, meeting_id: int, station: StationRecord | None, rule: str, path: str) -> None:
        """One audit event for a request the transport refused before it reached this service (a body too
        large, not JSON, off its schema …), as this service records its own (``station.refused``: the
        rule, the station and the request's path — never the body). A busy file loses the record only."""
        actor = f"终端 {station.name}" if station is not None else "未知终端"
        with contextlib.suppress(RuleViolation), self.store.write(
                actor, "station.refused", meeting_id, rule=rule,
                station=station.station_id if station is not None else None, path=path[:64]):
            pass

    def _lookup_any(self, token: str) -> StationRecord | None:
        """The station of ``token`` even when revoked; None when there is none."""
        with self.store.read() as conn:
            row = conn.execute(select(station).where(station.c.token_hash == token_hash(token))).first()
        return _record(row) if row is not None else None


def _record(row: Any) -> StationRecord:
    return StationRecord(int(row.id), row.name, int(row.meeting_id), row.revoked_at is not None)


def _code_digest(code: str) -> str:
    typed = "".join(ch for ch in str(code).upper() if ch.isalnum())
    return hashlib.sha256(typed.encode("utf-8")).hexdigest()


def _pairing_locked() -> RuleViolation:
    return fail("station.pairing_locked", bi(
        f"{PAIRING_TRIES} wrong pairing codes: this pairing is closed; ask the staff to open a new one",
        f"配对码连续输错{PAIRING_TRIES}次，本次配对已关闭，请会务工作人员重新开放配对"))


def _entry_id(value: object) -> str:
    try:
        return str(uuid.UUID(str(value)[:64]))
    except ValueError:
        raise fail("station.entry", bi("an entry's id is a UUID", "录入编号须为UUID格式")) from None


def _bad_body(kind: str, what_en: str, what_zh: str) -> RuleViolation:
    return fail("station.body", bi(f"a {kind} entry {what_en}", f"“{kind}”类录入{what_zh}"))


_FIELDS: dict[str, dict[str, tuple[type, ...]]] = {
    "commitment": {}, "scores": {"candidate": (str,), "points": (Mapping,)},
    "question": {"candidate": (str,), "text": (str,), "answer": (str,)},
    "question_review": {"question_id": (int,)}, "ballot": {"round_id": (int,), "choices": (Mapping,)},
}


def _checked_entry(entry_id: object, kind: str, body: object) -> tuple[str, dict[str, Any], str | None]:
    """An entry's id, body and digest (None for a ballot: see the module docstring), checked."""
    entry = _entry_id(entry_id)
    if kind not in KINDS:
        raise fail("station.kind", bi(f"unknown kind of entry {str(kind)[:40]!r}: one of {', '.join(KINDS)}",
                                      f"未知的录入类型“{str(kind)[:40]}”"))
    args = _checked_body(kind, body)
    digest = None if kind == "ballot" else hashlib.sha256(canonical([kind, args]).encode("utf-8")).hexdigest()
    return entry, args, digest


_STR = frozenset({str})


def _checked_body(kind: str, body: object) -> dict[str, Any]:
    """The body of a ``kind`` entry, checked for its keys and their types (the transport validated it
    against its schema already; the engine does not rely on that)."""
    if not isinstance(body, Mapping):
        raise _bad_body(kind, "has a JSON object as its body", "的内容须为JSON对象")
    expected = _FIELDS[kind]
    if set(body) != set(expected):
        raise _bad_body(kind, f"has exactly the fields {', '.join(expected) or '(none)'}",
                        f"须恰好包含字段：{'、'.join(expected) or '（无）'}")
    for key, types in expected.items():
        value = body[key]
        if not isinstance(value, types) or isinstance(value, bool):
            raise _bad_body(kind, f"has a wrong type of {key}", f"的字段{key}类型不正确")
    args = dict(body)
    if kind == "scores":
        points = dict(args["points"])
        if not all(isinstance(k, str) and isinstance(v, int) and not isinstance(v, bool) for k, v in points.items()):
            raise _bad_body(kind, "gives whole points by item name", "须按评分项名称给出整数分")
        args["points"] = points
    if kind == "ballot":
        choices = dict(args["choices"])
        # plain strings (all a JSON body holds) are told in C; anything else is looked at one by one
        plain = set(map(type, choices)) <= _STR and set(map(type, choices.values())) <= _STR
        if not plain and not all(isinstance(k, str) and isinstance(v, str) for k, v in choices.items()):
            raise _bad_body(kind, "gives a choice by candidate code", "须按申报人编号给出表决意见")
        args["choices"] = choices
    if kind == "question" and (len(args["text"]) > MAX_TEXT or len(args["answer"]) > MAX_TEXT):
        raise _bad_body(kind, f"has at most {MAX_TEXT} characters of question and of answer",
                        f"的题目和参考答案各不得超过{MAX_TEXT}字")
    return args


__all__ = ["CONNECTED_WITHIN", "PAIRING_TRIES", "PAIRING_TTL", "Ack", "PairedStation", "PairingOffer",
           "StationRecord", "StationService", "StationState", "token_hash"]
