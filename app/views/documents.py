"""The committee's seal root and the register of issued documents (文书登记), as read.

Every document written is registered with the SHA-256 of its canonical content (what
its QR code carries), so a paper sheet can be checked against the archive; the root
certificate recorded for the committee is what a sealed PDF is checked against.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from sqlalchemy import select

from app.storage.schema import audit_event, committee, document, meeting
from app.storage.store import Store
from app.views.meeting import unknown_meeting


@dataclass(frozen=True)
class IssuedDocument:
    """One registered document or sheet: its id, kind, the SHA-256 its QR code carries,
    the SHA-256 of the file as written, and where it was written."""

    doc_id: str
    kind: str
    sha256: str
    file_sha256: str | None
    path: str | None


def committee_of(store: Store, meeting_id: int) -> tuple[int, str]:
    """The id and name of the committee holding ``meeting_id`` (whose key seals its documents)."""
    with store.read() as conn:
        row = conn.execute(select(committee.c.id, committee.c.name).join(
            meeting, meeting.c.committee_id == committee.c.id).where(meeting.c.id == meeting_id)).first()
    if row is None:
        raise unknown_meeting(meeting_id)
    return int(row.id), str(row.name)


def root_pem(store: Store, committee_id: int) -> str | None:
    """The root recorded for one committee, or None."""
    with store.read() as conn:
        return conn.execute(select(committee.c.root_pem).where(committee.c.id == committee_id)).scalar()


def root_pems(store: Store, committee_id: int | None = None) -> list[str]:
    """Every recorded root (of one committee, when given)."""
    query = select(committee.c.root_pem).where(committee.c.root_pem.is_not(None))
    if committee_id is not None:
        query = query.where(committee.c.id == committee_id)
    with store.read() as conn:
        return list(conn.execute(query).scalars())


def registered_sha256(store: Store, doc_id: str, meeting_id: int | None = None) -> str | None:
    """The registered canonical SHA-256 of ``doc_id`` (the QR check's registry), within
    one meeting when ``meeting_id`` is given."""
    query = select(document.c.sha256).where(document.c.doc_id == doc_id)
    if meeting_id is not None:
        query = query.where(document.c.meeting_id == meeting_id)
    with store.read() as conn:
        return conn.execute(query).scalar()


def issued(store: Store, meeting_id: int) -> list[IssuedDocument]:
    """Every document and sheet registered for the meeting, by document id."""
    with store.read() as conn:
        rows = conn.execute(select(document).where(document.c.meeting_id == meeting_id)
                            .order_by(document.c.doc_id)).all()
    return [IssuedDocument(r.doc_id, r.kind, r.sha256, r.file_sha256, r.path) for r in rows]


def last_archive(store: Store, meeting_id: int, action: str) -> str | None:
    """The folder the latest audit event ``action`` (an archive) of the meeting wrote, or None."""
    with store.read() as conn:
        data = conn.execute(select(audit_event.c.data).where(
            audit_event.c.meeting_id == meeting_id, audit_event.c.action == action)
            .order_by(audit_event.c.seq.desc()).limit(1)).scalar()
    return json.loads(data).get("path") if data else None
