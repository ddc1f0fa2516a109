"""``conclave export-record``: a stored meeting as a ``conclave-record/1`` file.

The exported file is what the supervisor recounts from the archive with
``conclave recount``; the engine and the recount apply the same rule functions,
so the two always agree (a test checks it on the demo meeting).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from sqlalchemy import select

from app.errors import RuleViolation
from app.rules.levels import plan_caps
from app.services.base import Store, meeting_row
from app.storage.db import default_db_path
from app.storage.schema import ballot, ballot_round, candidate, committee, member, quota


def export_record(store: Store, meeting_id: int) -> dict[str, Any]:
    """The meeting as a record dict (ballots in a canonical order, never the casting order)."""
    with store.read() as conn:
        m = meeting_row(conn, meeting_id)
        com = conn.execute(select(committee).where(committee.c.id == m.committee_id)).one()
        rounds = conn.execute(select(ballot_round).where(
            ballot_round.c.meeting_id == meeting_id, ballot_round.c.status == "closed")
            .order_by(ballot_round.c.number)).all()
        first = rounds[0] if rounds else None
        present = set(first.voters) if first else set()
        experts = []
        for r in conn.execute(select(member).where(member.c.meeting_id == meeting_id,
                                                   member.c.checked_in.is_(True)).order_by(member.c.id)):
            e: dict[str, Any] = {"id": r.code, "name": r.name, "unit": r.unit, "role": r.role}
            if r.group_code:
                e["group"] = r.group_code
            if r.role == "expert":
                e["present_at_vote"] = r.code in present
            experts.append(e)
        candidates = []
        for c in conn.execute(select(candidate).where(candidate.c.meeting_id == meeting_id)
                              .order_by(candidate.c.id)):
            d: dict[str, Any] = {"id": c.code, "name": c.name, "unit": c.unit, "level": c.level}
            if c.id_number:
                d["id_number"] = c.id_number
            if c.group_code:
                d["group"] = c.group_code
            d["eligible"] = bool(c.eligible)
            if c.quota_key:
                d["quota_key"] = c.quota_key
            candidates.append(d)
        quotas = {r.key: r.places for r in conn.execute(select(quota).where(quota.c.meeting_id == meeting_id))}

        def ballots_of(round_id: int) -> list[dict[str, str]]:
            bodies = conn.execute(select(ballot.c.choices).where(ballot.c.round_id == round_id)
                                  .order_by(ballot.c.choices)).scalars()
            return [json.loads(b) for b in bodies]

        meeting_doc: dict[str, Any] = {
            "vote_date": (m.vote_date or m.meeting_date).isoformat(),
            "reduced_panel_approved": bool(m.reduced_panel_approved),
            # the caps applied, defaults included, so the record states them all
            "pass_rate_caps": {k: float(v) for k, v in plan_caps(m.caps).items()},
        }
        if m.publicity_start:
            meeting_doc["publicity_start"] = m.publicity_start.isoformat()
        record: dict[str, Any] = {
            "format": "conclave-record/1",
            "committee": {"name": com.name, "level": com.level, "organized_by": com.organized_by},
            "meeting": meeting_doc,
            "experts": experts,
            "candidates": candidates,
        }
        if quotas:
            record["quotas"] = quotas
        record["ballots"] = ballots_of(first.id) if first else []
        runoffs = [{"candidates": list(r.candidates), "ballots": ballots_of(r.id)}
                   for r in rounds if r.kind == "runoff"]
        if runoffs:
            record["runoffs"] = runoffs
    return record


def run(ns: argparse.Namespace) -> int:
    from app.services import Conclave

    path = Path(ns.db) if ns.db else default_db_path()
    if not path.exists():
        raise RuleViolation.single("storage.missing", f"no meeting database at {path}")
    with Conclave(path) as app:
        mid = app.queries.only_meeting(ns.meeting)
        record = export_record(app.store, mid)
    out = Path(ns.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(record, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {out} ({len(record['candidates'])} candidates, {len(record['ballots'])} ballots)")
    return 0
