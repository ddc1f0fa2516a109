"""Tamper evidence: a finished meeting's database edited by an insider who has the files (issue 10:
"34 edits to the other 18 tables … went unseen", "cutting events off the end of the chain and moving
the head back", "a chain rewritten from start to end", "nothing compares a database with its
archived copy").

Each try edits a fresh copy of the finished demo meeting (its heads file beside it) with plain
``sqlite3`` — the tables are read from the file itself, not from Conclave's schema — then asks
``conclave verify-db`` (in-process :func:`app.cli.main` for the bulk, a real child process for the
first try of each kind and every tenth random edit). Held: reported TAMPERED, naming the table edited
(or the rewrite); broke: reported intact. A rewrite that also rewrote the heads file is consistent
with itself by construction: then only ``--against`` the final archive can tell, and that is what
is asked.
"""

from __future__ import annotations

import contextlib
import io
import json
import random
import shutil
import sqlite3
from collections.abc import Callable
from contextlib import closing
from pathlib import Path
from typing import Any

from tests.attacks import Lab, Outcome, attack

SEED = 10


class Finished:
    """The demo meeting after step 10 (and after step 9), with its heads file and final archive,
    built once per run."""

    def __init__(self, lab: Lab) -> None:
        from app.demo import build_demo
        from app.domain import Step
        from app.services import Conclave
        from tests.sessions import CHEAP

        folder = lab.folder / "finished"
        folder.mkdir()
        self.lab = lab
        self.kept: dict[int, Path] = {}
        app = Conclave(folder / "demo.sqlite3")
        app.staff.cost = CHEAP

        def keep(stage: int) -> None:
            if stage in (Step.ARCHIVE, Step.PUBLICITY):
                self.kept[stage] = app.snapshot(folder / f"after-{stage}.sqlite3")

        try:
            build_demo(app, out=lambda _s: None, archive_dir=folder / "archive", after_step=keep)
        finally:
            app.close()
        self.db = self.kept[Step.PUBLICITY]
        self.step9 = self.kept[Step.ARCHIVE]
        self.archive = next((folder / "archive").glob("meeting-*-final"))
        self.zipped = Path(shutil.make_archive(str(folder / "final"), "zip", self.archive.parent, self.archive.name))
        with closing(sqlite3.connect(self.archive / "meeting.sqlite3")) as con:
            self.archived_head = int(con.execute("SELECT max(seq) FROM audit_event").fetchone()[0])

    def copy(self, source: Path | None = None) -> Path:
        source = source or self.db
        target = self.lab.path("meeting.sqlite3")
        shutil.copyfile(source, target)
        shutil.copyfile(_heads(source), _heads(target))
        return target


_FINISHED: dict[int, Finished] = {}


def finished(lab: Lab) -> Finished:
    if id(lab) not in _FINISHED:
        _FINISHED[id(lab)] = Finished(lab)
    return _FINISHED[id(lab)]


def _heads(db: Path) -> Path:
    return db.with_name(db.name + ".heads")


def verify(lab: Lab, db: Path, *extra: str, child: bool = False) -> tuple[int, str]:
    """``conclave verify-db --db DB EXTRA…``: exit code and what it printed."""
    if child:
        run = lab.cli("verify-db", "--db", str(db), *extra)
        return run.code, run.out + run.err
    from app.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(["verify-db", "--db", str(db), *extra])
        except SystemExit as exit_:
            code = exit_.code if isinstance(exit_.code, int) else 1
    return code, out.getvalue() + err.getvalue()


def names(out: str, table: str) -> bool:
    """Whether a verdict names ``table`` (the ballot box is named as such; an event of the trail by its number)."""
    if table == "ballot":
        return "ballot box" in out and "票箱" in out
    if table == "audit_event":
        return "event" in out or "audit" in out
    return f"table {table}" in out and f"数据表{table}" in out


