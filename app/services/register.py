"""The register under the documents service: the committee's seal root and the issued
documents (文书登记), in the meeting database.

The root certificate is kept in the meeting database so that a sealed PDF can be
checked against the committee — never against anything inside the file itself.
Every document written is registered with the SHA-256 of its canonical content
(what its QR code carries), so a paper sheet can be checked against the archive.
An issued document's digest is never replaced: a corrected document is a new id.

Only :class:`~app.services.documents.DocumentsService` uses this class; it is not
offered on :class:`~app.services.Conclave` on its own. What is registered is read
through :mod:`app.views.documents`.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import insert, select, update

from app.services.base import Store, fail
from app.storage.schema import committee, document
from app.text import bi
from app.views.documents import IssuedDocument

__all__ = ["DocumentRegister", "IssuedDocument"]


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
