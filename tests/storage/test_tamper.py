"""Every stored fact is under the audit chain: a finished meeting edited with any SQLite tool is
reported by ``conclave verify-db``, naming the table — one case per table (derived from the schema,
so a new table is covered, or listed as excluded with its reason, before this passes), rows inserted,
deleted and moved, the ballot box recounted, the trail cut short or rewritten (the heads file), and
a rewrite that also rewrote the heads file (``--against`` the archive)."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from app.cli import main
from app.domain import Step
from app.storage import capture, heads
from app.storage.audit import GENESIS, event_hash
from app.storage.replay import BASELINE
from app.storage.schema import metadata
from app.storage.store import Store
from tests.demo_templates import Templates

TABLES = [t.name for t in capture.covered()]


@pytest.fixture(scope="module")
def finished(demo_templates: Templates, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo meeting after its tenth step, with its heads file."""
    return demo_templates.copy(Step.PUBLICITY, tmp_path_factory.mktemp("tamper") / "finished.sqlite3")


@pytest.fixture
def db(finished: Path, tmp_path: Path) -> Path:
    target = tmp_path / "meeting.sqlite3"
    shutil.copyfile(finished, target)
    shutil.copyfile(heads.path_for(finished), heads.path_for(target))
    return target


def _sql(path: Path, *statements: str, params: tuple[object, ...] = ()) -> None:
    con = sqlite3.connect(path)
    with con:
        for statement in statements:
            con.execute(statement, params)
    con.close()