def tampered(code: int, out: str, table: str | None = None) -> bool:
    return code == 1 and out.startswith("TAMPERED") and (table is None or names(out, table))


# -- the file as an insider sees it ------------------------------------------------------------

def tables_of(con: sqlite3.Connection) -> list[str]:
    return [n for (n,) in con.execute("SELECT name FROM sqlite_master WHERE type = 'table' "
                                      "AND name NOT LIKE 'sqlite_%' ORDER BY name")]


def columns_of(con: sqlite3.Connection, table: str) -> list[tuple[str, str, bool, int]]:
    """(name, declared type, not null, position in the primary key — 0 when not in it)."""
    return [(r[1], r[2].upper(), bool(r[3]), int(r[5])) for r in con.execute(f'PRAGMA table_info("{table}")')]


def has_rowid(con: sqlite3.Connection, table: str) -> bool:
    sql = con.execute("SELECT sql FROM sqlite_master WHERE name = ?", (table,)).fetchone()[0]
    return "WITHOUT ROWID" not in sql.upper()


def int_key(con: sqlite3.Connection, table: str) -> bool:
    keys = [c for c in columns_of(con, table) if c[3]]
    return len(keys) == 1 and keys[0][1] == "INTEGER"


def row_ids(con: sqlite3.Connection, table: str) -> tuple[str, list[tuple[Any, ...]]]:
    """How to name a row of ``table`` (a WHERE clause) and every row's parameters for it."""
    if has_rowid(con, table):
        return "rowid = ?", [(r,) for (r,) in con.execute(f'SELECT rowid FROM "{table}" ORDER BY rowid')]
    keys = [c[0] for c in sorted((c for c in columns_of(con, table) if c[3]), key=lambda c: c[3])]
    where = " AND ".join(f'"{k}" = ?' for k in keys)
    return where, [tuple(r) for r in con.execute(f'SELECT {", ".join(chr(34) + k + chr(34) for k in keys)} '
                                                 f'FROM "{table}" ORDER BY 1')]


def changed(value: Any, declared: str) -> Any:
    """A plausible other value: a number one more, a text with a character added, NULL filled."""
    if value is None:
        return 1 if declared in ("INTEGER", "BOOLEAN", "FLOAT", "REAL") else "x"
    if isinstance(value, int):
        return value + 1
    if isinstance(value, float):
        return value + 0.5
    if isinstance(value, bytes):
        return value + b"x"
    return str(value) + "x"


def new_key(value: Any, declared: str, bump: int) -> Any:
    if isinstance(value, int) or declared == "INTEGER":
        return (value or 0) + 100000 + bump
    return f"{value}-tamper{bump}"


def filler(declared: str, bump: int) -> Any:
    if declared in ("INTEGER", "BOOLEAN"):
        return 900000 + bump
    if declared in ("FLOAT", "REAL"):
        return 1.5
    if declared == "DATE":
        return "2026-01-01"
    if declared == "JSON":
        return "[]"
    return f"tamper-{bump}"


def insert_row(con: sqlite3.Connection, table: str) -> bool:
    """Insert a row Conclave never wrote: a copy of the first row under a new key (then with every
    text changed, then a row made from the declared types). False when the file refused all three."""
    cols = columns_of(con, table)
    first = con.execute(f'SELECT * FROM "{table}" LIMIT 1').fetchone()
    attempts: list[list[Any]] = []
    if first is not None:
        attempts.append([new_key(v, c[1], 1) if c[3] else v for v, c in zip(first, cols, strict=True)])
        attempts.append([new_key(v, c[1], 2) if c[3] or isinstance(v, int | str) else v
                         for v, c in zip(first, cols, strict=True)])
    attempts.append([new_key(None, c[1], 3) if c[3] else (filler(c[1], 3) if c[2] else None) for c in cols])
    for values in attempts:
        try:
            with con:
                con.execute(f'INSERT INTO "{table}" VALUES ({", ".join("?" * len(values))})', values)
            return True
        except sqlite3.DatabaseError:
            continue
    return False


