"""The register under the documents service: the committee's seal root and the issued
documents (文书登记), in the meeting database.

The root certificate is kept in the meeting database so that a sealed PDF can be
checked against the committee — never against anything inside the file itself.
Every document written is registered with the SHA-256 of its canonical content
(what its QR code carries), so a paper sheet can be checked against the archive.
An issued document's digest is never replaced: a corrected document is a new id.

Only :class:`~app.services.documents.DocumentsService` uses this class; it is not
offered on :class:`~app.services.Conclave` on its own.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import insert, select, update

from app.services.base import Store, fail
from app.storage.schema import committee, document, meeting
from app.text import bi


@dataclass(frozen=True)
class IssuedDocument:
    """One registered document or sheet: its id, kind, the SHA-256 its QR code carries,
    the SHA-256 of the file as written, and where it was written."""

    doc_id: str
    kind: str
    sha256: str
    file_sha256: str | None
    path: str | None


class DocumentRegister:
    """The seal root per committee and the register of issued documents."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def store_root(self, actor: str, committee_id: int, pem: str, fingerprint: str,
                   action: str = "seal.root", **data: object) -> None:
        """Record the committee's root; the same root again is harmless, another is refused."""
        with self.store.write(actor, action, None, committee_id=committee_id,
                              fingerprint=fingerprint, **data) as tx:
            current = tx.conn.execute(select(committee.c.root_pem).where(
                committee.c.id == committee_id)).scalar()
            if current and current != pem:
                raise fail("seal.root", bi("this committee already has a different seal root; "
                                           "a new key would orphan every sealed document",
                                           "本评委会已有不同的签章根证书，更换将使已盖章文书无法验证"))
            tx.conn.execute(update(committee).where(committee.c.id == committee_id).values(root_pem=pem))

    def committee_of(self, meeting_id: int) -> tuple[int, str]:
        """The id and name of the committee holding ``meeting_id`` (whose key seals its documents)."""
        with self.store.read() as conn:
            row = conn.execute(select(committee.c.id, committee.c.name).join(
                meeting, meeting.c.committee_id == committee.c.id).where(meeting.c.id == meeting_id)).first()
        if row is None:
            raise fail("meeting.unknown", bi(f"no meeting with id {meeting_id}", f"没有编号为{meeting_id}的会议"))
        return int(row.id), str(row.name)

    def root_pem(self, committee_id: int) -> str | None:
        """The root recorded for one committee, or None."""
        with self.store.read() as conn:
            return conn.execute(select(committee.c.root_pem).where(committee.c.id == committee_id)).scalar()

    def root_pems(self, committee_id: int | None = None) -> list[str]:
        with self.store.read() as conn:
            query = select(committee.c.root_pem).where(committee.c.root_pem.is_not(None))
            if committee_id is not None:
                query = query.where(committee.c.id == committee_id)
            return list(conn.execute(query).scalars())

    def register(self, actor: str, meeting_id: int, docs: Sequence[IssuedDocument]) -> int:
        """Register documents; re-registering the same content is a no-op, other content refused."""
        with self.store.write(actor, "documents.register", meeting_id,
                              documents=[(d.doc_id, d.sha256) for d in docs]) as tx:
            added = 0
            for d in docs:
                old = tx.conn.execute(select(document.c.sha256).where(document.c.doc_id == d.doc_id)).scalar()
                if old is None:
                    tx.conn.execute(insert(document).values(
                        doc_id=d.doc_id, meeting_id=meeting_id, kind=d.kind, sha256=d.sha256,
                        file_sha256=d.file_sha256, path=d.path))
                    added += 1
                elif old != d.sha256:
                    raise fail("documents.changed", bi(
                        f"document {d.doc_id} was issued with other content; issue a corrected document "
                        "under a new id", f"文书{d.doc_id}已按不同内容印发，更正文书须使用新编号"))
                else:
                    tx.conn.execute(update(document).where(document.c.doc_id == d.doc_id).values(
                        file_sha256=d.file_sha256, path=d.path))
            tx.data["added"] = added
        return added

    def lookup(self, doc_id: str, meeting_id: int | None = None) -> str | None:
        """The registered canonical SHA-256 of ``doc_id`` (the QR check's registry), within
        one meeting when ``meeting_id`` is given."""
        query = select(document.c.sha256).where(document.c.doc_id == doc_id)
        if meeting_id is not None:
            query = query.where(document.c.meeting_id == meeting_id)
        with self.store.read() as conn:
            return conn.execute(query).scalar()

    def documents(self, meeting_id: int) -> list[IssuedDocument]:
        with self.store.read() as conn:
            rows = conn.execute(select(document).where(document.c.meeting_id == meeting_id)
                                .order_by(document.c.doc_id)).all()
        return [IssuedDocument(r.doc_id, r.kind, r.sha256, r.file_sha256, r.path) for r in rows]
