"""``conclave key``: the committee key (评委会签章密钥) of a meeting database.

    conclave key create --db PATH     create it once, before the first documents
    conclave key status --db PATH     is there one, where, and its root's fingerprint
    conclave key export-root --db PATH --out ROOT.pem
                                      the root to hand out: verifiers trust it, not the database

A thin command over :class:`app.services.documents.DocumentsService`. The new key's
passphrase comes from ``--passphrase-file``, else ``$CONCLAVE_PASSPHRASE``, else it is
asked twice at the terminal. A weak passphrase is refused, with what to do, by the rule the
window applies too (:mod:`app.rules.passphrase`: at least 10 characters, hard to guess; at the
terminal before it is asked again). The key file is written beside the database; it must be
kept and backed up (with the passphrase kept apart): without it no further document can be
sealed, and a new key would not verify the documents sealed so far.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Callable
from pathlib import Path

from app.errors import RuleViolation
from app.rules.passphrase import MIN_LENGTH, require_strong
from app.sealing.keys import passphrase_from
from app.services import Conclave
from app.storage.db import default_db_path, require_database
from app.text import bi


def ask_new_passphrase(check: Callable[[str], object] | None = None) -> bytes:
    """The new passphrase typed twice at the terminal; refused if empty, weak (``check``, called
    before it is asked again) or if the two differ."""
    if not sys.stdin.isatty():
        raise RuleViolation.single("seal.passphrase", bi(
            "no passphrase: give --passphrase-file FILE or set $CONCLAVE_PASSPHRASE",
            "未提供签章口令：请使用 --passphrase-file 文件，或设置 $CONCLAVE_PASSPHRASE"))
    print(f"At least {MIN_LENGTH} characters, hard to guess: three or four unrelated words with a number.\n"
          f"至少{MIN_LENGTH}个字符，不易被猜到：由三四个互不相关的词组成，夹杂数字。", file=sys.stderr)
    first = getpass.getpass("new committee key passphrase (新的评委会签章口令): ")
    if not first:
        raise RuleViolation.single("seal.passphrase", bi("the key passphrase must not be empty",
                                                         "签章口令不能为空"))
    if check is not None:
        check(first)
    second = getpass.getpass("the same passphrase again (再次输入签章口令): ")
    if first != second:
        raise RuleViolation.single("seal.passphrase", bi("the two passphrases differ; nothing was created",
                                                         "两次输入的签章口令不一致，未创建密钥"))
    return first.encode("utf-8")


def run(ns: argparse.Namespace) -> int:
    path = Path(ns.db) if ns.db else default_db_path()
    require_database(path)
    with Conclave(path) as app:
        mid = app.views.only_meeting(ns.meeting)
        if ns.action == "export-root":
            from app.sealing.keys import write_atomically

            pem = app.documents.export_root(mid)
            write_atomically(Path(ns.out), pem.encode("ascii"), mode=0o644)
            print(f"committee root written (已导出评委会根证书): {ns.out}")
            print(f"  root SHA-256 (根证书指纹): {app.documents.key_status(mid).root_fingerprint}")
            return 0
        if ns.action == "status":
            status = app.documents.key_status(mid)
            print(f"committee key (评委会签章密钥): {status.path} — {'present' if status.exists else 'MISSING'}")
            print(f"  root SHA-256 (根证书指纹): {status.root_fingerprint or '— (no key created yet)'}")
            return 0 if status.exists else 1
        app.documents.check_new_key(mid)         # refused before anybody types a passphrase
        words = app.documents.passphrase_words(mid)
        passphrase = passphrase_from(ns) or ask_new_passphrase(lambda typed: require_strong(typed, words))
        status = app.documents.create_key(app.views.acting_secretary(mid), mid, passphrase)
    print(f"committee key created (已创建评委会签章密钥): {status.path}")
    print(f"  root SHA-256 (根证书指纹): {status.root_fingerprint}")
    print("  Keep this file and back it up, with the passphrase kept apart: without them no further\n"
          "  document can be sealed, and a new key would not verify the documents sealed so far.\n"
          "  请妥善保管并备份此文件，口令另行保管：二者缺一则无法再盖章，新密钥也无法核验此前盖章的文书。")
    return 0