def edit(path: Path, change: Callable[[sqlite3.Connection], object]) -> object:
    with closing(sqlite3.connect(path)) as con:
        result = change(con)
        con.commit()
    return result


# -- the trail rewritten -------------------------------------------------------------------------

def reseal(con: sqlite3.Connection, start: int = 1) -> None:
    """Recompute every hash from event ``start`` on, and the head in ``meta``: the trail is
    consistent with itself again (what an insider with the source code does)."""
    from app.storage.audit import GENESIS, event_hash

    prev = GENESIS if start == 1 else con.execute("SELECT hash FROM audit_event WHERE seq = ?",
                                                  (start - 1,)).fetchone()[0]
    rows = con.execute("SELECT seq, at, actor, action, meeting_id, data FROM audit_event WHERE seq >= ? "
                       "ORDER BY seq", (start,)).fetchall()
    last = start - 1
    for seq, at, actor, action, meeting_id, data in rows:
        digest = event_hash(seq, at, actor, action, meeting_id, data, prev)
        con.execute("UPDATE audit_event SET prev_hash = ?, hash = ? WHERE seq = ?", (prev, digest, seq))
        prev, last = digest, seq
    con.execute("UPDATE meta SET value = ? WHERE key = 'audit_head'", (f"{last}:{prev}",))


def rewrite_heads(db: Path, upto: int | None = None) -> None:
    """The heads file written again from the (rewritten) trail, one line per event up to ``upto``."""
    with closing(sqlite3.connect(db)) as con:
        chain = con.execute("SELECT seq, hash FROM audit_event WHERE seq <= coalesce(?, seq) ORDER BY seq",
                            (upto,)).fetchall()
    _heads(db).write_text("".join(f"{s}:{h}\n" for s, h in chain), encoding="ascii")


def cut_heads(db: Path, upto: int) -> None:
    kept = [line for line in _heads(db).read_text(encoding="ascii").splitlines() if int(line.split(":")[0]) <= upto]
    _heads(db).write_text("".join(line + "\n" for line in kept), encoding="ascii")


def _dump(body: dict[str, Any]) -> str:
    from app.storage.audit import canonical

    return canonical(body)


# -- the attacks ---------------------------------------------------------------------------------

@attack("tamper-evidence: one edit, insert and delete per table of the finished meeting, rows moved")
def tables(lab: Lab) -> Outcome:
    out = Outcome()
    meeting = finished(lab)
    with closing(sqlite3.connect(meeting.db)) as con:
        every = [t for t in tables_of(con) if t not in ("audit_event", "meta")]
        empty = [t for t in every if not con.execute(f'SELECT 1 FROM "{t}" LIMIT 1').fetchone()]
        ordered = [t for t in every if has_rowid(con, t) and not int_key(con, t)
                   and con.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] >= 2]
    kinds: dict[str, int] = {"edit": 0, "insert": 0, "delete": 0, "move": 0}
    not_done: list[str] = []
    for table in every:
        for kind in ("edit", "delete", "insert", "move"):
            if (kind in ("edit", "delete") and table in empty) or (kind == "move" and table not in ordered):
                continue
            db = meeting.copy()

            def change(con: sqlite3.Connection, table: str = table, kind: str = kind) -> bool:
                where, ids = row_ids(con, table)
                if kind == "insert":
                    return insert_row(con, table)
                if kind == "delete":
                    con.execute(f'DELETE FROM "{table}" WHERE {where}', ids[0])
                    return True
                if kind == "move":            # the first row deleted and written again, unchanged: it goes last
                    row = con.execute(f'SELECT * FROM "{table}" WHERE {where}', ids[0]).fetchone()
                    con.execute(f'DELETE FROM "{table}" WHERE {where}', ids[0])
                    con.execute(f'INSERT INTO "{table}" VALUES ({", ".join("?" * len(row))})', row)
                    return True
                cols = columns_of(con, table)
                name, declared = next((c[0], c[1]) for c in cols if not c[3])
                old = con.execute(f'SELECT "{name}" FROM "{table}" WHERE {where}', ids[0]).fetchone()[0]
                con.execute(f'UPDATE "{table}" SET "{name}" = ? WHERE {where}', (changed(old, declared), *ids[0]))
                return True

            if not edit(db, change):
                not_done.append(f"{kind} {table}")
                continue
            code, said = verify(lab, db, child=kinds[kind] == 0)
            kinds[kind] += 1
            out.check(tampered(code, said, table), f"{kind} in {table}: exit {code}: {said.strip()[:200]}")
    out.figures.append(f"{len(every)} tables in the file besides audit_event and meta ({len(empty)} empty in the "
                        f"finished meeting: {', '.join(empty) or 'none'}); " +
                        ", ".join(f"{n} {k}s" for k, n in kinds.items()) +
                        (f"; the file refused: {', '.join(not_done)}" if not_done else ""))
    return out


