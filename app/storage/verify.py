"""``conclave verify-db``: is the audit trail of a meeting database intact?"""

from __future__ import annotations

import argparse
from pathlib import Path

from app.storage.audit import verify_chain
from app.storage.db import default_db_path, no_database
from app.storage.store import Store


def run(ns: argparse.Namespace) -> int:
    path = Path(ns.db) if ns.db else default_db_path()
    if not path.exists():
        raise no_database(path)
    store = Store(path, read_only=True)   # beside an open window: no writer lock, no write lock
    try:
        with store.read() as conn:
            report = verify_chain(conn)
    finally:
        store.close()
    if report.intact:
        print(f"intact: {report.events} audit events, head {report.head[:16]}…  ({path})")
        return 0
    print(f"TAMPERED: {report.problem}  ({path})")
    return 1