def _verify(path: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> tuple[int, str]:
    code = main(["verify-db", "--db", str(path), *extra])
    return code, capsys.readouterr().out


def _first_key(con: sqlite3.Connection, table: str) -> tuple[list[str], tuple[object, ...] | None]:
    keys = capture.key_columns(metadata.tables[table])
    row = con.execute(f"SELECT {', '.join(keys)} FROM {table} ORDER BY {', '.join(keys)} LIMIT 1").fetchone()
    return keys, row


def _synthetic(table: str) -> dict[str, object]:
    """A row no write of Conclave made: every key new, every required column filled."""
    values: dict[str, object] = {}
    for c in metadata.tables[table].columns:
        kind = str(c.type)
        if c.nullable and not c.primary_key:
            values[c.name] = None
        elif kind in ("INTEGER", "BOOLEAN"):
            values[c.name] = 1 if kind == "BOOLEAN" else 9000 + len(values)
        elif kind == "DATE":
            values[c.name] = "2026-01-01"
        elif kind == "JSON":
            values[c.name] = "[]"
        else:
            values[c.name] = f"tamper-{c.name}"
    if table == "meeting_day":
        values.update(starts="08:00", ends="17:00")
    if table == "calendar_year":
        values.update(source="typed")
    return values


def test_every_table_is_covered_or_excluded_with_a_reason() -> None:
    assert set(TABLES) | set(capture.EXCLUDED) == set(metadata.tables)
    assert all(reason.strip() for reason in capture.EXCLUDED.values())
    assert "ballot" in capture.EXCLUDED and "ballot" not in TABLES


def test_the_finished_meeting_is_intact(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = _verify(db, capsys)
    assert code == 0, out
    assert out.startswith("intact:") and "not replayed" not in out


@pytest.mark.parametrize("table", TABLES)
def test_a_row_edited_inserted_or_deleted_in_any_table_is_reported(
        table: str, db: Path, finished: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pristine = db.read_bytes()
    con = sqlite3.connect(db)
    keys, first = _first_key(con, table)
    con.close()
    cases: list[tuple[str, str, tuple[object, ...]]] = []
    if first is not None:
        where = " AND ".join(f'"{k}" = ?' for k in keys)
        column = next(c.name for c in metadata.tables[table].columns if not c.primary_key)
        cases.append(("edit", f'UPDATE {table} SET "{column}" = CASE WHEN "{column}" IS NULL THEN \'x\' '
                              f'WHEN typeof("{column}") = \'integer\' THEN "{column}" + 1 '
                              f'ELSE "{column}" || \'x\' END WHERE {where}', first))
        cases.append(("delete", f"DELETE FROM {table} WHERE {where}", first))
    row = _synthetic(table)
    cases.append(("insert", f'INSERT INTO {table} ({", ".join(row)}) VALUES ({", ".join("?" * len(row))})',
                  tuple(row.values())))
    for what, statement, params in cases:
        db.write_bytes(pristine)
        _sql(db, statement, params=params)
        code, out = _verify(db, capsys)
        assert code == 1, f"{what} in {table}: {out}"
        assert out.startswith("TAMPERED") and f"table {table}" in out and f"数据表{table}" in out, (what, out)


@pytest.mark.parametrize("table", ["score", "document", "step_state"])
def test_rows_written_again_in_another_order_are_reported(table: str, db: Path,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    """Same rows, same values, another order: the first row deleted and written again goes last."""
    con = sqlite3.connect(db)
    with con:
        first = con.execute(f"SELECT * FROM {table} ORDER BY rowid LIMIT 1").fetchone()
        con.execute(f"DELETE FROM {table} WHERE rowid = (SELECT min(rowid) FROM {table})")
        con.execute(f"INSERT INTO {table} VALUES ({', '.join('?' * len(first))})", first)
    con.close()
    code, out = _verify(db, capsys)
    assert code == 1 and f"table {table}" in out and "order" in out, out


@pytest.mark.parametrize("change", [
    "UPDATE ballot SET choices = replace(choices, '\"yes\"', '\"no\"') WHERE token = "
    "(SELECT min(token) FROM ballot WHERE choices LIKE '%\"yes\"%')",
    "DELETE FROM ballot WHERE token = (SELECT min(token) FROM ballot)",
    "INSERT INTO ballot SELECT round_id, 'ffffffffffffffffffffffffffffffff', choices FROM ballot "
    "WHERE token = (SELECT min(token) FROM ballot)",
])
def test_the_ballot_box_of_a_closed_round_is_recounted(change: str, db: Path,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    _sql(db, change)
    code, out = _verify(db, capsys)
    assert code == 1 and "ballot box" in out and "票箱" in out, out


def test_the_closing_event_holds_the_count_and_the_digest_never_a_ballot(db: Path) -> None:
    con = sqlite3.connect(db)
    closes = [json.loads(d) for (d,) in con.execute("SELECT data FROM audit_event WHERE action = 'ballot.close'")]
    bodies = {b for (b,) in con.execute("SELECT choices FROM ballot")}
    trail = "".join(d for (d,) in con.execute("SELECT data FROM audit_event"))
    con.close()
    assert closes and all(len(c["box_sha256"]) == 64 and c["tally"] for c in closes)
    assert all(sum(c["tally"][code]) == c["ballots"] for c in closes for code in c["tally"])
    assert not any(json.dumps(b)[1:-1] in trail or b in trail for b in bodies)


def _rewrite(path: Path, upto: int | None = None, edit: int | None = None) -> None:
    """Cut the trail after ``upto`` and/or change event ``edit``, recomputing every hash and the head
    in ``meta`` so that the trail is consistent with itself again."""
    con = sqlite3.connect(path)
    with con:
        if upto is not None:
            con.execute("DELETE FROM audit_event WHERE seq > ?", (upto,))
        rows = con.execute("SELECT seq, at, actor, action, meeting_id, data FROM audit_event ORDER BY seq").fetchall()
        prev = GENESIS
        for seq, at, actor, action, meeting_id, data in rows:
            if seq == edit:
                actor = "某人"
            digest = event_hash(seq, at, actor, action, meeting_id, data, prev)
            con.execute("UPDATE audit_event SET actor = ?, prev_hash = ?, hash = ? WHERE seq = ?",
                        (actor, prev, digest, seq))
            prev = digest
        con.execute("UPDATE meta SET value = ? WHERE key = 'audit_head'", (f"{rows[-1][0]}:{prev}",))
    con.close()


def test_a_trail_cut_short_with_its_head_moved_back_is_reported(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    con = sqlite3.connect(db)
    last = con.execute("SELECT max(seq) FROM audit_event").fetchone()[0]
    con.close()
    _rewrite(db, upto=last - 3)
    code, out = _verify(db, capsys)
    assert code == 1 and "truncated" in out and "截短" in out, out


def test_a_trail_rewritten_from_start_to_end_is_reported(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _rewrite(db, edit=5)
    code, out = _verify(db, capsys)
    assert code == 1 and "event #5" in out and "rewritten" in out, out


def test_a_rewrite_that_also_rewrote_the_heads_file_is_found_against_the_archive(
        db: Path, demo_templates: Templates, capsys: pytest.CaptureFixture[str]) -> None:
    archive = next(demo_templates[Step.PUBLICITY].parent.glob("archive/meeting-*-final"))
    zipped = shutil.make_archive(str(db.parent / "archive"), "zip", archive.parent, archive.name)
    for against in (str(archive), zipped):
        code, out = _verify(db, capsys, "--against", against)
        assert code == 0 and "matches the archive" in out, out
    _rewrite(db, edit=5)
    con = sqlite3.connect(db)
    chain = con.execute("SELECT seq, hash FROM audit_event ORDER BY seq").fetchall()
    con.close()
    heads.path_for(db).write_text("".join(f"{s}:{h}\n" for s, h in chain), encoding="ascii")
    assert _verify(db, capsys)[0] == 0                       # consistent with itself and its heads file
    for against in (str(archive), zipped):
        code, out = _verify(db, capsys, "--against", against)
        assert code == 1 and "event #5 differs from the archived copy" in out and "归档后审计日志被重写" in out, out


def test_the_event_recording_the_archive_cut_off_with_the_heads_file_is_found_against_it(
        db: Path, demo_templates: Templates, capsys: pytest.CaptureFixture[str]) -> None:
    """The final archive is made before the event that records it, so its copy cannot hold that event;
    an insider who cuts it off and cuts the heads file back passes verify-db alone — not --against."""
    archive = next(demo_templates[Step.PUBLICITY].parent.glob("archive/meeting-*-final"))
    con = sqlite3.connect(db)
    last, action = con.execute("SELECT seq, action FROM audit_event ORDER BY seq DESC LIMIT 1").fetchone()
    con.close()
    assert action == "meeting.archive.final"
    _rewrite(db, upto=last - 1)
    lines = heads.path_for(db).read_text(encoding="ascii").splitlines(keepends=True)
    heads.path_for(db).write_text("".join(x for x in lines if int(x.split(":")[0]) < last), encoding="ascii")
    assert _verify(db, capsys)[0] == 0                       # consistent with itself and its heads file
    code, out = _verify(db, capsys, "--against", str(archive))
    assert code == 1 and "recorded this archive" in out and "记载本归档" in out, out


def test_a_ballot_moved_to_another_key_is_a_changed_box(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """No count moves, but the box is not the one closed: its digest covers each ballot's key."""
    _sql(db, "UPDATE ballot SET token = 'b3bc10cbb2' WHERE token = (SELECT min(token) FROM ballot)")
    code, out = _verify(db, capsys)
    assert code == 1 and "ballot box" in out and "票箱" in out, out


def test_an_archive_changed_after_it_was_made_is_reported(db: Path, tmp_path: Path, demo_templates: Templates,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    archive = tmp_path / "archive"
    shutil.copytree(next(demo_templates[Step.PUBLICITY].parent.glob("archive/meeting-*-final")), archive)
    (archive / "record.json").write_text("{}", encoding="utf-8")
    code, out = _verify(db, capsys, "--against", str(archive))
    assert code == 1 and "record.json does not match its manifest" in out, out


def test_a_file_from_before_the_capture_gets_a_baseline_and_is_covered_from_then_on(
        db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """An older file: its events do not record changes and it has no heads file. The first writable
    open appends one baseline event and starts the heads file; changes after it are caught."""
    con = sqlite3.connect(db)
    with con:
        rows = con.execute("SELECT seq, data FROM audit_event ORDER BY seq").fetchall()
        for seq, data in rows:
            body = json.loads(data)
            body.pop("changes", None)
            con.execute("UPDATE audit_event SET data = ? WHERE seq = ?",
                        (json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":")), seq))
    con.close()
    _rewrite(db)
    heads.path_for(db).unlink()
    Store(db).close()
    con = sqlite3.connect(db)
    last = con.execute("SELECT seq, action FROM audit_event ORDER BY seq DESC LIMIT 1").fetchone()
    con.close()
    assert last == (len(rows) + 1, BASELINE)
    noted = heads.read(db)
    assert noted is not None and [s for s, _ in noted] == [last[0] - 1, last[0]]
    code, out = _verify(db, capsys)
    assert code == 0 and "not replayed" not in out, out
    Store(db).close()                                        # no second baseline
    con = sqlite3.connect(db)
    assert con.execute("SELECT count(*) FROM audit_event WHERE action = ?", (BASELINE,)).fetchone()[0] == 1
    con.close()
    _sql(db, "UPDATE candidate SET outcome = 'passed' WHERE outcome = 'failed'")
    code, out = _verify(db, capsys)
    assert code == 1 and "table candidate" in out, out


def test_a_missing_heads_file_is_reported(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    heads.path_for(db).unlink()
    code, out = _verify(db, capsys)
    assert code == 1 and "heads file" in out and ".heads" in out, out


def test_a_new_meeting_file_sets_aside_the_heads_of_a_file_deleted_before_it(
        db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    old_heads = heads.path_for(db).read_bytes()
    db.unlink()
    Store(db).close()
    assert not heads.path_for(db).exists()
    assert [p.read_bytes() for p in db.parent.glob(db.name + ".heads.orphan-*")] == [old_heads]
    assert _verify(db, capsys)[0] == 0


def test_paper_entries_are_in_the_trail_only_as_digests(db: Path) -> None:
    """A paper batch's typed entries hold choices until the second entry confirms them: the trail
    records their SHA-256, never the text."""
    con = sqlite3.connect(db)
    datas = [json.loads(d) for (d,) in con.execute("SELECT data FROM audit_event WHERE action = 'paper.enter'")]
    con.close()
    cols = capture.columns(metadata.tables["paper_batch"])
    entries = [row[cols.index(c)] for data in datas for table, op, _key, row in data["changes"]
               if table == "paper_batch" and op != "d" for c in ("entry_a", "entry_b")]
    assert any(entries) and all(e is None or (len(e) == 64 and int(e, 16) >= 0) for e in entries)


def test_a_row_replaced_by_insert_or_replace_is_captured(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """REPLACE removes the row whose unique name conflicts (id 1) and adds id 2: both are in the trail."""
    path = tmp_path / "new.sqlite3"
    store = Store(path)
    try:
        for committee_id in (1, 2):
            with store.write("测试", "committee.test") as tx:
                tx.conn.exec_driver_sql(
                    "INSERT OR REPLACE INTO committee (id, name, level, organized_by, field, filing_date) "
                    "VALUES (?, '某评委会', 'intermediate', 'series', '卫生系列', '2026-01-01')", (committee_id,))
    finally:
        store.close()
    code, out = _verify(path, capsys)
    assert code == 0, out


@pytest.mark.parametrize(("change", "named"), [
    ("INSERT INTO ballot SELECT round_id + 1000, 'ffffffffffffffffffffffffffffffff', choices FROM ballot "
     "WHERE token = (SELECT min(token) FROM ballot)", "ballot box"),
    ("INSERT INTO sealed_ballot (round_id, token, sealed) SELECT id, 'ffffffffffffffffffffffffffffffff', x'00' "
     "FROM ballot_round LIMIT 1", "table sealed_ballot"),
])
def test_a_ballot_of_no_round_or_a_sealed_ballot_of_a_closed_round_is_reported(
        change: str, named: str, db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Neither box is in the trail and the recount looks at closed rounds only: a row slipped in
    under a round that does not exist, or into the sealed box after the close emptied it, was
    reported intact (tests/attacks: insert per table)."""
    _sql(db, change)
    code, out = _verify(db, capsys)
    assert code == 1 and named in out, out
