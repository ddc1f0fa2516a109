"""The documents of a meeting as one use case (会议文书): the committee key, writing, sealing,
registering, archiving (the step-9 archive and the final one, see :mod:`app.services.closing`)
and checking — for the window, the command line and the demo alike.

The committee key (评委会签章密钥) is a PKCS#12 file beside the meeting database, protected
by a passphrase stretched with scrypt (:mod:`app.sealing.keys`: half a second a guess; an older
key file is rewritten so on its first unlock); its root certificate is recorded in the database, and a seal is trusted
through that record only. The key is made by one explicit call, :meth:`DocumentsService.create_key`,
never as a side effect: writing documents without it is refused, and the refusal says to
create the committee key first. With the key, documents can be written sealed (its
passphrase given) or, on request, unsealed.

Importing this module loads no document or signature library (reportlab, openpyxl, pyHanko,
cryptography); they load inside the methods that need them.
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from app.rules.passphrase import PassphraseCheck, check_passphrase, meeting_words, require_strong
from app.sealing.verdict import (
    STATUS_APPENDED,
    STATUS_CERT_NOT_VALID,
    STATUS_CHANGED,
    STATUS_NOT_SIGNED,
    STATUS_OK,
    STATUS_POLICY,
    STATUS_UNKNOWN_SIGNER,
    STATUS_UNREADABLE,
    VerifyReport,
)
from app.services.base import fail
from app.services.document_files import (
    SEALED,
    DocumentsReport,
    Progress,
    WrittenDocument,
    write_all,
)
from app.services.register import DocumentRegister, IssuedDocument
from app.text import bi
from app.views import documents as document_views

if TYPE_CHECKING:
    from cryptography import x509

    from app.sealing.keys import CommitteeKey
    from app.sealing.qrcheck import QrCheck
    from app.sealing.qrfacts import FactsCheck
    from app.services import Conclave

__all__ = [
    "SEALED", "STATUS_APPENDED", "STATUS_CERT_NOT_VALID", "STATUS_CHANGED", "STATUS_NOT_SIGNED", "STATUS_OK",
    "STATUS_POLICY", "STATUS_UNKNOWN_SIGNER", "STATUS_UNREADABLE", "ArchiveReport", "DocumentsReport",
    "DocumentsService", "IssuedDocument", "KeyStatus", "PassphraseCheck", "Progress", "VerifyReport",
    "WrittenDocument", "key_path_for",
]

Passphrase = bytes | str


def key_path_for(db_path: Path) -> Path:
    """The committee key lives beside the meeting database (``<db stem>.committee-key.p12``)."""
    db_path = Path(db_path)
    return db_path.with_name(db_path.stem + ".committee-key.p12")


@dataclass(frozen=True)
class KeyStatus:
    """Is there a committee key, where is (or will be) its file, and the SHA-256 fingerprint of
    the root recorded in the database (None until a key is created)."""

    exists: bool
    path: Path
    root_fingerprint: str | None


@dataclass(frozen=True)
class ArchiveReport:
    """Where the archive was written, and what its documents run wrote (None without documents)."""

    path: Path
    documents: DocumentsReport | None


class DocumentsService:
    """Writing, sealing, registering and checking the documents of a meeting, and the committee key."""

    def __init__(self, services: Conclave) -> None:
        self.services = services     # the read model of the documents is filled from every service
        self.store = services.store
        self._register = DocumentRegister(services.store)

    # -- the committee key --------------------------------------------------------------
    def key_status(self, meeting_id: int) -> KeyStatus:
        committee_id, _ = document_views.committee_of(self.store, meeting_id)
        path = key_path_for(self.store.path)
        pem = document_views.root_pem(self.store, committee_id)
        if pem and not path.exists():
            _finish_pending_key(path, pem)
        return KeyStatus(path.exists(), path, _fingerprint(pem) if pem else None)

    def check_new_key(self, meeting_id: int) -> KeyStatus:
        """Refuse now what :meth:`create_key` would refuse (so nobody types a passphrase in vain)."""
        status = self.key_status(meeting_id)
        if status.exists:
            raise fail("seal.key_exists", bi(
                f"a committee key already exists at {status.path}; it is never replaced: every document "
                "sealed so far is trusted through it",
                f"{status.path}已有评委会签章密钥，不能替换：此前盖章的文书都要靠它核验"))
        if status.root_fingerprint:
            root = status.root_fingerprint[:23]
            raise fail("seal.root", bi(
                f"this committee's key was created before (root SHA-256 {root}…) but its file is not at "
                f"{status.path}: restore it there from its backup",
                f"本评委会已创建过签章密钥（根证书SHA-256 {root}…），但{status.path}没有该文件："
                "请从备份中恢复到该位置"))
        return status

    def passphrase_words(self, meeting_id: int) -> list[str]:
        """The meeting's own words a guesser would try first: the committee, its series, the
        meeting's title, place, year and date, the filing number and the staff."""
        plan = self.services.views.plan(meeting_id)
        return meeting_words([plan.committee, plan.field, plan.title, plan.place, plan.year,
                              plan.meeting_date.isoformat(), plan.meeting_date.strftime("%Y%m%d"),
                              plan.filing_number, plan.secretary, plan.supervisor])

    def passphrase_strength(self, meeting_id: int, passphrase: Passphrase) -> PassphraseCheck:
        """How strong a new key's passphrase is (弱/中/强), by the rule :meth:`create_key` applies:
        the window shows it while the passphrase is typed."""
        return check_passphrase(passphrase, self.passphrase_words(meeting_id))

    def create_key(self, actor: str, meeting_id: int, passphrase: Passphrase) -> KeyStatus:
        """Create the committee key beside the database and record its root (one audit event).
        Refused if a key exists, if the committee already recorded a root, or if the passphrase
        is weak (:func:`app.rules.passphrase.require_strong`, the meeting's own words counted)."""
        status = self.check_new_key(meeting_id)
        require_strong(passphrase, self.passphrase_words(meeting_id))
        from filelock import FileLock, Timeout

        from app.sealing.keys import create_committee_key, root_pem_path_for

        committee_id, committee_name = document_views.committee_of(self.store, meeting_id)
        # Made once, whoever else tries at the same moment (another window, a double click): under a
        # lock beside the key, checked again under it; the key is written under a pending name, its
        # root recorded, and only then renamed into place — a crash leaves no key, or a pending one
        # whose root is recorded, which key_status puts in place (_finish_pending_key).
        lock = FileLock(str(status.path.with_name(status.path.name + ".lock")), timeout=0, thread_local=False)
        try:
            lock.acquire()
        except Timeout:
            raise fail("seal.key_busy", bi(
                f"the committee key at {status.path} is being created right now (another window or program): "
                "nothing was changed; check the key's status in a moment",
                f"{status.path}的评委会签章密钥正在由另一个窗口或程序创建：未作任何更改；请稍后查看密钥状态")) from None
        try:
            status = self.check_new_key(meeting_id)
            pending = _pending_path(status.path)
            key = create_committee_key(committee_name, passphrase, pending, overwrite=True)
            try:
                self._register.store_root(actor, committee_id, key.root_certificate_pem(), key.root_fingerprint(),
                                          action="seal.key.create", path=str(status.path))
            except BaseException:       # no key file without its root in the database
                pending.unlink(missing_ok=True)
                root_pem_path_for(pending).unlink(missing_ok=True)
                raise
            os.replace(root_pem_path_for(pending), root_pem_path_for(status.path))
            os.replace(pending, status.path)
        finally:
            lock.release()
        return KeyStatus(True, status.path, key.root_fingerprint())

    def require_key(self, meeting_id: int) -> KeyStatus:
        """The key status, or a refusal saying to create the committee key (or restore its file) first."""
        status = self.key_status(meeting_id)
        if status.exists:
            return status
        if status.root_fingerprint:
            self.check_new_key(meeting_id)          # says: restore the key file from its backup
        raise fail("documents.no_key", bi(
            f"there is no committee key yet: create the committee key first (it will be kept at {status.path})",
            f"尚未创建评委会签章密钥：请先创建评委会签章密钥（密钥文件将保存在{status.path}）"))

    def _key_for_writing(self, actor: str, meeting_id: int, passphrase: Passphrase | None) -> CommitteeKey | None:
        """The committee key opened with ``passphrase`` (None: documents written unsealed), checked
        against the root recorded in the database before anything is written."""
        status = self.require_key(meeting_id)
        if not passphrase:
            return None
        from app.sealing.keys import load_committee_key

        key = load_committee_key(status.path, passphrase)
        committee_id, _ = document_views.committee_of(self.store, meeting_id)
        recorded = document_views.root_pem(self.store, committee_id)
        if recorded is None:      # a key file restored or carried over from another database
            self._register.store_root(actor, committee_id, key.root_certificate_pem(), key.root_fingerprint())
        elif recorded != key.root_certificate_pem():
            raise fail("seal.root", bi(
                f"the key at {status.path} is not the committee key this meeting recorded; "
                "documents sealed with it would not verify",
                f"{status.path}的密钥不是本会议登记的评委会签章密钥，用它盖章的文书将无法核验"))
        return key

    # -- writing --------------------------------------------------------------------------
    def write(self, actor: str, meeting_id: int, folder: Path, passphrase: Passphrase | None,
              progress: Progress | None = None, *, handouts: bool = True) -> DocumentsReport:
        """Write every document of the meeting into ``folder``, sealed with the committee key when
        ``passphrase`` is given, register them, and check each seal. Refused without a key.
        ``handouts=False`` leaves out each candidate's result sheet in a sealed file of its own (the
        sheets are all in the combined file, and registered there), as the archive of step 9 does:
        on a provincial meeting that is one seal, not 1,500."""
        key = self._key_for_writing(actor, meeting_id, passphrase)
        return self._write(actor, meeting_id, Path(folder), key, progress, handouts=handouts)

    def _write(self, actor: str, meeting_id: int, folder: Path, key: CommitteeKey | None,
               progress: Progress | None, *, handouts: bool = True) -> DocumentsReport:
        roots = self.trust_roots(meeting_id) if key is not None else []
        return write_all(self.services, self._register, actor, meeting_id, folder, key, roots,
                         progress or (lambda _name, _checking: None), handouts=handouts)

    def archive(self, actor: str, meeting_id: int, folder: Path, *, documents: bool,
                passphrase: Passphrase | None = None) -> ArchiveReport:
        """Archive the meeting (归档); with ``documents``, every document is written into the
        archive's ``documents`` folder first, so the manifest covers them. The confidential archive of
        step 9 keeps the meeting's materials (X§10(九)): the combined result sheets, not each
        candidate's sealed copy to hand out — those come with the final archive and ``documents``
        (on a provincial meeting, 1,500 seals saved at step 9)."""
        key = self._key_for_writing(actor, meeting_id, passphrase) if documents else None
        reports: list[DocumentsReport] = []

        def add_documents(target: Path) -> None:
            reports.append(self._write(actor, meeting_id, target / "documents", key, None, handouts=False))

        path = self.services.closing.archive(actor, meeting_id, Path(folder),
                                             add_files=add_documents if documents else None)
        return ArchiveReport(path, reports[0] if reports else None)

    def final_archive(self, actor: str, meeting_id: int, folder: Path,
                      passphrase: Passphrase | None = None) -> ArchiveReport:
        """The final archive (最终归档) of a finished meeting: every document as finally issued —
        the publicity notice, the filing report and the work summary with the rest — written into
        its ``documents`` folder, with the database copy and the record, under one manifest.
        Refused before the meeting is finished or while the publicity's outcome is not recorded;
        a document unchanged since step 9 keeps its id (no new revision)."""
        self.services.closing.check_final_archive(meeting_id)
        key = self._key_for_writing(actor, meeting_id, passphrase)
        reports: list[DocumentsReport] = []

        def add_documents(target: Path) -> None:
            reports.append(self._write(actor, meeting_id, target / "documents", key, None))

        path = self.services.closing.archive(actor, meeting_id, Path(folder), add_files=add_documents, final=True)
        return ArchiveReport(path, reports[0])

    def final_archive_path(self, meeting_id: int) -> Path | None:
        """Where the meeting's latest final archive was written, or None before there is one."""
        from app.services.closing import FINAL_ARCHIVE

        found = document_views.last_archive(self.store, meeting_id, FINAL_ARCHIVE)
        return Path(found) if found else None

    # -- checking -------------------------------------------------------------------------
    def trust_roots(self, meeting_id: int | None = None) -> list[x509.Certificate]:
        """The committee root(s) recorded in the database and vouched for by its audit trail — of the
        meeting's committee, or of every committee in the file: a seal is trusted through them only,
        never through the file itself, nor through a root written into the database around the trail
        (:func:`app.views.documents.vouched_root_pems`)."""
        from cryptography import x509

        committee_id = None if meeting_id is None else document_views.committee_of(self.store, meeting_id)[0]
        pems = document_views.vouched_root_pems(self.store, committee_id)
        if not pems and document_views.root_pems(self.store, committee_id):
            raise fail("seal.root", bi(
                f"the meeting database {self.store.path} holds a committee root that its audit trail does not "
                "vouch for (the trail is broken, or the root was written into the file around it): nothing in "
                "it can be trusted; verify with the root handed out (--trust ROOT.pem)",
                f"会议数据库{self.store.path}中的评委会根证书未经其审计记录证实（审计记录已损坏，或根证书被绕过"
                "系统写入）：不可信；请使用分发的根证书核验（--trust ROOT.pem）"))
        if not pems:
            raise fail("seal.root", bi(
                f"the meeting database {self.store.path} holds no committee root certificate: "
                "the committee key has not been created",
                f"会议数据库{self.store.path}中没有评委会根证书：尚未创建评委会签章密钥"))
        return [x509.load_pem_x509_certificate(pem.encode("ascii")) for pem in pems]

    def export_root(self, meeting_id: int) -> str:
        """The committee root in PEM, as the audit trail vouches for it: what to hand to the HR
        department and every verifier (``conclave key export-root``)."""
        from cryptography.hazmat.primitives import serialization

        return self.trust_roots(meeting_id)[0].public_bytes(serialization.Encoding.PEM).decode("ascii")

    def verify_pdf(self, path: Path, meeting_id: int | None = None) -> VerifyReport:
        """Is this file the one the committee sealed, unchanged, and sealed by this committee?"""
        from app.sealing.verify import verify_pdf

        return verify_pdf(Path(path), self.trust_roots(meeting_id))

    def check_facts_qr(self, text: str) -> FactsCheck:
        """A result sheet's signed QR code (``conclave:2:``): the facts, checked against the QR key the
        vouched root names, and whether a later revision replaced that sheet."""
        import dataclasses

        from app.sealing import qrfacts

        result = qrfacts.check(text, self.trust_roots())
        if result.facts is None:
            return result
        registered = document_views.registered_sha256(self.store, result.facts.doc_id) is not None
        later = document_views.superseded_by(self.store, result.facts.doc_id)
        return dataclasses.replace(result, registered=registered, superseded_by=later)

    def check_qr(self, text: str, meeting_id: int | None = None) -> QrCheck:
        """Does the QR payload read from a paper sheet match a document this database issued?"""
        from app.sealing.qrcheck import check_qr

        register = self._register

        class _Issued:
            def lookup(self, doc_id: str) -> str | None:
                return document_views.registered_sha256(register.store, doc_id, meeting_id)

        return check_qr(text, _Issued())

    def issued(self, meeting_id: int) -> list[IssuedDocument]:
        """Every document and sheet registered for the meeting, by id."""
        return document_views.issued(self.store, meeting_id)


_fingerprint = document_views.pem_fingerprint


def _pending_path(path: Path) -> Path:
    """Where a new key is written before its root is recorded (``<key>.pending``)."""
    return path.with_name(path.name + ".pending")


def _finish_pending_key(path: Path, recorded_pem: str) -> None:
    """A key written and recorded whose rename a crash cut off: put it in place when its root is the
    one recorded (a pending key whose root was never recorded is left; the next creation replaces it)."""
    from app.sealing.keys import root_pem_path_for

    pending = _pending_path(path)
    pending_root = root_pem_path_for(pending)
    try:
        same = pending.exists() and pending_root.read_text(encoding="ascii").strip() == recorded_pem.strip()
    except (OSError, UnicodeDecodeError):
        return
    if same:
        with contextlib.suppress(OSError):
            os.replace(pending_root, root_pem_path_for(path))
            os.replace(pending, path)
