"""The file reader who wants to know how E-somebody voted: the detector of the secrecy tests.

It can read the laptop's files at any moment — the database, its ``-wal`` and its ``-shm`` —
and knows the casting order (it watched who went to the terminal, or reads the audit trail).
Each voter of a test round casts a ballot no other voter casts, so a ballot found in the
clear names its voter as soon as anything ties it to the cast. Two kinds of link are counted:

* **new since the last cast**: after each cast the spy copies the three files; a ballot that
  is readable (its canonical text anywhere in the bytes — as it is, or escaped as a JSON string,
  which is how a typed paper batch lists its ballots — or a row of ``ballot`` when the copy is
  opened with SQLite — polling the table) now and was not before belongs to the voter who just
  cast. One link per cast so unmasked. A paper ballot "cast" is its voter ticked on the roll
  (``paper``) and the batch's copy typed in.
* **order**: in a snapshot, the ballots in the clear in the order they first appear in the
  main file, in the WAL (frames are in commit order), or in ``ballot`` ordered by its key: if
  that order is the casting order, every voter is linked.

The control design (ballots written in the clear as they are cast) must show links under the
same detector — otherwise the detector proves nothing.
"""

from __future__ import annotations

import json
import secrets
import sqlite3
import tempfile
from collections.abc import Mapping, Sequence
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, insert

from app.services import Conclave
from app.services.voting import VotingService, canonical_choices
from app.storage.schema import ballot
from app.views.ballot import RoundView

SUFFIXES = ("", "-wal", "-shm")


def distinct_ballots(voters: Sequence[str], cands: Sequence[str]) -> dict[str, dict[str, str]]:
    """A ballot per voter that no other voter casts: voter ``i`` writes ``i`` in base 3 over the
    candidates (yes/no/abstain digits) — distinct while 3^len(cands) > len(voters)."""
    digits = ("no", "yes", "abstain")
    out: dict[str, dict[str, str]] = {}
    for i, voter in enumerate(voters, 1):
        n, ballot = i, {}
        for code in cands:
            ballot[code] = digits[n % 3]
            n //= 3
        out[voter] = ballot
    assert len({json.dumps(b, sort_keys=True) for b in out.values()}) == len(voters)
    return out


@dataclass(frozen=True)
class Snapshot:
    """The three files' bytes at one moment, and ``ballot``'s rows as SQLite reads the copy."""

    files: dict[str, bytes]
    rows_by_key: tuple[str, ...]


@dataclass
class Spy:
    """Watches one meeting file while a round is cast; see the module docstring. Call
    :meth:`take` once before the first cast, :meth:`cast` after each, :meth:`take` at any other
    moment (at close, after a kill…), then :meth:`links`."""

    path: Path
    bodies: dict[str, str]                      # voter -> canonical ballot text
    order: list[str] = field(default_factory=list)
    snapshots: list[Snapshot] = field(default_factory=list)
    after_cast: dict[int, str] = field(default_factory=dict)     # snapshot index -> who just cast

    @classmethod
    def on(cls, path: Path, ballots: Mapping[str, Mapping[str, str]], cands: Sequence[str]) -> Spy:
        return cls(Path(path), {v: canonical_choices(b, cands) for v, b in ballots.items()})

    def take(self) -> Snapshot:
        """Copy the db, -wal and -shm as they are now (as a reader of the disk would)."""
        files = {s: Path(f"{self.path}{s}").read_bytes() for s in SUFFIXES if Path(f"{self.path}{s}").exists()}
        with tempfile.TemporaryDirectory() as tmp:
            copy = Path(tmp) / "copy.sqlite3"
            for suffix, data in files.items():
                if suffix != "-shm":           # SQLite rebuilds the index from the WAL itself
                    Path(f"{copy}{suffix}").write_bytes(data)
            try:
                with closing(sqlite3.connect(copy)) as con:
                    rows = tuple(b for (b,) in con.execute("SELECT choices FROM ballot ORDER BY round_id, token"))
            except sqlite3.DatabaseError:
                rows = ()
        snap = Snapshot(files, rows)
        self.snapshots.append(snap)
        return snap

    def cast(self, voter: str) -> None:
        """Note that ``voter`` just cast, and take a snapshot."""
        self.order.append(voter)
        self.take()
        self.after_cast[len(self.snapshots) - 1] = voter

    def readable(self, snap: Snapshot) -> set[str]:
        """Voters whose ballot is readable in ``snap`` (bytes anywhere, or a row of ``ballot``)."""
        blob = b"".join(snap.files.values())
        rows = set(snap.rows_by_key)
        return {v for v, body in self.bodies.items()
                if any(form in blob for form in _forms(body)) or body in rows}

    def order_links(self, snap: Snapshot) -> int:
        """All the cast voters, when some order of the ballots in ``snap`` is the casting order."""
        cast = self.order
        if len(cast) < 2:
            return 0
        by_body = {body: v for v, body in self.bodies.items()}
        orders = [self._by_position(data) for data in snap.files.values()]
        orders.append([by_body[b] for b in snap.rows_by_key if b in by_body])
        return len(cast) if any(o == cast for o in orders) else 0

    def _by_position(self, data: bytes) -> list[str]:
        found = [(min((p for p in (data.find(f) for f in _forms(body)) if p >= 0), default=-1), v)
                 for v, body in self.bodies.items()]
        return [v for pos, v in sorted(found) if pos >= 0]

    def new_links(self) -> int:
        """Casts after which exactly the caster's ballot became readable."""
        links = 0
        for i, voter in self.after_cast.items():
            before = self.readable(self.snapshots[i - 1]) if i else set()
            links += (self.readable(self.snapshots[i]) - before) == {voter}
        return links

    def links(self) -> int:
        """New-since-last-cast links plus the order links of the snapshot that shows most."""
        return self.new_links() + max((self.order_links(s) for s in self.snapshots), default=0)


def _forms(body: str) -> tuple[bytes, bytes]:
    """A ballot's text as the file could hold it: as it is (a ballot row), and escaped as a JSON
    string (an element of a typed paper batch, ``["{\\"C001\\":\\"yes\\"}"]``)."""
    return body.encode("utf-8"), json.dumps(body, ensure_ascii=False)[1:-1].encode("utf-8")


class PlainVoting(VotingService):
    """The control design — the ballot written in the clear as it is cast, and a typed paper batch
    waiting for its second copy in the clear (the design before the sealed box); everything else,
    the close and its compaction included, as the real service."""

    def _drop_in_box(self, conn: Connection, meeting_id: int, rnd: RoundView, bodies: Sequence[str]) -> None:
        conn.execute(insert(ballot), [{"round_id": rnd.id, "token": secrets.token_hex(16), "choices": b}
                                      for b in bodies])

    def _seal_entry(self, seal: dict[str, Any] | None, meeting_id: int, rnd: RoundView, batch: str,
                    bodies: Sequence[str]) -> str:
        return json.dumps(list(bodies), ensure_ascii=False)


def use_control(app: Conclave) -> None:
    """Make ``app`` cast as the control design does."""
    app.voting.__class__ = PlainVoting
