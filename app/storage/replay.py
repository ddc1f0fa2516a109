"""Rebuild every covered table from the audit chain and compare it with the tables (重放核对).

Each event since the last ``chain.baseline`` carries what its write changed
(:mod:`app.storage.capture`); applying them in order to the baseline's snapshot gives what every
table must hold now, row by row and in row order. :func:`replay` names the first difference —
table, key, column, what the trail says and what the file holds — in English and Chinese.

A baseline (:func:`snapshot`) is one event holding every covered table. It is appended at the
first writable open of a file whose trail does not yet record its changes (written before the
capture existed) and after a schema upgrade (a migration changes tables outside any write);
replay starts from the newest one.

The ballot box is not in the trail; :func:`recount` checks every closed round's ballots against
the tally and the box digest (SHA-256 of the sorted ballots) its ``ballot.close`` event recorded.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Table

from app.errors import RuleViolation
from app.rules.ballot import tally
from app.storage import capture
from app.storage.schema import SCHEMA_VERSION
from app.text import Bilingual, bi

BASELINE = "chain.baseline"
BASELINE_ACTOR = "Conclave"

Key = tuple[Any, ...]


def _has_rowid(conn: Connection, table: Table) -> bool:
    sql = conn.exec_driver_sql("SELECT sql FROM main.sqlite_master WHERE type = 'table' AND name = ?",
                               (table.name,)).scalar()
    return sql is not None and "WITHOUT ROWID" not in sql.upper()


def _int_key(table: Table) -> bool:
    """An INTEGER PRIMARY KEY: the key is the rowid, so row order is key order."""
    keys = list(table.primary_key.columns)
    return len(keys) == 1 and str(keys[0].type) == "INTEGER"


def _present(conn: Connection) -> set[str]:
    return {r[0] for r in conn.exec_driver_sql("SELECT name FROM main.sqlite_master WHERE type = 'table'")}


def _rows(conn: Connection, table: Table) -> list[list[Any]]:
    """A table's rows as the trail records them: every column in :func:`capture.columns` order,
    choice columns by their digest, in row order (rowid; key order for a WITHOUT ROWID table)."""
    cols = capture.columns(table)
    hashed = capture.HASHED.get(table.name, frozenset())
    order = "rowid" if _has_rowid(conn, table) else ", ".join(f'"{c}"' for c in capture.key_columns(table))
    sql = f'SELECT {", ".join(chr(34) + c + chr(34) for c in cols)} FROM main."{table.name}" ORDER BY {order}'
    rows = conn.exec_driver_sql(sql).all()
    if not hashed:          # a blob (never written by Conclave) differs from any value the trail holds
        return [list(r) for r in rows]
    return [[capture.digest(v) if c in hashed else v for c, v in zip(cols, raw, strict=True)] for raw in rows]


def snapshot(conn: Connection) -> dict[str, Any]:
    """The data of a baseline event: every covered table's columns and rows."""
    present = _present(conn)
    return {"schema": SCHEMA_VERSION,
            "tables": {t.name: {"columns": capture.columns(t), "rows": _rows(conn, t)}
                       for t in capture.covered() if t.name in present}}


def needs_baseline(conn: Connection, upgraded: bool) -> bool:
    """Whether a writable open must append a baseline: after a schema upgrade, or when the trail's
    newest event (a file written before the capture) does not record its changes."""
    last = conn.exec_driver_sql("SELECT action, data FROM audit_event ORDER BY seq DESC LIMIT 1").first()
    if last is None:
        return False
    if upgraded:
        return True
    return last[0] != BASELINE and "changes" not in json.loads(last[1])


@dataclass(frozen=True)
class Difference:
    """The first place where the tables and the trail disagree."""

    table: str
    message: Bilingual


@dataclass(frozen=True)
class ReplayReport:
    checked: bool                   # False: the trail does not record changes (a file before the capture)
    difference: Difference | None = None
    start: int = 0                  # the event replay started from (the baseline), 0 for the first
    events: int = 0                 # events replayed
    rows: int = 0                   # rows compared

    @property
    def ok(self) -> bool:
        return self.difference is None


def _key(table: Table, row: Sequence[Any], cols: list[str]) -> Key:
    return tuple(row[i] for i in _key_at(table, tuple(cols)))


@functools.cache
def _key_at(table: Table, cols: tuple[str, ...]) -> tuple[int, ...]:
    return tuple(cols.index(k) for k in capture.key_columns(table))


def _fmt(key: Key) -> str:
    return ", ".join(str(k) for k in key)


