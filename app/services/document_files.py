"""Writing every document of a meeting into a folder: the part of the documents service
that makes files (PDF and Excel), seals them, registers them and checks each seal.

The read model comes from the database (``app.documents.from_db.build_report``); each
document is written into a staging folder, the minutes and the result sheets are sealed
with the committee key, and every document and sheet is registered with the SHA-256 its
QR code carries. Files appear in the target folder only once the register has accepted
them. Unchanged content keeps its document ids; changed content (a correction) is issued
as the next revision (``…-r2``), never over what was issued. A document that cannot be
made yet — the filing report before the publicity outcome is known, a ballot before the
vote — is listed as skipped with the reason, never silently dropped.

reportlab, openpyxl, pyHanko and cryptography are imported inside the functions, so
importing this module (the window does, through :mod:`app.services`) loads none of them.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import re
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.errors import RuleViolation
from app.sealing.verdict import VerifyReport
from app.services.register import DocumentRegister, IssuedDocument
from app.text import bi
from app.views import documents as document_views

if TYPE_CHECKING:
    from cryptography import x509

    from app.documents.layout import DocumentResult
    from app.documents.model import MeetingReport
    from app.sealing.keys import CommitteeKey
    from app.services import Conclave

SEALED = frozenset({"minutes", "result-sheets", "result-sheet"})
"""The documents that carry the committee's seal."""

SEAL_REASONS = {"minutes": "评审会议记录定稿", "result-sheets": "评审结论汇总打印件",
                "result-sheet": "评审结论"}
"""Why each kind is sealed (the signature's reason a viewer shows), after the committee's name."""

SHEET_FILE = "02_评审结论_{id}_{name}.pdf"
"""One candidate's result sheet, sealed on its own: it can be handed out or filed alone."""

Progress = Callable[[str, bool], None]
"""``progress(file name, checking)``: writing a file (False), or checking its seal (True)."""


@dataclass
class WrittenDocument:
    """One written file: its kind (``minutes``…), where it is, its pages (PDF) or rows (Excel),
    whether it was sealed, and the check of its seal against the committee root."""

    kind: str
    path: Path
    size: int
    sealed: bool = False
    verdict: VerifyReport | None = None

    @property
    def is_pdf(self) -> bool:
        return self.path.suffix.lower() == ".pdf"


@dataclass
class DocumentsReport:
    """What one run wrote, what it could not write (or seal) and why, and any glyph the fonts lack."""

    folder: Path
    written: list[WrittenDocument] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)          # (kind, reason)
    missing_glyphs: list[str] = field(default_factory=list)
    registered: int = 0
    revision: int = 1
    issued: list[IssuedDocument] = field(default_factory=list)


def write_all(services: Conclave, register: DocumentRegister, actor: str, meeting_id: int, folder: Path,
              key: CommitteeKey | None, roots: list[x509.Certificate], progress: Progress) -> DocumentsReport:
    """Write, seal (when ``key`` is given) and register every document, then check each seal
    against ``roots``; see the module docstring for revisions and staging."""
    from app.documents.from_db import build_report

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    base = build_report(services.views, services.calendar, meeting_id)
    committee_id, _ = document_views.committee_of(register.store, meeting_id)
    pem = document_views.root_pem(register.store, committee_id)
    if pem:                     # the anchor printed on the minutes, the result sheets and the filing report
        base = dataclasses.replace(base, root_fingerprint=pem_fingerprint(pem))
    revision = _latest_revision(register, meeting_id, base.meeting.id)
    while True:
        report = base if revision == 1 else dataclasses.replace(
            base, meeting=dataclasses.replace(base.meeting, id=f"{base.meeting.id}-r{revision}"))
        staging = Path(tempfile.mkdtemp(prefix=".incoming-", dir=folder))
        try:
            out = _write(report, staging, key, progress)
            out.issued = [dataclasses.replace(doc, path=str(folder / Path(doc.path).name)) if doc.path else doc
                          for doc in out.issued]          # where the files will be, not the staging folder
            try:
                out.registered = register.register(actor, meeting_id, out.issued)
            except RuleViolation as exc:
                if exc.rule != "documents.changed":
                    raise
                revision += 1
                continue
            for doc in out.written:
                doc.path = doc.path.replace(folder / doc.path.name)
            out.folder, out.revision = folder, revision
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        _check_seals(out, roots, progress)
        return out


def _latest_revision(register: DocumentRegister, meeting_id: int, base_id: str) -> int:
    revisions = [1]
    for doc in document_views.issued(register.store, meeting_id):
        match = re.match(rf"{re.escape(base_id)}-r(\d+)\.", doc.doc_id)
        if match:
            revisions.append(int(match.group(1)))
    return max(revisions)


def _jobs(report: MeetingReport, sign: Callable[[bytes], bytes] | None = None
          ) -> list[tuple[str, str, Callable[[Path], Any]]]:
    """(kind, file name, make) for every document of the meeting, in the order of the archive;
    ``sign`` is the committee's QR key, which signs the facts in the result sheets' codes."""
    from app import documents as d

    jobs: list[tuple[str, str, Callable[[Path], Any]]] = [
        ("minutes", "01_会议纪要.pdf", lambda p: d.make_minutes(report, p)),
        ("result-sheets", "02_评审结论.pdf", lambda p: d.make_result_sheets(report, p, sign=sign)),
        ("vote-summary", "03_投票表决汇总表.pdf", lambda p: d.make_vote_summary(report, p)),
        ("commitment-letters", "04_评委承诺书.pdf", lambda p: d.make_commitment_letters(report, p)),
        ("check-in", "05_签到表.pdf", lambda p: d.make_checkin_sheet(report, p)),
        ("publicity", "06_公示.pdf", lambda p: d.make_publicity_notice(report, p)),
        ("filing-report", "07_备案报告.pdf", lambda p: d.make_filing_report(report, p)),
        ("work-summary", "08_工作总结.pdf", lambda p: d.make_work_summary(report, p)),
        ("honoraria", "09_评审专家劳务费.pdf", lambda p: d.make_honoraria_sheet(report, p)),
        ("roster", "10_申报人花名册.xlsx", lambda p: d.make_roster_xlsx(report, p)),
        ("vote-summary-xlsx", "11_投票表决汇总表.xlsx", lambda p: d.make_vote_summary_xlsx(report, p)),
    ]
    for rd in report.rounds:
        n = rd.number
        jobs.append((f"ballots-{n}", f"20_表决票_第{n}轮.pdf", functools.partial(_ballots, report, n)))
        jobs.append((f"tally-{n}", f"21_计票单_第{n}轮.pdf", functools.partial(_tally, report, n)))
    return jobs