@attack("tamper-evidence: random edits (random table, row, column and value)")
def random_edits(lab: Lab) -> Outcome:
    out = Outcome()
    meeting = finished(lab)
    rng = random.Random(SEED)
    pristine = meeting.db.read_bytes()
    with closing(sqlite3.connect(meeting.db)) as con:
        every = [t for t in tables_of(con) if t != "meta"
                 and con.execute(f'SELECT 1 FROM "{t}" LIMIT 1').fetchone()]
    tries, refused, per_table = 0, 0, dict.fromkeys(every, 0)
    db = meeting.copy()
    while tries < 150:
        db.write_bytes(pristine)
        table = rng.choice(every)
        done: list[str] = []

        def change(con: sqlite3.Connection, table: str = table, done: list[str] = done) -> bool:
            where, ids = row_ids(con, table)
            key = rng.choice(ids)
            cols = columns_of(con, table)
            name, declared, _nn, _pk = rng.choice(cols)
            old = con.execute(f'SELECT "{name}" FROM "{table}" WHERE {where}', key).fetchone()[0]
            others = [v for (v,) in con.execute(f'SELECT DISTINCT "{name}" FROM "{table}"') if v != old]
            pick = rng.randrange(5)
            new: Any = (None if pick == 0 else rng.randint(-5, 10**6) if pick == 1
                        else "".join(rng.choice("abc中文0123") for _ in range(rng.randint(1, 12))) if pick == 2
                        else rng.choice(others) if pick == 3 and others else changed(old, declared))
            if new == old and type(new) is type(old):
                return False
            try:
                con.execute(f'UPDATE "{table}" SET "{name}" = ? WHERE {where}', (new, *key))
            except sqlite3.DatabaseError:
                return False
            done.append(f"{table}.{name} {old!r:.40} -> {new!r:.40}")
            return True

        if not edit(db, change):
            refused += 1
            continue
        code, said = verify(lab, db, child=tries % 10 == 0)
        tries += 1
        per_table[table] += 1
        out.check(tampered(code, said, table), f"{done[0]}: exit {code}: {said.strip()[:200]}")
    out.figures.append(f"{tries} edits over {sum(1 for n in per_table.values() if n)} of {len(every)} tables "
                       f"(audit_event included), {refused} drawn edits the file refused or changed nothing")
    return out


