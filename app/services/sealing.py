"""The committee's seal root and the register of issued documents (文书登记).

The root certificate is kept in the meeting database so that a sealed PDF can be
checked against the committee — never against anything inside the file itself.
Every document written is registered with the SHA-256 of its canonical content
(what its QR code carries), so a paper sheet can be checked against the archive.
An issued document's digest is never replaced: a corrected document is a new id.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import insert, select, update

from app.services.base import Store, fail
from app.storage.schema import committee, document
from app.text import bi


@dataclass(frozen=True)
class IssuedDocument:
    doc_id: str
    kind: str
    sha256: str
    file_sha256: str | None
    path: str | None


class SealingService:
    def __init__(self, store: Store) -> None:
        self.store = store

    def store_root(self, actor: str, committee_id: int, pem: str, fingerprint: str) -> None:
        with self.store.write(actor, "seal.root", None, committee_id=committee_id,
                              fingerprint=fingerprint) as tx:
            current = tx.conn.execute(select(committee.c.root_pem).where(
                committee.c.id == committee_id)).scalar()
            if current and current != pem:
                raise fail("seal.root", bi("this committee already has a different seal root; "
                                           "a new key would orphan every sealed document",
                                           "本评委会已有不同的签章根证书，更换将使已盖章文书无法验证"))
            tx.conn.execute(update(committee).where(committee.c.id == committee_id).values(root_pem=pem))

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

    def lookup(self, doc_id: str) -> str | None:
        """The registered canonical SHA-256 of ``doc_id`` (the QR check's registry)."""
        with self.store.read() as conn:
            return conn.execute(select(document.c.sha256).where(document.c.doc_id == doc_id)).scalar()

    def documents(self, meeting_id: int) -> list[IssuedDocument]:
        with self.store.read() as conn:
            rows = conn.execute(select(document).where(document.c.meeting_id == meeting_id)
                                .order_by(document.c.doc_id)).all()
        return [IssuedDocument(r.doc_id, r.kind, r.sha256, r.file_sha256, r.path) for r in rows]
