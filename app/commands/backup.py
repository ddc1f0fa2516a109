"""``conclave backup`` and ``conclave restore``: one encrypted file holding the whole meeting.

    conclave backup --db PATH --out FILE [--force]     the database, committee key and archive
    conclave restore FILE --db PATH [--force]           checked first, then put in place

A thin command over :mod:`app.services.backup` — the calls the window's File menu makes. The
passphrase comes from ``--passphrase-file``, else ``$CONCLAVE_PASSPHRASE``, else it is asked at
the terminal (twice for a new backup), as for the other commands. A restore never deletes the
meeting it replaces: it is kept as ``<db>.before-restore-<time>``. Restoring a *different*
meeting's backup over an existing one is refused unless ``--force`` (the restored meeting is
named by its committee, title and id, and the hash of its first audit event). Every refusal —
not a backup, damaged, truncated, wrong passphrase, another meeting — is one line, exit 2, and
leaves the files as they were.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path

from app.errors import RuleViolation
from app.rules.passphrase import MIN_LENGTH, require_strong
from app.sealing.keys import passphrase_from
from app.services import Conclave
from app.services.backup import restore
from app.storage.db import default_db_path, require_database
from app.text import bi


def run(ns: argparse.Namespace) -> int:
    path = Path(ns.db) if ns.db else default_db_path()
    if ns.command == "restore":
        return _restore(Path(ns.file), path, ns)
    require_database(path)
    out = Path(ns.out)
    with Conclave(path) as app:
        if out.exists() and not ns.force:     # refused before anybody types a passphrase
            raise RuleViolation.single("backup.exists", bi(
                f"{out} already exists; choose a new file name, or --force to replace it (nothing was written)",
                f"{out}已存在；请另选文件名，或用 --force 替换（未写入任何内容）"))
        passphrase = passphrase_from(ns) or _ask_new(app)
        report = app.backups.backup(out, passphrase, replace=ns.force)
    state = "intact" if report.health.ok else "NOT INTACT: " + "; ".join(report.health.problems)
    print(f"backup written (已写入备份): {report.path}  ({report.size:,} bytes, {report.files} files)")
    for meeting in report.meetings:
        print(f"  meeting (会议): {meeting}")
    print(f"  audit trail (审计日志): {report.events} events, {state}")
    print("  Keep the passphrase apart from the backup: without it the backup cannot be restored.\n"
          "  口令请与备份分开保管：没有口令无法恢复。")
    return 0 if report.health.ok else 1


def _ask_new(app: Conclave) -> bytes:
    """The backup's passphrase typed twice at the terminal; a weak one refused before it is asked again."""
    if not sys.stdin.isatty():
        raise _no_passphrase()
    meetings = app.views.meetings()
    words = app.documents.passphrase_words(meetings[0].id) if meetings else []
    print(f"At least {MIN_LENGTH} characters, hard to guess; keep it apart from the backup.\n"
          f"至少{MIN_LENGTH}个字符，不易被猜到；请与备份分开保管。", file=sys.stderr)
    first = getpass.getpass("backup passphrase (备份口令): ")
    require_strong(first, words)
    if getpass.getpass("the same passphrase again (再次输入备份口令): ") != first:
        raise RuleViolation.single("backup.passphrase", bi("the two passphrases differ; nothing was written",
                                                           "两次输入的口令不一致，未写入任何内容"))
    return first.encode("utf-8")


def _no_passphrase() -> RuleViolation:
    return RuleViolation.single("backup.passphrase", bi(
        "no passphrase: give --passphrase-file FILE or set $CONCLAVE_PASSPHRASE",
        "未提供口令：请使用 --passphrase-file 文件，或设置 $CONCLAVE_PASSPHRASE"))


def _restore(backup: Path, db: Path, ns: argparse.Namespace) -> int:
    passphrase = passphrase_from(ns)
    if passphrase is None:
        if not sys.stdin.isatty():
            raise _no_passphrase()
        passphrase = getpass.getpass("backup passphrase (备份口令): ").encode("utf-8")
    report = restore(backup, db, passphrase, force=ns.force)
    print(f"restored (已恢复): {report.db}  (backup of {report.created})")
    for meeting in report.meetings:
        print(f"  meeting (会议): {meeting}")
    print(f"  audit trail (审计日志): {report.events} events, intact; database integrity_check ok")
    for kept in report.kept:
        print(f"  kept the previous file (原文件已保留): {kept}")
    return 0
