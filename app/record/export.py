"""``conclave export-record``: a stored meeting as a ``conclave-record/1`` file.

The record itself is a view (:func:`app.views.record.meeting_record`); this is the command.

The exported file is what the supervisor recounts from the archive with
``conclave recount``; the engine and the recount apply the same rule functions,
so the two always agree (a test checks it on the demo meeting).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from app.storage.db import require_database
from app.storage.store import Store
from app.views.record import meeting_record


def export_record(store: Store, meeting_id: int) -> dict[str, Any]:
    """The meeting as a record dict (ballots in a canonical order, never the casting order)."""
    return meeting_record(store, meeting_id)


def run(ns: argparse.Namespace) -> int:
    from app.services import Conclave, default_db_path

    path = Path(ns.db) if ns.db else default_db_path()
    require_database(path)
    with Conclave(path, read_only=True) as app:
        mid = app.views.only_meeting(ns.meeting)
        record = export_record(app.store, mid)
    out = Path(ns.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(record, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {out} ({len(record['candidates'])} candidates, {len(record['ballots'])} ballots)")
    return 0
