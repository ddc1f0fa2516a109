"""``conclave documents``: every document of a stored meeting, sealed and registered.

A thin command over :meth:`app.services.documents.DocumentsService.write` — the same call
the wizard's documents dialog and archive step make. The committee key must exist first
(``conclave key create --db PATH``); without it nothing is written and the command says how
to create it. The key's passphrase comes from ``--passphrase-file``, else
``$CONCLAVE_PASSPHRASE``, else it is asked; with none the documents are written unsealed.
A paper that prints a date in a year the working-day calendar does not know is listed as
skipped with that year and where to enter it (``conclave calendar import``, or ``--calendar
FILE`` for this run); every other paper is written.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path

from app.errors import RuleViolation
from app.sealing.keys import passphrase_from
from app.services import Conclave
from app.services.documents import SEALED
from app.storage.db import default_db_path, require_database
from app.text import bi, in_chinese


def run(ns: argparse.Namespace) -> int:
    from app.commands.calendar import run_calendar

    path = Path(ns.db) if ns.db else default_db_path()
    require_database(path)
    calendar = run_calendar(ns)            # --calendar FILE: its years for this run (not stored)
    with Conclave(path, calendar) as app:
        mid = app.views.only_meeting(ns.meeting)
        status = app.documents.key_status(mid)
        if not status.exists and status.root_fingerprint is None:
            raise RuleViolation.single("documents.no_key", bi(
                f"there is no committee key for {path} yet: create the committee key first, with\n"
                f"    conclave key create --db {path}",
                f"{path}尚未创建评委会签章密钥：请先创建评委会签章密钥：\n    conclave key create --db {path}"))
        app.documents.require_key(mid)          # a key file that went missing: restore it first
        passphrase = passphrase_from(ns)
        if passphrase is None and sys.stdin.isatty():
            passphrase = getpass.getpass("committee key passphrase (评委会签章口令): ").encode("utf-8") or None
        actor = app.views.acting_secretary(mid)
        result = app.documents.write(actor, mid, Path(ns.out), passphrase)
    for doc in result.written:
        seal = ""
        if doc.sealed:
            seal = "  (sealed, seal intact)" if doc.verdict and doc.verdict.ok else "  (sealed, SEAL BROKEN)"
        unit = ("page" if doc.is_pdf else "row") + ("" if doc.size == 1 else "s")
        print(f"  {doc.path.name:<28} {doc.size:>4} {unit}{seal}")
    for kind, reason in result.skipped:
        print(f"  skipped {kind}: {in_chinese(reason)}")
    for line in result.missing_glyphs:
        print(f"  MISSING GLYPH {line}")
    if result.fonts_notice:
        print(f"  fonts: {in_chinese(result.fonts_notice)}")
    revision = (f" (new revision of {', '.join(result.revised)}: what they print changed since last issued)"
                if result.revised else "")
    print(f"{len(result.written)} documents in {result.folder}; {result.registered} newly registered{revision}")
    broken = [d for d in result.written if d.kind in SEALED and d.sealed and not (d.verdict and d.verdict.ok)]
    return 0 if not result.missing_glyphs and not broken else 1
