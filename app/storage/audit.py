"""The audit trail: an append-only hash chain (审计日志).

Each event stores the hash of the event before it; its own hash covers its
sequence number, time, actor, action, meeting and data, and that previous hash.
The newest event's number and hash are kept in ``meta.audit_head`` as well, so
that removing events from the end is detected like any other change.

:func:`verify_chain` recomputes the chain and reports the first event that was
changed, inserted or removed. It needs no key: it proves the trail is internally
consistent. What anchors it outside the file: the heads file beside the database
(:mod:`app.storage.heads`, every head ever committed), the archive copy
(``conclave verify-db --against``) and the printed minutes and tally sheets, which
carry a head hash. Each event also records what its write changed
(:mod:`app.storage.capture`), so the tables themselves are checked against the
trail (:mod:`app.storage.replay`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import sqlite3
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import Connection, select

from app.storage.schema import audit_event, meta

GENESIS = "0" * 64


#: ``json.dumps`` with these options builds a new encoder on every call; one encoder, built once,
#: gives the same text (the start-up check hashes every event of the trail each time a meeting opens).
_CANONICAL = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)


def canonical(data: Any) -> str:
    """Canonical JSON: sorted keys, no spaces, UTF-8 characters kept."""
    return _CANONICAL.encode(data)


def event_hash(seq: int, at: str, actor: str, action: str, meeting_id: int | None,
               data: str, prev_hash: str) -> str:
    body = canonical([seq, at, actor, action, meeting_id, data, prev_hash])
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


_READ_HEAD = select(meta.c.value).where(meta.c.key == "audit_head")
#: The three statements every write runs (:func:`append_head`), as SQLite runs them.
_RAW_READ_HEAD = "SELECT value FROM meta WHERE key = 'audit_head'"
_RAW_INSERT_EVENT = ("INSERT INTO audit_event (seq, at, actor, action, meeting_id, data, prev_hash, hash) "
                     "VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
_RAW_WRITE_HEAD = "UPDATE meta SET value = ? WHERE key = 'audit_head'"


def head(conn: Connection) -> tuple[int, str]:
    """The head recorded in ``meta``: (seq, hash); (0, GENESIS) for an empty trail."""
    return _head(conn)


def _head(conn: Connection) -> tuple[int, str]:
    value = conn.execute(_READ_HEAD).scalar_one()
    seq, _, digest = value.partition(":")
    return int(seq), digest


def append(conn: Connection, actor: str, action: str, data: dict[str, Any],
           meeting_id: int | None = None, *, at: dt.datetime | None = None) -> int:
    """Append one event inside the caller's transaction; returns its sequence number."""
    return append_head(conn, actor, action, data, meeting_id, at=at)[0]


def append_head(conn: Connection, actor: str, action: str, data: dict[str, Any],
                meeting_id: int | None = None, *, at: dt.datetime | None = None) -> tuple[int, str]:
    """Append one event inside the caller's transaction; returns the new head (seq, hash).

    The three statements go to the SQLite connection under ``conn`` (:func:`driver`), in the
    same transaction: every write runs them, and through SQLAlchemy's execution (events, result
    objects) they cost several times what SQLite takes to run them."""
    raw = driver(conn)
    (value,) = raw.execute(_RAW_READ_HEAD).fetchone()
    seq, _, prev = value.partition(":")
    seq_next = int(seq) + 1
    when = (at or dt.datetime.now(dt.UTC)).strftime("%Y-%m-%dT%H:%M:%SZ")
    body = canonical(data)
    digest = event_hash(seq_next, when, actor, action, meeting_id, body, prev)
    raw.execute(_RAW_INSERT_EVENT, (seq_next, when, actor, action, meeting_id, body, prev, digest))
    raw.execute(_RAW_WRITE_HEAD, (f"{seq_next}:{digest}",))
    return seq_next, digest


def driver(conn: Connection) -> sqlite3.Connection:
    """The SQLite connection under ``conn``: statements run on it are in ``conn``'s transaction."""
    return cast(sqlite3.Connection, conn.connection.driver_connection)


@dataclass(frozen=True)
class ChainReport:
    """The verdict on an audit trail: intact, or the first problem found."""

    intact: bool
    events: int
    head: str
    problem: str | None = None
    first_bad_seq: int | None = None


def verify_chain(conn: Connection) -> ChainReport:
    e = audit_event.c
    rows = conn.execute(select(e.seq, e.at, e.actor, e.action, e.meeting_id, e.data, e.prev_hash, e.hash)
                        .order_by(e.seq)).all()       # unpacked as tuples: a provincial trail is 10,000+
    head_seq, head_hash = _head(conn)
    prev_hash, expected_seq = GENESIS, 1
    for seq, at, actor, action, meeting_id, data, event_prev, digest in rows:
        if seq != expected_seq:
            if seq > expected_seq:
                return _bad(len(rows), f"event #{expected_seq} is missing (removed): the trail jumps "
                            f"from #{expected_seq - 1} to #{seq}", expected_seq)
            return _bad(len(rows), f"event #{seq} is out of sequence (inserted)", seq)
        if event_hash(seq, at, actor, action, meeting_id, data, event_prev) != digest:
            return _bad(len(rows), f"event #{seq} ({action} by {actor}) was changed: "
                        "its content no longer matches its hash", seq)
        if event_prev != prev_hash:
            return _bad(len(rows), f"event #{seq} ({action}) does not follow event "
                        f"#{seq - 1}: an event before it was changed, removed or inserted", seq)
        prev_hash, expected_seq = digest, expected_seq + 1
    last_seq = expected_seq - 1
    if (last_seq, prev_hash) != (head_seq, head_hash if head_seq else GENESIS):
        if head_seq > last_seq:
            return _bad(len(rows), f"events #{last_seq + 1}–#{head_seq} were removed from the end "
                        f"(the recorded head is #{head_seq})", last_seq + 1)
        return _bad(len(rows), f"the trail ends at #{last_seq} but the recorded head is "
                    f"#{head_seq}: events were appended or changed outside Conclave", last_seq)
    return ChainReport(True, len(rows), prev_hash)


def _bad(events: int, problem: str, seq: int) -> ChainReport:
    return ChainReport(False, events, "", problem, seq)
