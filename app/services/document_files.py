"""Writing every document of a meeting into a folder: the part of the documents service
that makes files (PDF and Excel), seals them, registers them and checks each seal.

The read model comes from the database (``app.documents.from_db.build_report``); each
document is written into a staging folder, the minutes and the result sheets are sealed
with the committee key, and every document and sheet is registered with the SHA-256 its
QR code carries. Files appear in the target folder only once the register has accepted
them. A document whose printed content is unchanged keeps its id (its digest is that of
what it prints, so an invisible change — a field None that is now "" — issues nothing
new); a document whose printed content changed (a correction) is issued as its next
revision (``…-r2``), never over what was issued, and the other documents keep theirs. A sealed document
that is unchanged is not sealed again: the file issued under its id is copied (:class:`_Reusable`), once
its bytes are those registered and its seal verifies. So a sealed run after another (the final archive
after step 9, ``conclave documents`` again) keeps the minutes and the print file of the result sheets as
they were issued, and a candidate's sheet that already has a sealed file of its own (the step-9 archive
makes none) is copied, not rendered and sealed again: 1,500 sheets for a provincial meeting. A document
that cannot be
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
from collections.abc import Callable, Sequence
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

    from app.documents.layout import DocumentResult, SheetRef
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
    revision: int = 1           # the highest revision written (1: every document as first issued)
    issued: list[IssuedDocument] = field(default_factory=list)
    revised: list[str] = field(default_factory=list)   # kinds issued as a new revision by this run
    fonts_notice: str | None = None     # bilingual: official fonts missing, the bundled one used instead


def write_all(services: Conclave, register: DocumentRegister, actor: str, meeting_id: int, folder: Path,
              key: CommitteeKey | None, roots: list[x509.Certificate], progress: Progress, *,
              handouts: bool = True) -> DocumentsReport:
    """Write, seal (when ``key`` is given) and register every document, then check each seal
    against ``roots``; see the module docstring for revisions and staging. ``handouts``: also each
    candidate's result sheet in a sealed file of its own, to hand out (:func:`_sheet_files`).

    Each document keeps the revision it was last issued under while what it prints is unchanged
    (its digest is that of its printed content, :func:`app.documents.layout.printed_digests`);
    only a document whose printed content changed is made again, as its next revision."""
    from app.documents.fonts import font_roles
    from app.documents.from_db import build_report

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    base = build_report(services.views, services.calendar, meeting_id)
    committee_id, _ = document_views.committee_of(register.store, meeting_id)
    pem = document_views.root_pem(register.store, committee_id)
    if pem:                     # the anchor printed on the minutes, the result sheets and the filing report
        base = dataclasses.replace(base, root_fingerprint=document_views.pem_fingerprint(pem))
    qr_key = key.qr_key() if key is not None else None
    sign = qr_key.sign if qr_key is not None else None      # signs the facts in the result sheets' codes
    issued = document_views.issued(register.store, meeting_id)
    registered = {doc.doc_id: doc.sha256 for doc in issued}
    reusable = _Reusable({doc.doc_id: doc for doc in issued}, roots) if key is not None else None
    staging = Path(tempfile.mkdtemp(prefix=".incoming-", dir=folder))
    out = DocumentsReport(staging, fonts_notice=font_roles().notice())
    try:
        if not base.rounds:
            out.skipped.append(("ballots", bi("no ballot round has been opened yet", "尚未开始任何一轮表决")))
        for kind, name, make in _jobs(base, sign):
            last = revision = _latest_revision(issued, base.meeting.id, kind)
            while True:
                made = _write_one(_revised(base, revision), kind, name, make, staging, key, sign, progress,
                                  handouts, out, reusable)
                if made is None or not _conflicts(made, registered):
                    break
                revision += 1        # what it prints changed since that revision was issued
            if made is not None:
                out.revision = max(out.revision, revision)
                if revision > last:
                    out.revised.append(kind)
        out.issued = [dataclasses.replace(doc, path=str(folder / Path(doc.path).name)) if doc.path else doc
                      for doc in out.issued]          # where the files will be, not the staging folder
        out.registered = register.register(actor, meeting_id, out.issued)
        for doc in out.written:
            doc.path = doc.path.replace(folder / doc.path.name)
        out.folder = folder
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    _check_seals(out, roots, progress)
    return out


def _revised(base: MeetingReport, revision: int) -> MeetingReport:
    """The report whose document ids carry ``revision`` (``<meeting id>-r2.…``; the first has none)."""
    if revision == 1:
        return base
    return dataclasses.replace(base, meeting=dataclasses.replace(base.meeting, id=f"{base.meeting.id}-r{revision}"))


def _latest_revision(issued: list[IssuedDocument], base_id: str, kind: str) -> int:
    """The latest revision of the document of ``kind`` registered so far (1 when none)."""
    revisions = [1]
    for doc in issued:
        match = re.match(rf"{re.escape(base_id)}-r(\d+)\.", doc.doc_id)
        if doc.kind == kind and match:
            revisions.append(int(match.group(1)))
    return max(revisions)


def _conflicts(docs: list[IssuedDocument], registered: dict[str, str]) -> bool:
    """Was any of ``docs`` issued before under its id with other printed content?"""
    return any(registered.get(doc.doc_id, doc.sha256) != doc.sha256 for doc in docs)


Make = Callable[["MeetingReport", Path], Any]


def _jobs(report: MeetingReport, sign: Callable[[bytes], bytes] | None = None) -> list[tuple[str, str, Make]]:
    """(kind, file name, make) for every document of the meeting, in the order of the archive;
    ``sign`` is the committee's QR key, which signs the facts in the result sheets' codes."""
    from app import documents as d

    jobs: list[tuple[str, str, Make]] = [
        ("minutes", "01_评审会议记录.pdf", d.make_minutes),
        ("result-sheets", "02_评审结论.pdf", functools.partial(d.make_result_sheets, sign=sign)),
        ("vote-summary", "03_投票表决汇总表.pdf", d.make_vote_summary),
        ("commitment-letters", "04_评委承诺书.pdf", d.make_commitment_letters),
        ("check-in", "05_签到表.pdf", d.make_checkin_sheet),
        ("publicity", "06_公示.pdf", d.make_publicity_notice),
        ("filing-report", "07_备案报告.pdf", d.make_filing_report),
        ("work-summary", "08_工作总结.pdf", d.make_work_summary),
        ("honoraria", "09_评审专家劳务费.pdf", d.make_honoraria_sheet),
        ("roster", "10_申报人花名册.xlsx", _xlsx(d.make_roster_xlsx)),
        ("vote-summary-xlsx", "11_投票表决汇总表.xlsx", _xlsx(d.make_vote_summary_xlsx)),
    ]
    for rd in report.rounds:
        n = rd.number
        jobs.append((f"ballots-{n}", f"20_表决票_第{n}轮.pdf", functools.partial(_ballots, n)))
        jobs.append((f"tally-{n}", f"21_计票单_第{n}轮.pdf", functools.partial(_tally, n)))
    return jobs


def _xlsx(make: Callable[[MeetingReport, Path], Any]) -> Make:
    """An Excel export whose digest is that of the values its cells print (as for the PDFs: a field
    that was None and is now "" leaves the workbook, and so its revision, unchanged)."""
    def made(report: MeetingReport, path: Path) -> Any:
        result = make(report, path)
        return dataclasses.replace(result, sha256=_cells_sha256(path))
    return made


def _cells_sha256(path: Path) -> str:
    from openpyxl import load_workbook

    from app.documents.qr import canonical_sha256

    book = load_workbook(path, read_only=True)
    try:
        shown = {sheet.title: [["" if v is None else str(v) for v in row]
                               for row in sheet.iter_rows(values_only=True)] for sheet in book.worksheets}
    finally:
        book.close()
    return canonical_sha256(shown)


def _write_one(report: MeetingReport, kind: str, name: str, make: Make, folder: Path, key: CommitteeKey | None,
               sign: Callable[[bytes], bytes] | None, progress: Progress, handouts: bool,
               out: DocumentsReport, reusable: _Reusable | None = None) -> list[IssuedDocument] | None:
    """Make one document into ``folder`` (sealed when it carries the seal and ``key`` is given — or,
    unchanged since it was issued, as it was sealed then: ``reusable``), replacing what an earlier
    revision of it wrote there; add it to ``out`` and return what it issues (the document and its
    sheets), or None when it cannot be made yet (``out.skipped`` says why)."""
    progress(name, False)
    path = folder / name
    _forget(out, kind, name)
    try:
        result = make(report, path)
    except RuleViolation as exc:
        out.skipped.append((kind, exc.violations[0].message))    # bilingual: shown in the reader's language
        return None
    sealed = kind in SEALED and key is not None
    if kind in SEALED and key is None:
        out.skipped.append((f"{kind} seal", bi("no passphrase given: written unsealed",
                                               "未提供签章口令，已生成但未盖章")))
    verdict = None
    if sealed:
        assert key is not None
        verdict = reusable.copy(result.doc_id, result.sha256, path) if reusable is not None else None
        if verdict is None:
            # the combined print file is sealed without a visible seal: each sheet's own file carries it
            _seal(report, key, path, kind, None if kind == "result-sheets" else ...)
    file_sha = hashlib.sha256(path.read_bytes()).hexdigest()
    size = int(getattr(result, "pages", None) or getattr(result, "rows", 0) or 0)
    out.written.append(WrittenDocument(kind, path, size, sealed, verdict))
    docs = [IssuedDocument(result.doc_id, kind, result.sha256, file_sha, str(path))]
    own = (_sheet_files(report, folder, key, sign, progress, out, getattr(result, "sheets", ()), reusable)
           if kind == "result-sheets" and handouts else {})
    for sheet in getattr(result, "sheets", ()):
        if sheet.doc_id == result.doc_id:    # a document that is one sheet under its own id: registered above
            continue
        sheet_sha, sheet_path = own.get(sheet.doc_id, (None, str(path)))
        docs.append(IssuedDocument(sheet.doc_id, f"{kind}-sheet", sheet.sha256, sheet_sha, sheet_path))
    out.issued += docs
    out.missing_glyphs += [f"{name}: {g}" for g in getattr(result, "missing_glyphs", ())]
    return docs


def _forget(out: DocumentsReport, kind: str, name: str) -> None:
    """Drop what an earlier attempt at ``kind`` added to ``out`` (it is being made again)."""
    out.written = [w for w in out.written if w.kind not in (kind, kind.removesuffix("s"))]
    out.issued = [d for d in out.issued if d.kind not in (kind, f"{kind}-sheet")]
    out.skipped = [s for s in out.skipped if s[0] != f"{kind} seal"]
    tag = f"{name}:"
    out.missing_glyphs = [g for g in out.missing_glyphs if not g.startswith(tag)]


def _seal(report: MeetingReport, key: CommitteeKey, path: Path, kind: str, where: Any) -> None:
    """Seal ``path`` with the reason of its kind; ``where`` is ``(page, box)`` of the sheet's seal
    circle, ``None`` for no visible seal, or ``...`` for the default place (the last page's corner).
    Every kind's seal is drawn from one cut of the font (``also_drawn``: the reasons of all kinds):
    one font subset a run instead of one for the minutes and another for the sheets."""
    from app.sealing.sign import seal_pdf

    placed: dict[str, Any] = {}
    if where is None:
        placed["box"] = None
    elif where is not ...:
        placed["page"], placed["box"] = where
    seal_pdf(path, path, key, reason=f"{report.committee.name}{SEAL_REASONS[kind]}", location=report.meeting.place,
             signer_name=report.committee.name, also_drawn="".join(SEAL_REASONS.values()), **placed)


def _sheet_files(report: MeetingReport, folder: Path, key: CommitteeKey | None,
                 sign: Callable[[bytes], bytes] | None, progress: Progress, out: DocumentsReport,
                 sheets: Sequence[SheetRef] = (), reusable: _Reusable | None = None) -> dict[str, tuple[str, str]]:
    """Each candidate's result sheet in a file of its own, sealed in its circle (when ``key`` is
    given): ``{sheet doc id: (file SHA-256, path)}`` for the register. A sheet that prints what it
    printed when its file was issued (``sheets``: the sheets of the combined file just made, with
    their digests) is that file again, copied (``reusable``), not made and sealed anew."""
    from app.documents import make_result_sheets
    from app.documents.blocks import doc_id

    printed = {sheet.doc_id: sheet for sheet in sheets}
    own: dict[str, tuple[str, str]] = {}
    for c in report.candidates:
        path = folder / SHEET_FILE.format(id=c.id, name=c.name)
        progress(path.name, False)
        sheet_id = doc_id(report, "result", c.id)
        verdict = (reusable.copy(sheet_id, printed[sheet_id].sha256, path)
                   if reusable is not None and sheet_id in printed else None)
        if verdict is not None:         # the sheet alone in its file: the pages it takes in the combined one
            out.written.append(WrittenDocument("result-sheet", path, printed[sheet_id].pages, True, verdict))
            own[sheet_id] = (hashlib.sha256(path.read_bytes()).hexdigest(), str(path))
            continue
        result = make_result_sheets(report, path, sign=sign, only=c.id)
        sheet = result.sheets[0]
        if key is not None:
            where = (sheet.seal_page - 1, sheet.seal_box) if sheet.seal_box and sheet.seal_page else ...
            _seal(report, key, path, "result-sheet", where)
        out.written.append(WrittenDocument("result-sheet", path, result.pages, key is not None))
        own[sheet.doc_id] = (hashlib.sha256(path.read_bytes()).hexdigest(), str(path))
    return own


def _check_seals(out: DocumentsReport, roots: list[x509.Certificate], progress: Progress) -> None:
    """Check every seal just made against the committee root, where the file now lies (a file
    issued before and copied was checked as it was copied, :meth:`_Reusable.copy`)."""
    sealed = [doc for doc in out.written if doc.sealed and doc.verdict is None]
    if not sealed:
        return
    from app.sealing.verify import verify_pdf

    for doc in sealed:
        progress(doc.path.name, True)
        doc.verdict = verify_pdf(doc.path, roots)


class _Reusable:
    """The sealed files issued before, for a run that seals: a document (or a candidate's sheet) whose
    printed content is what was registered under its id is the file registered for that id, copied —
    when that file is still where it was written, its bytes are the ones registered (its SHA-256), and
    its seal verifies against the committee root. Otherwise (moved, changed, another root, a register
    row pointing elsewhere) it is made and sealed anew, as before."""

    def __init__(self, issued: dict[str, IssuedDocument], roots: list[x509.Certificate]) -> None:
        self.issued = issued
        self.roots = roots

    def copy(self, doc_id: str, sha256: str, path: Path) -> VerifyReport | None:
        """Copy the file issued as ``doc_id`` to ``path`` when it printed ``sha256`` (see the class);
        the verdict on its seal, or None (nothing at ``path`` changed)."""
        from app.sealing.verify import verify_pdf

        doc = self.issued.get(doc_id)
        if doc is None or doc.sha256 != sha256 or not doc.file_sha256 or not doc.path:
            return None
        try:
            data = Path(doc.path).read_bytes()
        except OSError:
            return None
        if hashlib.sha256(data).hexdigest() != doc.file_sha256:
            return None
        staged = path.with_name(f".reused-{path.name}")
        staged.write_bytes(data)
        verdict = verify_pdf(staged, self.roots)
        if not verdict.ok:
            staged.unlink()
            return None
        staged.replace(path)
        return verdict


def _ballots(number: int, report: MeetingReport, path: Path) -> DocumentResult:
    from app import documents as d

    return d.make_ballots(report, number, path)


def _tally(number: int, report: MeetingReport, path: Path) -> DocumentResult:
    from app import documents as d

    return d.make_tally_sheet(report, number, path)
