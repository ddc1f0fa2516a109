"""What a meeting file holds, table by table — for tests that check a refusal wrote nothing.

"Nothing written" means: every table is as it was except the audit trail (``audit_event``, and
``meta``, which repeats the trail's head) — a refusal is itself one audit event. :func:`snapshot`
reads the file with a plain ``sqlite3`` connection (committed data only, WAL included), so it
works beside an open :class:`~app.services.Conclave` and beside a host serving from another thread.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

#: The tables a refusal may still write: its own audit event and the head it moves.
AUDIT = frozenset({"audit_event", "meta"})


def snapshot(path: Path | str, *, skip: frozenset[str] = AUDIT) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table of the database at ``path`` but ``skip``, sorted, by table name."""
    with closing(sqlite3.connect(Path(path).resolve().as_uri() + "?mode=ro", uri=True)) as conn:
        names = [r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")]
        return {name: sorted(conn.execute(f'SELECT * FROM "{name}"').fetchall(), key=repr)
                for name in names if name not in skip}


def audit_actions(path: Path | str, after: int = 0) -> list[tuple[str, str]]:
    """``(action, data)`` of the audit events after sequence number ``after``, in order."""
    with closing(sqlite3.connect(Path(path).resolve().as_uri() + "?mode=ro", uri=True)) as conn:
        return list(conn.execute("SELECT action, data FROM audit_event WHERE seq > ? ORDER BY seq", (after,)))


def audit_head(path: Path | str) -> int:
    """The sequence number of the newest audit event."""
    with closing(sqlite3.connect(Path(path).resolve().as_uri() + "?mode=ro", uri=True)) as conn:
        return int(conn.execute("SELECT coalesce(max(seq), 0) FROM audit_event").fetchone()[0])