def replay(conn: Connection) -> ReplayReport:
    """Rebuild the covered tables from the trail and compare them with the file."""
    tables = {t.name: t for t in capture.covered()}
    start_row = conn.exec_driver_sql("SELECT seq, data FROM audit_event WHERE action = ? ORDER BY seq DESC LIMIT 1",
                                     (BASELINE,)).first()
    state: dict[str, dict[Key, list[Any]]] = {name: {} for name in tables}
    start = 0
    if start_row is not None:
        start = int(start_row[0])
        base = json.loads(start_row[1])
        for name, content in base.get("tables", {}).items():
            t = tables.get(name)
            if t is None:
                continue
            now = capture.columns(t)
            cols = list(content["columns"])
            for row in content["rows"]:
                full = [row[cols.index(c)] if c in cols else None for c in now]
                state[name][_key(t, full, now)] = full
    events = 0
    for seq, action, data in conn.exec_driver_sql(
            "SELECT seq, action, data FROM audit_event WHERE seq > ? ORDER BY seq", (start,)):
        body = json.loads(data)
        if "changes" not in body:
            if start == 0:
                return ReplayReport(False, start=start)
            return ReplayReport(True, Difference("audit_event", bi(
                f"event #{seq} ({action}) does not record what it changed, though it follows the "
                f"baseline #{start}: it was not written by Conclave",
                f"第{seq}号事件（{action}）未记录其所作修改，而它在第{start}号基准事件之后：不是本系统写入的")), start)
        events += 1
        for name, op, key, row in body["changes"]:
            t = tables.get(name)
            if t is None:
                continue
            rows = state.setdefault(name, {})
            k = tuple(key)
            if op == "i":
                rows[k] = list(row)
            elif op == "d":
                rows.pop(k, None)
            else:
                cols = capture.columns(t)
                new = _key(t, row, cols)
                if new == k:
                    rows[k] = list(row)
                else:                      # a key changed: the row keeps its place
                    state[name] = {(new if kk == k else kk): (list(row) if kk == k else v) for kk, v in rows.items()}
    compared = 0
    present = _present(conn)
    for name, t in tables.items():
        if name not in present:
            continue
        cols = capture.columns(t)
        actual = _rows(conn, t)
        compared += len(actual)
        difference = _compare(t, cols, state.get(name, {}), actual, _has_rowid(conn, t) and not _int_key(t))
        if difference is not None:
            return ReplayReport(True, difference, start, events, compared)
    return ReplayReport(True, None, start, events, compared)


def _compare(t: Table, cols: list[str], expected: dict[Key, list[Any]], actual_rows: list[list[Any]],
             ordered: bool) -> Difference | None:
    name = t.name
    actual: dict[Key, list[Any]] = {}
    for row in actual_rows:
        actual[_key(t, row, cols)] = row
    for key, row in expected.items():
        found = actual.get(key)
        if found is None:
            return Difference(name, bi(
                f"table {name}: the row with key ({_fmt(key)}) the audit trail records is missing "
                "(deleted outside Conclave)",
                f"数据表{name}：审计日志记载的主键为（{_fmt(key)}）的行不见了（被绕过本系统删除）"))
        if row == found:
            continue
        for c, want, got in zip(cols, row, found, strict=True):
            if not _same(want, got):
                return Difference(name, bi(
                    f"table {name}, row with key ({_fmt(key)}), column {c}: the audit trail records {want!r}, "
                    f"the file holds {got!r} (changed outside Conclave)",
                    f"数据表{name}中主键为（{_fmt(key)}）的行，{c}列：审计日志记载为{want!r}，文件中为{got!r}（被绕过本系统修改）"))
    for key in actual:
        if key not in expected:
            return Difference(name, bi(
                f"table {name}: the row with key ({_fmt(key)}) is not in the audit trail (inserted outside Conclave)",
                f"数据表{name}：主键为（{_fmt(key)}）的行不在审计日志中（被绕过本系统插入）"))
    if ordered and list(expected) != list(actual):
        at = next(i for i, (a, b) in enumerate(zip(expected, actual, strict=True)) if a != b)
        want, got = list(expected)[at], list(actual)[at]
        return Difference(name, bi(
            f"table {name}: the rows are not in the order they were written (row {at + 1} should be "
            f"({_fmt(want)}), is ({_fmt(got)})): rows were deleted and written again outside Conclave",
            f"数据表{name}：各行顺序与写入顺序不符（第{at + 1}行应为（{_fmt(want)}），实为（{_fmt(got)}））："
            "有行被绕过本系统删除后重新写入"))
    return None


def _same(a: object, b: object) -> bool:
    if isinstance(a, bool) or isinstance(b, bool):
        return a == b
    if isinstance(a, int | float) and isinstance(b, int | float):
        return a == b
    return type(a) is type(b) and a == b


# -- the ballot box ---------------------------------------------------------------------------