@attack("tamper-evidence: events cut off the end of the trail, head moved back, heads file cut back")
def truncated(lab: Lab) -> Outcome:
    out = Outcome()
    meeting = finished(lab)
    rng = random.Random(SEED + 1)
    with closing(sqlite3.connect(meeting.db)) as con:
        last = int(con.execute("SELECT max(seq) FROM audit_event").fetchone()[0])
    alone = 0
    for n, cut in enumerate([1, 2, 3, 5, 10, 50] + [rng.randint(1, last - 1) for _ in range(6)]):
        for cut_heads_too in (False, True):
            db = meeting.copy()
            upto = last - cut

            def change(con: sqlite3.Connection, upto: int = upto) -> None:
                con.execute("DELETE FROM audit_event WHERE seq > ?", (upto,))
                digest = con.execute("SELECT hash FROM audit_event WHERE seq = ?", (upto,)).fetchone()[0]
                con.execute("UPDATE meta SET value = ? WHERE key = 'audit_head'", (f"{upto}:{digest}",))

            edit(db, change)
            if cut_heads_too:
                cut_heads(db, upto)
            code, said = verify(lab, db, child=n == 0)
            if cut_heads_too and not tampered(code, said):
                # file and heads file consistent again: only an anchor outside them can tell (the final
                # archive records nothing after itself, but the live trail must hold the event recording it)
                alone += 1
                code, said = verify(lab, db, "--against", str(meeting.archive), child=n == 0)
            out.check(tampered(code, said), f"{cut} events cut (heads file {'cut' if cut_heads_too else 'kept'}): "
                                            f"exit {code}: {said.strip()[:200]}")
    # the whole meeting put back as it stood after step 9 (tables, trail and heads file consistent): only
    # the final archive, made later, can tell
    for against in (meeting.archive, meeting.zipped):
        db = meeting.copy(meeting.step9)
        plain = verify(lab, db)
        code, said = verify(lab, db, "--against", str(against), child=True)
        out.check(tampered(code, said) and "removed since the archive" in said,
                  f"the step-9 copy against {against.name}: exit {code}: {said.strip()[:200]}")
        out.figures.append(f"a step-9 copy on its own: {'intact' if plain[0] == 0 else 'TAMPERED'} (as it must be: "
                           f"it is one), against the final {'zip' if against.suffix else 'folder'}: "
                           f"{'TAMPERED' if code == 1 else 'intact'}")
    out.figures.insert(0, f"trail of {last} events; with the heads file cut too, verify-db alone said intact "
                          f"{alone} time(s) (the file and its heads agree again), each then checked --against the "
                          "final archive")
    return out


def _resealed_edit(con: sqlite3.Connection, rng: random.Random, before: int) -> tuple[str, int] | None:
    """An edit to a row whose newest change in the trail is an event before ``before``, with that
    change edited to match and the trail resealed from it: (what, event) or None."""
    from app.storage import capture
    from app.storage.schema import metadata

    events = con.execute("SELECT seq, data FROM audit_event ORDER BY seq").fetchall()
    last_change: dict[tuple[str, str], tuple[int, int]] = {}
    for seq, data in events:
        for i, (table, op, key, _row) in enumerate(json.loads(data).get("changes", [])):
            last_change[(table, json.dumps(key))] = (seq, i) if op != "d" else (-1, -1)
    candidates = [(t, k, s, i) for (t, k), (s, i) in last_change.items() if 0 < s < before]
    rng.shuffle(candidates)
    for table, key, seq, i in candidates:
        t = metadata.tables[table]
        cols, keys = capture.columns(t), capture.key_columns(t)
        mutable = [c for c in cols if c not in keys and c not in capture.HASHED.get(table, ())]
        if not mutable:
            continue
        column = rng.choice(mutable)
        where = " AND ".join(f'"{k}" = ?' for k in keys)
        found = con.execute(f'SELECT "{column}" FROM "{table}" WHERE {where}', json.loads(key)).fetchone()
        if found is None:
            continue
        new = changed(found[0], str(t.columns[column].type))
        con.execute(f'UPDATE "{table}" SET "{column}" = ? WHERE {where}', (new, *json.loads(key)))
        data = json.loads(con.execute("SELECT data FROM audit_event WHERE seq = ?", (seq,)).fetchone()[0])
        data["changes"][i][3][cols.index(column)] = new
        con.execute("UPDATE audit_event SET data = ? WHERE seq = ?", (_dump(data), seq))
        reseal(con, seq)
        return f"{table}.{column} of ({json.loads(key)}) at event #{seq}", seq
    return None