def _write(report: MeetingReport, folder: Path, key: CommitteeKey | None, progress: Progress) -> DocumentsReport:
    out = DocumentsReport(folder)
    if not report.rounds:
        out.skipped.append(("ballots", bi("no ballot round has been opened yet", "尚未开始任何一轮表决")))
    qr_key = key.qr_key() if key is not None else None
    sign = qr_key.sign if qr_key is not None else None
    for kind, name, make in _jobs(report, sign):
        progress(name, False)
        path = folder / name
        try:
            result = make(path)
        except RuleViolation as exc:
            out.skipped.append((kind, exc.violations[0].message))    # bilingual: shown in the reader's language
            continue
        sealed = kind in SEALED and key is not None
        if kind in SEALED and key is None:
            out.skipped.append((f"{kind} seal", bi("no passphrase given: written unsealed",
                                                   "未提供签章口令，已生成但未盖章")))
        if sealed:
            assert key is not None
            # the combined print file is sealed without a visible seal: each sheet's own file carries it
            _seal(report, key, path, kind, None if kind == "result-sheets" else ...)
        file_sha = hashlib.sha256(path.read_bytes()).hexdigest()
        size = int(getattr(result, "pages", None) or getattr(result, "rows", 0) or 0)
        out.written.append(WrittenDocument(kind, path, size, sealed))
        out.issued.append(IssuedDocument(result.doc_id, kind, result.sha256, file_sha, str(path)))
        own = _sheet_files(report, folder, key, sign, progress, out) if kind == "result-sheets" else {}
        for sheet in getattr(result, "sheets", ()):
            sheet_sha, sheet_path = own.get(sheet.doc_id, (None, str(path)))
            out.issued.append(IssuedDocument(sheet.doc_id, f"{kind}-sheet", sheet.sha256, sheet_sha, sheet_path))
        out.missing_glyphs += [f"{name}: {g}" for g in getattr(result, "missing_glyphs", ())]
    return out


def _seal(report: MeetingReport, key: CommitteeKey, path: Path, kind: str, where: Any) -> None:
    """Seal ``path`` with the reason of its kind; ``where`` is ``(page, box)`` of the sheet's seal
    circle, ``None`` for no visible seal, or ``...`` for the default place (the last page's corner)."""
    from app.sealing.sign import seal_pdf

    placed: dict[str, Any] = {}
    if where is None:
        placed["box"] = None
    elif where is not ...:
        placed["page"], placed["box"] = where
    seal_pdf(path, path, key, reason=f"{report.committee.name}{SEAL_REASONS[kind]}", location=report.meeting.place,
             signer_name=report.committee.name, **placed)


def _sheet_files(report: MeetingReport, folder: Path, key: CommitteeKey | None,
                 sign: Callable[[bytes], bytes] | None, progress: Progress,
                 out: DocumentsReport) -> dict[str, tuple[str, str]]:
    """Each candidate's result sheet in a file of its own, sealed in its circle (when ``key`` is
    given): ``{sheet doc id: (file SHA-256, path)}`` for the register."""
    from app.documents import make_result_sheets

    own: dict[str, tuple[str, str]] = {}
    for c in report.candidates:
        path = folder / SHEET_FILE.format(id=c.id, name=c.name)
        progress(path.name, False)
        result = make_result_sheets(report, path, sign=sign, only=c.id)
        sheet = result.sheets[0]
        if key is not None:
            where = (sheet.seal_page - 1, sheet.seal_box) if sheet.seal_box and sheet.seal_page else ...
            _seal(report, key, path, "result-sheet", where)
        out.written.append(WrittenDocument("result-sheet", path, result.pages, key is not None))
        own[sheet.doc_id] = (hashlib.sha256(path.read_bytes()).hexdigest(), str(path))
    return own


def pem_fingerprint(pem: str) -> str:
    """``AB:CD:…`` SHA-256 of a PEM certificate, without loading cryptography."""
    import ssl

    return ":".join(f"{b:02X}" for b in hashlib.sha256(ssl.PEM_cert_to_DER_cert(pem)).digest())


def _check_seals(out: DocumentsReport, roots: list[x509.Certificate], progress: Progress) -> None:
    """Check every seal just made against the committee root, where the file now lies."""
    sealed = [doc for doc in out.written if doc.sealed]
    if not sealed:
        return
    from app.sealing.verify import verify_pdf

    for doc in sealed:
        progress(doc.path.name, True)
        doc.verdict = verify_pdf(doc.path, roots)


def _ballots(report: MeetingReport, number: int, path: Path) -> DocumentResult:
    from app import documents as d

    return d.make_ballots(report, number, path)


def _tally(report: MeetingReport, number: int, path: Path) -> DocumentResult:
    from app import documents as d

    return d.make_tally_sheet(report, number, path)
