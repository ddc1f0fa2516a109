"""``conclave verify-db``: is a meeting database what its audit trail says it is?

Four checks, each naming what it found first:

* the hash chain (:func:`app.storage.audit.verify_chain`): an event changed, inserted or removed;
* the heads file beside the database (:mod:`app.storage.heads`): the trail cut short, rewritten
  from the start, or extended outside Conclave;
* every covered table rebuilt from the trail and compared (:mod:`app.storage.replay`): a row
  changed, inserted, deleted or moved — naming the table, the row and the column;
* every closed round's ballot box recounted against its closing event.

``--against ARCHIVE`` compares the database with an archived copy (the step-9 or final archive
folder, or a ``.zip`` of it): the archive's ``MANIFEST.sha256`` must match its files, the archived
database must itself be intact, and its trail must be the start of this one, event for event — a
trail rewritten since the archive was made differs at the first event it rewrote.

Exit status 0: intact; 1: tampered (the first problem is printed, in English and Chinese).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sqlite3
import tempfile
import zipfile
from contextlib import closing
from pathlib import Path

from app.storage.db import default_db_path, no_database
from app.storage.health import Health, check_connection, check_file, read_only_uri
from app.storage.store import Store
from app.text import Bilingual, bi

ARCHIVED_DB = "meeting.sqlite3"
MANIFEST = "MANIFEST.sha256"


def check(path: Path) -> Health:
    """The full check of the database at ``path`` (read-only: no writer lock, no write lock)."""
    store = Store(path, read_only=True)   # beside an open window
    try:
        with store.read() as conn:
            return check_connection(conn, path=path, deep=True, heads_required=True)
    finally:
        store.close()


def run(ns: argparse.Namespace) -> int:
    path = Path(ns.db) if ns.db else default_db_path()
    if not path.exists():
        raise no_database(path)
    health = check(path)
    if not health.ok:
        problem = health.problems[0]
        print(f"TAMPERED: {problem} | {getattr(problem, 'zh', problem)}  ({path})")
        return 1
    against = getattr(ns, "against", None)
    if against:
        found = compare_with_archive(path, Path(against))
        if found is not None:
            print(f"TAMPERED: {found} | {found.zh}  ({path} against {against})")
            return 1
    note = "" if health.replayed else "; the trail predates the recording of changes: tables not replayed"
    anchored = f", matches the archive {against}" if against else ""
    print(f"intact: {health.events} audit events, head #{health.head_seq} {health.head[:16]}…{anchored}{note}  "
          f"({path})")
    return 0


#: The audit actions that record an archive with its manifest (app.services.closing).
ARCHIVE_ACTIONS = ("meeting.archive", "meeting.archive.final")


def compare_with_archive(path: Path, archive: Path) -> Bilingual | None:
    """None when the archive is intact and its trail is the start of the database's; else why not."""
    if not archive.exists():
        return bi(f"no archive at {archive}", f"{archive}处没有归档")
    if archive.is_file() and zipfile.is_zipfile(archive):
        with tempfile.TemporaryDirectory(prefix="conclave-against-") as tmp:
            with zipfile.ZipFile(archive) as z:
                z.extractall(tmp)
            roots = [p.parent for p in Path(tmp).rglob(MANIFEST)]
            if len(roots) != 1:
                return bi(f"{archive} holds no single archive folder with a {MANIFEST}",
                          f"{archive}中没有唯一一个含{MANIFEST}的归档文件夹")
            return _compare_folder(path, roots[0])
    return _compare_folder(path, archive)


def _compare_folder(path: Path, folder: Path) -> Bilingual | None:
    manifest = folder / MANIFEST
    if not manifest.is_file():
        return bi(f"{folder} has no {MANIFEST}: not an archive folder", f"{folder}中没有{MANIFEST}：不是归档文件夹")
    listed: dict[str, str] = {}
    for line in manifest.read_text(encoding="utf-8").splitlines():
        digest, _, name = line.partition("  ")
        if name:
            listed[name] = digest
    for name, digest in listed.items():
        file = folder / name
        if not file.is_file():
            return bi(f"the archive's file {name} is missing", f"归档中的文件{name}缺失")
        if hashlib.sha256(file.read_bytes()).hexdigest() != digest:
            return bi(f"the archive's file {name} does not match its manifest (changed since archived)",
                      f"归档中的文件{name}与其清单（{MANIFEST}）不符（归档后被改动）")
    copy = folder / ARCHIVED_DB
    if ARCHIVED_DB not in listed or not copy.is_file():
        return bi(f"the archive holds no database copy ({ARCHIVED_DB}) under its manifest",
                  f"归档中没有列入清单的数据库副本（{ARCHIVED_DB}）")
    archived = check_file(copy, full=False, deep=True, heads_required=True)
    if not archived.ok:
        return bi(f"the archived database is not intact: {archived.problems[0]}",
                  f"归档的数据库副本不完整：{getattr(archived.problems[0], 'zh', archived.problems[0])}")
    with closing(sqlite3.connect(read_only_uri(copy), uri=True)) as old, \
            closing(sqlite3.connect(read_only_uri(path), uri=True)) as live:
        old_chain = old.execute("SELECT seq, action, hash FROM audit_event ORDER BY seq").fetchall()
        live_chain = dict((s, (a, h)) for s, a, h in live.execute("SELECT seq, action, hash FROM audit_event"))
        recorded = [json.loads(d).get("manifest") for (d,) in live.execute(
            "SELECT data FROM audit_event WHERE action IN (?, ?)", ARCHIVE_ACTIONS)]
    for seq, action, digest in old_chain:
        found = live_chain.get(seq)
        if found is None:
            return bi(f"the database's trail ends before event #{seq} ({action}) of the archived copy: "
                      "events were removed since the archive was made",
                      f"数据库的审计日志在归档副本的第{seq}号事件（{action}）之前就结束了：归档后有事件被删除")
        if found[1] != digest:
            return bi(f"event #{seq} differs from the archived copy's (archived: {action}, {digest[:16]}…; "
                      f"now: {found[0]}, {found[1][:16]}…): the trail was rewritten since the archive was made",
                      f"第{seq}号事件与归档副本不符（归档：{action}，{digest[:16]}…；现在：{found[0]}，"
                      f"{found[1][:16]}…）：归档后审计日志被重写")
    # The archive is made before the event that records it (with its manifest), so the archived copy
    # cannot hold that event; the live trail must — else events were cut off after the archive.
    if listed not in recorded:
        return bi("the event that recorded this archive (its manifest) is not in the database's trail: "
                  "events were removed since the archive was made",
                  "数据库的审计日志中没有记载本归档（及其清单）的事件：归档后有事件被删除")
    return None