def box_digest(rows: Sequence[tuple[str, str]]) -> str:
    """SHA-256 hex of a round's ballots, each ``token<TAB>choices``, sorted, one per line (UTF-8). The
    random key is in it too: a ballot moved to another key is a changed box, though no count moves."""
    return hashlib.sha256("\n".join(sorted(f"{t}\t{c}" for t, c in rows)).encode("utf-8")).hexdigest()


def _box(conn: Connection, round_id: int) -> list[tuple[str, str]]:
    return [(t, c) for t, c in conn.exec_driver_sql("SELECT token, choices FROM ballot WHERE round_id = ?",
                                                     (round_id,))]


def box_tally(bodies: Sequence[str], candidates: Sequence[str]) -> dict[str, list[int]]:
    """A round's count as its closing event records it: candidate code → [yes, no, abstain]."""
    counts = tally([json.loads(b) for b in bodies], candidates)
    return {code: [c.yes, c.no, c.abstain] for code, c in counts.items()}


def box_record(conn: Connection, round_id: int) -> dict[str, Any]:
    """What a round's closing event records of its box: ``tally`` (code → [yes, no, abstain]) and
    ``box_sha256`` — counts and a digest, never a ballot."""
    candidates = conn.exec_driver_sql("SELECT candidates FROM ballot_round WHERE id = ?", (round_id,)).scalar_one()
    rows = _box(conn, round_id)
    codes = json.loads(candidates) if isinstance(candidates, str) else candidates
    return {"tally": box_tally([c for _, c in rows], codes), "box_sha256": box_digest(rows)}


def recount(conn: Connection) -> Difference | None:
    """Recount the box of every closed round against its closing event (rounds closed before the
    closing event recorded its count are not checked). Neither box is in the trail, so a row no
    round accounts for — a ballot of no round, a sealed ballot of a round not open (the close empties
    it) — is reported here: nothing else would see it."""
    stray = conn.exec_driver_sql("SELECT count(*) FROM ballot WHERE round_id NOT IN "
                                 "(SELECT id FROM ballot_round)").scalar_one()
    if stray:
        return Difference("ballot", bi(
            f"the ballot box holds {stray} ballot(s) of no round: ballots were added outside Conclave",
            f"票箱中有{stray}张选票不属于任何一轮表决：选票被绕过本系统增加"))
    sealed = conn.exec_driver_sql("SELECT count(*) FROM sealed_ballot WHERE round_id NOT IN "
                                  "(SELECT id FROM ballot_round WHERE status = 'open')").scalar_one() \
        if "sealed_ballot" in _present(conn) else 0        # a file older than the sealed box
    if sealed:
        return Difference("sealed_ballot", bi(
            f"table sealed_ballot holds {sealed} sealed ballot(s) of no open round (a close empties its round's): "
            "added outside Conclave",
            f"数据表sealed_ballot中有{sealed}张密封选票不属于任何正在进行的表决轮次（结束表决时会清空）："
            "被绕过本系统增加"))
    closes: dict[int, tuple[int, dict[str, Any]]] = {}
    for seq, data in conn.exec_driver_sql("SELECT seq, data FROM audit_event WHERE action = 'ballot.close' "
                                          "ORDER BY seq"):
        body = json.loads(data)
        if "box_sha256" in body:
            closes[int(body["round"])] = (int(seq), body)
    for round_id, number, candidates, status in conn.exec_driver_sql(
            "SELECT id, number, candidates, status FROM ballot_round ORDER BY id"):
        if status != "closed" or round_id not in closes:
            continue
        seq, body = closes[round_id]
        rows = _box(conn, round_id)
        bodies = [c for _, c in rows]
        if box_digest(rows) != body["box_sha256"]:
            return Difference("ballot", bi(
                f"round {number}: the ballot box ({len(bodies)} ballots) is not the box closed at event #{seq} "
                f"({body.get('ballots')} ballots): ballots were changed, added or removed outside Conclave",
                f"第{number}轮：票箱（{len(bodies)}张）与第{seq}号事件结束表决时的票箱（{body.get('ballots')}张）"
                "不符：选票被绕过本系统修改、增加或删除"))
        try:
            counted = box_tally(bodies, json.loads(candidates) if isinstance(candidates, str) else candidates)
        except RuleViolation as exc:
            return Difference("ballot", bi(f"round {number}: the box cannot be counted ({exc})",
                                           f"第{number}轮：票箱无法计票（{exc}）"))
        if counted != body.get("tally"):
            return Difference("ballot", bi(
                f"round {number}: the recount of the box differs from the tally recorded at event #{seq}",
                f"第{number}轮：重新计票结果与第{seq}号事件记载的计票结果不符"))
    return None