def _resealed_box(con: sqlite3.Connection) -> tuple[str, int]:
    """One ballot of a closed round turned, and its closing event's tally and digest made to match."""
    from app.storage.replay import box_record

    seq, data = con.execute("SELECT seq, data FROM audit_event WHERE action = 'ballot.close' ORDER BY seq "
                            "LIMIT 1").fetchone()
    body = json.loads(data)
    token, choices = con.execute("SELECT token, choices FROM ballot WHERE round_id = ? AND choices LIKE "
                                 "'%\"yes\"%' ORDER BY token LIMIT 1", (body["round"],)).fetchone()
    con.execute("UPDATE ballot SET choices = ? WHERE token = ?", (choices.replace('"yes"', '"no"', 1), token))
    from sqlalchemy import create_engine

    engine = create_engine(f"sqlite:///{con.execute('PRAGMA database_list').fetchone()[2]}")
    con.commit()
    with engine.connect() as conn:
        body.update(box_record(conn, int(body["round"])))
    engine.dispose()
    con.execute("UPDATE audit_event SET data = ? WHERE seq = ?", (_dump(body), seq))
    reseal(con, seq)
    return f"a ballot of round {body['round']} turned, the close #{seq} recounted", seq


@attack("tamper-evidence: the trail rewritten from start to end, or resealed after an edit (heads file kept, "
        "then rewritten too: --against the final archive)")
def rewritten(lab: Lab) -> Outcome:
    out = Outcome()
    meeting = finished(lab)
    rng = random.Random(SEED + 2)
    with closing(sqlite3.connect(meeting.db)) as con:
        last = int(con.execute("SELECT max(seq) FROM audit_event").fetchone()[0])
    anchored = meeting.archived_head
    plain_intact = 0
    for n in range(16):
        db = meeting.copy()
        if n < 5:                         # every hash recomputed from the first event, one event changed
            event = 1 if n == 0 else rng.randint(2, anchored)

            def change(con: sqlite3.Connection, event: int = event) -> tuple[str, int]:
                con.execute("UPDATE audit_event SET actor = '某人' WHERE seq = ?", (event,))
                reseal(con, 1)
                return f"event #{event}'s actor changed, the whole trail rehashed", event

            what, seq = edit(db, change)  # type: ignore[misc]
        elif n == 5:
            what, seq = edit(db, _resealed_box)  # type: ignore[misc]
        else:
            made = edit(db, lambda con: _resealed_edit(con, rng, anchored + 1))
            if made is None:
                continue
            what, seq = made  # type: ignore[misc]
        code, said = verify(lab, db, child=n in (0, 5, 6))
        out.check(tampered(code, said) and ("rewritten" in said or "event" in said),
                  f"{what} (heads file kept): exit {code}: {said.strip()[:200]}")
        rewrite_heads(db)
        code, said = verify(lab, db)
        plain_intact += code == 0
        for against in (meeting.archive, meeting.zipped):
            code, said = verify(lab, db, "--against", str(against), child=n in (0, 5) and against == meeting.archive)
            out.check(tampered(code, said) and f"event #{seq} differs from the archived copy" in said,
                      f"{what} (heads rewritten) against {against.name}: exit {code}: {said.strip()[:200]}")
    out.figures.append(f"trail of {last} events, the final archive's copy ends at #{anchored}; with the heads "
                       f"file rewritten too, verify-db alone said intact {plain_intact} times (by construction)")
    if last > anchored:
        out.figures.append(f"events #{anchored + 1}–#{last} come after the final archive: a rewrite of those "
                           "with the heads file is seen only against a later copy or the head printed on paper")
    return out
