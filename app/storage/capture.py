"""Every stored fact under the audit chain: what each write changed, captured into its audit event.

The hash chain (:mod:`app.storage.audit`) proves the trail was not edited; on its own it says
nothing about the tables beside it — a ballot outcome, an eligibility decision or the voter roll
changed with any SQLite tool went unseen. So each write records *what it changed*: SQLite TEMP
triggers, created on every writing connection (:func:`install`), note each inserted, updated and
deleted row of every covered table into a TEMP table, and :meth:`app.storage.store.Store.write`
moves them into the event's ``data["changes"]`` (:func:`take`) as
``[table, op, key, row]`` — ``op`` is ``i``/``u``/``d``, ``key`` the primary key (the old one for
``u`` and ``d``), ``row`` every column in :func:`columns` order (``None`` for ``d``).
:mod:`app.storage.replay` rebuilds the tables from the chain and compares.

Triggers, not Python bookkeeping: they see every statement, raw SQL included, in the write's own
transaction (a refused write rolls its notes back with it), and cost one small insert per row.

Never in the chain: the bookkeeping (``audit_event``, ``meta``) and the ballot box — a choice is
never written to the trail. The box is checked another way: a round's closing event carries its
tally and the SHA-256 of its ballots (key and choices), sorted (:func:`app.storage.replay.recount`).
The columns that hold
a paper batch's copy while it waits for the other one are recorded by their SHA-256 (:data:`HASHED`):
the copy is sealed to the round's key, but a round an older version opened keeps it in the clear.
"""

from __future__ import annotations

import functools
import hashlib
import json
import sqlite3
from typing import Any

from sqlalchemy import Connection, Table

from app.storage.audit import driver
from app.storage.schema import metadata

#: Tables outside the replay, each with its reason. A new table is covered unless listed here.
EXCLUDED: dict[str, str] = {
    "audit_event": "the chain itself",
    "meta": "the chain's head and the schema version (the head is anchored in the heads file)",
    "ballot": "the ballot box: choices never enter the trail; closed rounds are recounted against "
              "their closing event's tally and box digest",
    "sealed_ballot": "the sealed box of an open round: a ciphertext in the trail would keep the casting order "
                     "of the ballots for good (the cast's event names its voter)",
}

#: Columns recorded by the SHA-256 of their value, not the value: they hold ballot choices.
HASHED: dict[str, frozenset[str]] = {"paper_batch": frozenset({"entry_a", "entry_b"}),
                                     # the round's key (its private half wrapped under the round passphrase):
                                     # erased at the close, it must not outlive it in the trail
                                     "ballot_round": frozenset({"seal"})}

_TEMP = "chain_change"
_SHA = "chain_sha256"
_CLEAR = f"DELETE FROM temp.{_TEMP}"
_TAKE = f"SELECT tbl, op, k, v FROM temp.{_TEMP} ORDER BY n"


def covered() -> list[Table]:
    """The tables the chain covers, in creation order (parents before children)."""
    return [t for t in metadata.sorted_tables if t.name not in EXCLUDED]


def columns(table: Table) -> list[str]:
    return [c.name for c in table.columns]


def key_columns(table: Table) -> list[str]:
    return [c.name for c in table.primary_key.columns]


def digest(value: object) -> str | None:
    """How a :data:`HASHED` column's value is recorded: the SHA-256 hex of its text, or None."""
    if value is None:
        return None
    return hashlib.sha256(str(value).encode("utf-8")).hexdigest()


def _value(table: str, column: str, side: str) -> str:
    ref = f'{side}."{column}"'
    return f"{_SHA}({ref})" if column in HASHED.get(table, ()) else ref


def _triggers(table: Table) -> list[str]:
    name, cols, keys = table.name, columns(table), key_columns(table)

    def row(side: str) -> str:
        return "json_array(" + ", ".join(_value(name, c, side) for c in cols) + ")"

    def key(side: str) -> str:
        return "json_array(" + ", ".join(f'{side}."{c}"' for c in keys) + ")"

    into = f"INSERT INTO {_TEMP}(tbl, op, k, v) VALUES"
    return [
        f'CREATE TEMP TRIGGER IF NOT EXISTS chain_{name}_i AFTER INSERT ON main."{name}" BEGIN '
        f"{into} ('{name}', 'i', {key('NEW')}, {row('NEW')}); END",
        f'CREATE TEMP TRIGGER IF NOT EXISTS chain_{name}_u AFTER UPDATE ON main."{name}" BEGIN '
        f"{into} ('{name}', 'u', {key('OLD')}, {row('NEW')}); END",
        f'CREATE TEMP TRIGGER IF NOT EXISTS chain_{name}_d AFTER DELETE ON main."{name}" BEGIN '
        f"{into} ('{name}', 'd', {key('OLD')}, NULL); END",
    ]


def install(dbapi_conn: sqlite3.Connection) -> None:
    """Create the capture on one writing connection (the tables must exist: after the schema is
    created or upgraded). TEMP objects live and die with the connection and are never in the file."""
    dbapi_conn.create_function(_SHA, 1, digest, deterministic=True)
    # a row an INSERT OR REPLACE removes fires the delete trigger only with recursive triggers on
    dbapi_conn.execute("PRAGMA recursive_triggers=ON")
    present = frozenset(r[0] for r in dbapi_conn.execute("SELECT name FROM main.sqlite_master WHERE type = 'table'"))
    for statement in _statements(present):
        dbapi_conn.execute(statement)


@functools.cache
def _statements(present: frozenset[str]) -> tuple[str, ...]:
    """What :func:`install` runs on a file holding the tables ``present``, written once per process
    (every meeting opened for writing installs the capture: its seventy statements' text, built
    from the tables' columns each time, cost a quarter of running them)."""
    statements = [f"CREATE TEMP TABLE IF NOT EXISTS {_TEMP} (n INTEGER PRIMARY KEY, tbl TEXT, op TEXT, k TEXT, v TEXT)"]
    for table in covered():
        if table.name in present:
            statements += _triggers(table)
    return tuple(statements)


def clear(conn: Connection) -> None:
    """Forget notes of changes made on this connection outside a write (``engine.begin()`` used
    directly): they belong to no event, so replay reports them as made outside Conclave.
    Run on the SQLite connection itself, as :func:`take` (every write runs both; see
    :func:`app.storage.audit.append_head`)."""
    driver(conn).execute(_CLEAR)


def take(conn: Connection) -> list[list[Any]]:
    """The changes noted inside the open write, in the order made; the notes are cleared."""
    raw = driver(conn)
    rows = raw.execute(_TAKE).fetchall()
    if not rows:
        return []
    raw.execute(_CLEAR)
    return [[tbl, op, json.loads(k), None if v is None else json.loads(v)] for tbl, op, k, v in rows]
