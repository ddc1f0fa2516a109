"""The committee's seal root and the register of issued documents (文书登记), as read.

Every document written is registered with the SHA-256 of its canonical content (what
its QR code carries), so a paper sheet can be checked against the archive; the root
certificate recorded for the committee is what a sealed PDF is checked against.
"""

from __future__ import annotations

import hashlib
import json
import re
import ssl
from dataclasses import dataclass

from sqlalchemy import select

from app.storage.audit import verify_chain
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


ROOT_EVENTS = ("seal.key.create", "seal.root")
"""The audit events that record a committee's seal root, with its SHA-256 in ``fingerprint``."""


def vouched_root_pems(store: Store, committee_id: int | None = None) -> list[str]:
    """The recorded roots the audit trail vouches for: a committee's root counts only when the
    trail is intact and the latest event that recorded a root for that committee names this
    root's SHA-256. A root written into the database by other means is not trusted: the table
    itself is no protection, the hash-chained trail is (and whoever changes a root through
    Conclave leaves that change in the trail, where ``verify-db`` and the printed fingerprint
    show it)."""
    with store.read() as conn:
        if not verify_chain(conn).intact:
            return []
        query = select(committee.c.id, committee.c.root_pem).where(committee.c.root_pem.is_not(None))
        if committee_id is not None:
            query = query.where(committee.c.id == committee_id)
        rows = conn.execute(query).all()
        events = conn.execute(select(audit_event.c.data).where(audit_event.c.action.in_(ROOT_EVENTS))
                              .order_by(audit_event.c.seq)).scalars().all()
    latest: dict[int, str] = {}
    for raw in events:
        data = json.loads(raw)
        if isinstance(data, dict) and isinstance(data.get("committee_id"), int):
            latest[data["committee_id"]] = str(data.get("fingerprint", ""))
    vouched = []
    for row in rows:
        try:
            if latest.get(row.id) == pem_fingerprint(row.root_pem):
                vouched.append(str(row.root_pem))
        except ValueError:                  # not a certificate: vouched for by nothing
            continue
    return vouched


def pem_fingerprint(pem: str) -> str:
    """``AB:CD:…`` SHA-256 of a PEM certificate, without loading cryptography."""
    return ":".join(f"{b:02X}" for b in hashlib.sha256(ssl.PEM_cert_to_DER_cert(pem)).digest())


def superseded_by(store: Store, doc_id: str) -> str | None:
    """The id of the latest revision that replaced ``doc_id`` (``<meeting>-rN.<rest>``), or None
    when it is the latest one registered (or not registered at all)."""
    match = re.fullmatch(r"(?P<base>[^.]+?)(?:-r(?P<rev>\d+))?(?P<rest>\..+)", doc_id)
    if match is None:
        return None
    base, rest, rev = match["base"], match["rest"], int(match["rev"] or 1)
    with store.read() as conn:
        ids = conn.execute(select(document.c.doc_id).where(document.c.doc_id.like(f"{base}-r%{rest}"))).scalars()
        later = []
        for other in ids:
            found = re.fullmatch(rf"{re.escape(base)}-r(\d+){re.escape(rest)}", other)
            if found and int(found[1]) > rev:
                later.append((int(found[1]), other))
    return max(later)[1] if later else None
