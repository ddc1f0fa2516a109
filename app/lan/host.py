"""The host side of the closed LAN: an HTTPS server the expert terminals talk to.

Off by default. The chair turns serving on in the window and picks the network interface; the
host then listens on that one address (:func:`listen_addresses` lists them; never ``0.0.0.0``
unless asked) and contacts nobody — it only answers.

Why Starlette on uvicorn in a background thread (:class:`Host`): a real, well-kept HTTP/1.1
server with TLS (Python's :mod:`ssl`, the certificate of :mod:`app.lan.tls`), not a home-made
protocol, and one that runs beside the Qt window in the same process, on the same
:class:`~app.services.Conclave` — the engine's sessions (terminal and staff) live in that
process's memory. Every request is a JSON POST; what it may hold is :mod:`app.lan.messages`.

Order of checks of every request, so that nothing hostile reaches the engine: the body's size
while it is read (at most :data:`~app.lan.messages.MAX_BODY` bytes, never more, ``413``), the
station's token from the headers before the body is parsed (``401`` unknown, ``403`` revoked —
:meth:`StationService.station`), then JSON (``400``), schema (``422``) — and only then the engine
(a session not this station's, ``401``), whose refusals (closed round, score out of range, a conflicted
candidate, a replayed entry…) come back as ``409``. Every refusal is one JSON object
``{"rule", "message", "zh"}`` and one audit event ``station.refused``: the station service records
its own, the transport has the service record its own
(:meth:`~app.services.stations.StationService.record_refusal`, the same event); nothing else is written.

One expert at one terminal at a time: :meth:`StationService.sign_in` ends an expert's session at
another station and the station's previous one, and a session token sent by another station than
the one it was opened at is refused (``station.session``). The host remembers who is signed in
where only to tell the serving panel.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import socket
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import quote

import uvicorn
from pydantic import TypeAdapter, ValidationError
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from uvicorn.protocols.http.h11_impl import H11Protocol

from app.errors import RuleViolation
from app.lan import messages as m
from app.lan.tls import grouped, host_certificate
from app.lan.wire import to_wire
from app.text import bi, in_chinese

if TYPE_CHECKING:
    from app.services import Conclave

M = TypeVar("M", bound=m.Message)

PAIR_FAILURES_PER_MINUTE = 10       # refused pairing attempts one address may make in a minute (429 beyond)
QR_SCHEME = "conclave-pair"
#: Worker threads of the submits' own queue (see :meth:`Host._route`): the station service writes one
#: entry at a time anyway; a second thread checks the next entry's body meanwhile. More threads only
#: make the entry being written wait for the interpreter lock behind them: 41 experts pressing submit
#: at once put 40 threads of the shared pool on 41 ballots' JSON while one ballot was being stored.
SUBMIT_WORKERS = 2

#: HTTP status of a refusal by its rule (the engine's other refusals: 409).
STATUS = {"lan.too_large": 413, "lan.json": 400, "lan.schema": 422, "station.body": 422, "station.entry": 422,
          "station.kind": 422, "lan.rate": 429, "lan.auth": 401, "station.unknown": 401, "station.revoked": 403,
          "station.session": 401, "terminal.session": 401}


def listen_addresses(include_loopback: bool = True) -> list[tuple[str, str]]:
    """(interface name, IPv4 address) of this computer's network interfaces, loopback last: what
    the chair picks from. Never ``0.0.0.0``: the host serves on one interface only."""
    import ifaddr

    found: list[tuple[str, str]] = []
    loop: list[tuple[str, str]] = []
    for adapter in ifaddr.get_adapters():
        for ip in adapter.ips:
            if not isinstance(ip.ip, str):      # IPv6: (address, flowinfo, scope_id)
                continue
            pair = (str(adapter.nice_name), ip.ip)
            (loop if ip.ip.startswith("127.") else found).append(pair)
    return found + (loop if include_loopback else [])


def pairing_qr_text(address: str, fingerprint: str, code: str) -> str:
    """What the pairing QR code holds: ``conclave-pair:ADDRESS?fp=HEX&code=CODE``."""
    return f"{QR_SCHEME}:{address}?fp={''.join(grouped(fingerprint).split())}&code={quote(code)}"


def parse_pairing_qr(text: str) -> tuple[str, str, str]:
    """(address, fingerprint, code) from a scanned :func:`pairing_qr_text`; refused (``lan.qr``) otherwise."""
    from urllib.parse import parse_qs, unquote

    head, _, query = text.strip().partition("?")
    scheme, _, address = head.partition(":")
    args = parse_qs(query)
    if scheme != QR_SCHEME or not address or "fp" not in args or "code" not in args:
        raise RuleViolation.single("lan.qr", bi("this QR code is not a Conclave host's pairing code",
                                                "该二维码不是评审会议主机的配对码"))
    return address, args["fp"][0], unquote(args["code"][0])


class Refusal(Exception):
    """A request refused before the engine saw it: the rule and its bilingual message."""

    def __init__(self, rule: str, message: str) -> None:
        super().__init__(message)
        self.rule = rule
        self.message = message


@dataclass
class _Seat:
    """Who is signed in at a station (host memory only)."""

    session: str | None = None
    expert: str | None = None        # member code
    expert_name: str | None = None
    pending: int = 0


class Host:
    """The HTTPS server of one meeting (see the module docstring).

    ``bind``: the interface address the chair picked; ``port`` 0 lets the system choose (a
    restarted host passes the port it had, so paired terminals find it again).
    ``key_passphrase`` encrypts the host's TLS key at rest (:func:`app.lan.tls.host_certificate`).
    """

    def __init__(self, app: Conclave, meeting_id: int, bind: str, port: int = 0,
                 key_passphrase: bytes | None = None) -> None:
        self.app = app
        self.meeting_id = meeting_id
        self.bind = bind
        self.port = port
        self.cert = host_certificate(app.path, key_passphrase, names=(bind,))
        self._passphrase = key_passphrase
        self._server: Any = None
        self._thread: threading.Thread | None = None
        self._seats: dict[str, _Seat] = {}            # station token → who is signed in there
        self._lock = threading.Lock()
        self._pair_tries: dict[str, deque[float]] = {}
        self.starlette = Starlette(routes=[
            Route(f"{m.API}/pair", self._route(self._pair, paired=False), methods=["POST"]),
            *(Route(f"{m.API}/{name}", self._route(handler), methods=["POST"]) for name, handler in (
                ("hello", self._hello), ("unlock", self._unlock), ("lock", self._lock_session),
                ("tasks", self._tasks), ("seen", self._seen), ("members", self._members))),
            Route(f"{m.API}/submit", self._route(self._submit, queued=True), methods=["POST"]),
        ])
        self._submits: ThreadPoolExecutor | None = None

    # -- life ------------------------------------------------------------------------
    @property
    def fingerprint(self) -> str:
        """SHA-256 of the host certificate, in groups of four hex digits (what the screen shows)."""
        return grouped(self.cert.fingerprint)

    @property
    def address(self) -> str:
        """``ip:port`` the terminals are given (the port is known once :meth:`start` returned)."""
        return f"{self.bind}:{self.port}"

    def pairing_qr_text(self, code: str) -> str:
        return pairing_qr_text(self.address, self.cert.fingerprint, code)

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self, timeout: float = 10.0) -> None:
        """Listen on ``bind:port`` over TLS, serving on a background thread; returns once listening."""
        if self.running:
            return
        # IPPROTO_TCP named, not left 0: asyncio sets TCP_NODELAY only on sockets whose proto says TCP,
        # and without it every answer waited for the terminal's delayed ACK (~45 ms a request, not ~6)
        sock = socket.socket(socket.AF_INET6 if ":" in self.bind else socket.AF_INET, socket.SOCK_STREAM,
                             socket.IPPROTO_TCP)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((self.bind, self.port))
        except OSError as exc:
            sock.close()
            raise RuleViolation.single("lan.bind", bi(
                f"cannot serve on {self.bind}:{self.port} ({exc.strerror or exc}); pick another interface",
                f"无法在{self.bind}:{self.port}上提供服务（{exc.strerror or exc}），请选择其他网络接口")) from None
        sock.listen(128)
        self.port = sock.getsockname()[1]
        config = uvicorn.Config(
            # the protocol as a class, no websockets, no lifespan: nothing uvicorn imports by name at
            # run time that the bundle (packaging/conclave.spec) would have to be told about
            self.starlette, http=H11Protocol, ws="none", log_level="warning", access_log=False, lifespan="off",
            ssl_certfile=str(self.cert.cert_path), ssl_keyfile=str(self.cert.key_path),
            ssl_keyfile_password=self._passphrase.decode("utf-8") if self._passphrase else None,
            ssl_ciphers="ECDHE+AESGCM:ECDHE+CHACHA20",   # for TLS 1.2 (uvicorn's default allows CBC-SHA1)
            timeout_graceful_shutdown=2, timeout_keep_alive=m.HOST_KEEP_ALIVE,
            h11_max_incomplete_event_size=16 * 1024)     # request line and headers
        server = _Server(config)
        self._server = server

        def serve() -> None:
            asyncio.run(server.serve(sockets=[sock]))
            sock.close()

        self._submits = ThreadPoolExecutor(max_workers=SUBMIT_WORKERS, thread_name_prefix="conclave-submit")
        self._thread = threading.Thread(target=serve, name=f"conclave-host-{self.port}", daemon=True)
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                self.stop()
                raise RuleViolation.single("lan.start", bi(
                    f"the host did not start on {self.address}", f"主机未能在{self.address}上启动"))
            time.sleep(0.005)

    def stop(self, grace: float = 0.3) -> None:
        """Stop serving: answers in flight get ``grace`` seconds, then every connection is cut
        (the terminals keep their entries and send them again)."""
        if self._server is not None:
            self._server.grace = grace
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=10)
        if self._submits is not None:
            self._submits.shutdown(wait=False, cancel_futures=True)
        self._thread = None
        self._server = None
        self._submits = None

    def __enter__(self) -> Host:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- request plumbing ----------------------------------------------------------
    def _route(self, handler: Callable[[Request, _Ctx], Any], *, paired: bool = True,
               queued: bool = False) -> Callable[..., Any]:
        """An endpoint: the body is read on the event loop (at most :data:`~app.lan.messages.MAX_BODY`
        bytes), then everything else — the token, parsing, the engine — runs in one worker thread:
        one hand-over per request (each costs a scheduling delay on a busy laptop). ``queued``: the
        submits' own :data:`SUBMIT_WORKERS` threads, not the shared pool (a burst of submits waits on
        the event loop, its bodies read, rather than in 40 threads contending for the interpreter)."""
        async def endpoint(request: Request) -> Response:
            ctx = _Ctx(request.headers.get("authorization", ""),
                       request.client.host if request.client else "?", request.url.path)
            try:
                ctx.raw = await self._read(request)
            except Refusal as exc:
                ctx.refusal = exc
            if queued and self._submits is not None:
                status, payload = await asyncio.get_running_loop().run_in_executor(
                    self._submits, functools.partial(self._handle, handler, request, ctx, paired))
            else:
                status, payload = await run_in_threadpool(self._handle, handler, request, ctx, paired)
            return JSONResponse(payload, status_code=status)
        return endpoint

    @staticmethod
    async def _read(request: Request) -> bytes:
        declared = request.headers.get("content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > m.MAX_BODY):
            raise Refusal("lan.too_large", _too_large())
        raw = bytearray()
        async for chunk in request.stream():
            raw += chunk
            if len(raw) > m.MAX_BODY:
                raise Refusal("lan.too_large", _too_large())
        return bytes(raw)

    def _handle(self, handler: Callable[[Request, _Ctx], Any], request: Request, ctx: _Ctx,
                paired: bool) -> tuple[int, Any]:
        """Check the station's token (before the body is parsed), then run ``handler``; a refusal
        becomes its JSON answer. The engine records its own refusals (``station.refused``, a sign-in or
        pairing attempt); one of the transport's — size, JSON, schema, a session not this station's —
        is recorded here as the same one event."""
        try:
            if paired:
                self._station(ctx)
            if ctx.refusal is not None:
                raise ctx.refusal
            result = handler(request, ctx)
            if ctx.token is not None:
                seat = self._seat(ctx.token)
                self.app.stations.seen(ctx.token, seat.expert_name, seat.pending)
            return 200, result
        except Refusal as exc:
            self.app.stations.record_refusal(self.meeting_id, ctx.station, exc.rule, ctx.path)
            rule, message = exc.rule, exc.message
        except RuleViolation as exc:
            rule, message = exc.rule, exc.violations[0].message
        return STATUS.get(rule, 409), {"rule": rule, "message": str(message), "zh": in_chinese(message)}

    @staticmethod
    def _parse(ctx: _Ctx, model: type[M] | TypeAdapter[M]) -> M:
        """The body as ``model``: JSON, then the schema — in one pass (pydantic's own JSON parser
        builds only what the schema accepts; a malformed text is its ``json_invalid`` error)."""
        try:
            if isinstance(model, TypeAdapter):
                return model.validate_json(ctx.raw)
            return model.model_validate_json(ctx.raw)
        except ValidationError as exc:
            if any(err["type"] == "json_invalid" for err in exc.errors()):
                raise Refusal("lan.json", bi("the message is not well-formed JSON",
                                             "消息不是格式正确的JSON")) from None
            raise Refusal("lan.schema", bi(f"the message does not match its schema: {m.problems(exc)}",
                                           f"消息不符合规定格式：{m.problems(exc)}")) from None

    def _station(self, ctx: _Ctx) -> None:
        """The station's token: an unknown or revoked one is refused by :meth:`StationService.station`
        (which records the refusal itself)."""
        scheme, _, token = ctx.auth.partition(" ")
        token = token.strip()
        if scheme.lower() != "bearer" or not token or len(token) > 256:
            raise Refusal("lan.auth", bi("this terminal is not paired: pair it with the host first",
                                         "本终端尚未与主机配对，请先配对"))
        ctx.station = self.app.stations.station(token)
        ctx.token = token

    def _seat(self, token: str) -> _Seat:
        with self._lock:
            return self._seats.setdefault(token, _Seat())

    # -- endpoints (run in a worker thread, the station's token checked) --------------
    def _hello(self, request: Request, ctx: _Ctx) -> Any:
        req = self._parse(ctx, m.SeenRequest)
        self._seat(str(ctx.token)).pending = req.pending
        return {"station_id": ctx.station.station_id, "name": ctx.station.name, "meeting_id": self.meeting_id}

    def _pair(self, request: Request, ctx: _Ctx) -> Any:
        self._rate_limit(ctx.client)
        try:
            req = self._parse(ctx, m.PairRequest)
            paired = self.app.stations.pair(self.meeting_id, req.code, req.station_name)
        except (Refusal, RuleViolation):
            with self._lock:
                self._pair_tries.setdefault(ctx.client, deque()).append(time.monotonic())
            raise
        return {"station_id": paired.station_id, "token": paired.token}

    def _rate_limit(self, who: str) -> None:
        """At most :data:`PAIR_FAILURES_PER_MINUTE` refused pairing attempts from one address in a
        minute (the offer itself dies after five wrong codes; this slows a guesser across offers)."""
        now = time.monotonic()
        with self._lock:
            tries = self._pair_tries.setdefault(who, deque())
            while tries and now - tries[0] > 60:
                tries.popleft()
            if len(tries) >= PAIR_FAILURES_PER_MINUTE:
                raise Refusal("lan.rate", bi(
                    "too many refused pairing attempts from this address: wait a minute",
                    "该地址被拒绝的配对尝试过多，请一分钟后再试"))

    def _unlock(self, request: Request, ctx: _Ctx) -> Any:
        req = self._parse(ctx, m.UnlockRequest)
        token = str(ctx.token)
        # one expert at one station: StationService.sign_in ends their session elsewhere, and this
        # station's previous one
        session = self.app.stations.sign_in(token, req.member, req.code)
        with self._lock:
            for seat in self._seats.values():
                if seat.expert == session.member_code:
                    seat.session = seat.expert = seat.expert_name = None
            seat = self._seats.setdefault(token, _Seat())
            seat.session, seat.expert, seat.expert_name = session.token, session.member_code, session.member_name
        return {"session": session.token, "member": session.member_code, "name": session.member_name}

    def _lock_session(self, request: Request, ctx: _Ctx) -> Any:
        req = self._parse(ctx, m.SessionRequest)
        token = str(ctx.token)
        self.app.stations.sign_out(token, req.session)
        with self._lock:
            seat = self._seats.setdefault(token, _Seat())
            if seat.session == req.session:
                seat.session = seat.expert = seat.expert_name = None
        return {"locked": True}

    def _tasks(self, request: Request, ctx: _Ctx) -> Any:
        req = self._parse(ctx, m.SessionRequest)
        return to_wire(self.app.stations.tasks(str(ctx.token), req.session))     # this station's session only

    def _submit(self, request: Request, ctx: _Ctx) -> Any:
        req = self._parse(ctx, m.SUBMIT)           # the envelope and the body of its kind, in one pass
        body = m.entry_body(req)
        # the station service checks the session is this station's, and an entry in its ledger is
        # answered "duplicate" even when that session ended (a host restart)
        return to_wire(self.app.stations.submit(str(ctx.token), req.entry_id, req.kind, body, req.session))

    def _members(self, request: Request, ctx: _Ctx) -> Any:
        """Who may sign in here: the members checked in and not departed (code, name) — what the
        kiosk's sign-in list shows; nothing more about them."""
        self._parse(ctx, m.SeenRequest)
        return {"members": [[x.code, x.name] for x in self.app.views.members(self.meeting_id)
                            if x.checked_in and not getattr(x, "departed", False)]}

    def _seen(self, request: Request, ctx: _Ctx) -> Any:
        req = self._parse(ctx, m.SeenRequest)
        seat = self._seat(str(ctx.token))
        seat.pending = req.pending
        # a heartbeat is never refused for a stale session: it learns that it is stale
        return {"ok": True, "session_live": req.session is not None and seat.session == req.session}


@dataclass
class _Ctx:
    """One request as the worker thread sees it."""

    auth: str
    client: str
    path: str
    raw: bytes = b""
    refusal: Refusal | None = None
    token: str | None = None
    station: Any = None


def _too_large() -> str:
    return bi(f"the message is larger than {m.MAX_BODY // 1024} KiB", f"消息超过{m.MAX_BODY // 1024} KiB的上限")


class _Server(uvicorn.Server):
    """uvicorn's server, with two changes for running beside the Qt window: it leaves the
    process's signals alone, and its shutdown cuts idle connections after ``grace`` seconds —
    an idle keep-alive TLS connection would otherwise hold the stop until the terminal hangs up."""

    grace = 0.3

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        done = asyncio.ensure_future(super().shutdown(sockets))
        await asyncio.sleep(self.grace)             # answers in flight are finished
        for connection in list(self.server_state.connections):
            transport = getattr(connection, "transport", None)
            if transport is not None:
                transport.abort()
        await done
