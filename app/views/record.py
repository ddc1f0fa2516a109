"""The meeting as a ``conclave-record/1`` document (spec/meeting-record.md).

This is what the supervisor recounts from the archive with ``conclave recount``:
the engine and the recount apply the same rule functions, so the two always agree
(a property test checks it on random meetings, and on the demo). Ballots are listed
in a canonical order (sorted by their text), never in the order they were cast.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import bindparam, select

from app.rules.levels import plan_caps
from app.storage.schema import ballot
from app.storage.store import Store
from app.views.ballot import rounds_on
from app.views.candidates import candidates_on
from app.views.meeting import committee_on, meeting_row_on, quotas_on
from app.views.panel import panel

#: A round's ballots in the order the record lists them (built once: a record lists every round's).
_BALLOTS = select(ballot.c.choices).where(ballot.c.round_id == bindparam("round_id")).order_by(ballot.c.choices)


def meeting_record(store: Store, meeting_id: int) -> dict[str, Any]:
    """The stored meeting as a record dict, in the format's field order."""
    people = panel(store, meeting_id)
    with store.read() as conn:
        m = meeting_row_on(conn, meeting_id)
        com = committee_on(conn, m.committee_id)
        closed = [r for r in rounds_on(conn, meeting_id) if r.status == "closed"]
        cands = candidates_on(conn, meeting_id)
        quotas = quotas_on(conn, meeting_id)

        def ballots_of(round_id: int) -> list[dict[str, str]]:
            bodies = conn.execute(_BALLOTS, {"round_id": round_id}).scalars()
            return [json.loads(b) for b in bodies]

        first = closed[0] if closed else None
        first_ballots = ballots_of(first.id) if first else []
        runoffs = [{"candidates": list(r.candidates), "ballots": ballots_of(r.id)}
                   for r in closed if r.kind == "runoff"]
    present = set(first.voters) if first else set()
    experts = []
    for p in people:
        if not p.checked_in:
            continue
        e: dict[str, Any] = {"id": p.code, "name": p.name, "unit": p.unit, "role": p.role}
        if p.group:
            e["group"] = p.group
        if p.role == "expert":
            e["present_at_vote"] = p.code in present
        experts.append(e)
    candidates = []
    for c in cands:
        d: dict[str, Any] = {"id": c.code, "name": c.name, "unit": c.unit, "level": c.level}
        if c.id_number:
            d["id_number"] = c.id_number
        if c.group:
            d["group"] = c.group
        d["eligible"] = bool(c.eligible)
        if c.quota_key:
            d["quota_key"] = c.quota_key
        candidates.append(d)
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
    record["ballots"] = first_ballots
    if runoffs:
        record["runoffs"] = runoffs
    return record
