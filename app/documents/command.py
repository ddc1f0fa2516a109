"""``conclave documents``: every document of a stored meeting, sealed and registered.

:func:`write_documents` is what the wizard's archive step calls too. It fills the
read model from the database, writes each PDF and Excel file into a folder,
seals the minutes and the result sheets with the committee's key (creating the
key on first use, its root stored in the meeting database), and registers every
document and sheet with the SHA-256 its QR code carries. A document that cannot
be made yet — the filing report before the publicity outcome is known, a ballot
before the vote — is listed as skipped with the reason, never silently dropped.
"""

from __future__ import annotations

import argparse
import dataclasses
import getpass
import hashlib
import re
import shutil
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from app import documents as d
from app.documents.from_db import build_report
from app.errors import RuleViolation
from app.sealing.keys import (
    CommitteeKey,
    create_committee_key,
    load_committee_key,
    passphrase_from,
)
from app.sealing.sign import seal_pdf
from app.services import Conclave
from app.services.sealing import IssuedDocument
from app.storage.db import default_db_path
from app.text import in_chinese

SEALED = {"minutes", "result-sheets"}


@dataclass
class DocumentsReport:
    folder: Path
    written: list[tuple[str, Path, int]] = field(default_factory=list)   # (kind, path, pages or rows)
    skipped: list[tuple[str, str]] = field(default_factory=list)          # (kind, reason)
    missing_glyphs: list[str] = field(default_factory=list)
    registered: int = 0
    revision: int = 1
    issued: list[IssuedDocument] = field(default_factory=list)


def key_path_for(app: Conclave) -> Path:
    """The committee key lives beside the meeting database, protected by its passphrase."""
    return app.store.path.with_name(app.store.path.stem + ".committee-key.p12")


def committee_key(app: Conclave, meeting_id: int, passphrase: bytes, actor: str) -> CommitteeKey:
    """Load the committee's key, or create it (and store its root in the database) on first use."""
    path = key_path_for(app)
    info = app.views.meeting(meeting_id)
    if path.exists():
        return load_committee_key(path, passphrase)
    key = create_committee_key(info.committee, passphrase, path)
    app.sealing.store_root(actor, info.committee_id, key.root_certificate_pem(), key.root_fingerprint())
    return key


def write_documents(app: Conclave, meeting_id: int, folder: Path, passphrase: bytes | None,
                    actor: str, progress: Callable[[str], None] = lambda _s: None) -> DocumentsReport:
    """Write, seal and register every document. Unchanged content keeps its document ids;
    changed content (a correction) is issued as the next revision (``…-r2``), never over
    what was issued. Files appear in ``folder`` only once the register has accepted them."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    base = build_report(app, meeting_id)
    revision = _latest_revision(app, meeting_id, base.meeting.id)
    while True:
        report = base if revision == 1 else dataclasses.replace(
            base, meeting=dataclasses.replace(base.meeting, id=f"{base.meeting.id}-r{revision}"))
        staging = Path(tempfile.mkdtemp(prefix=".incoming-", dir=folder))
        try:
            out = _write(app, meeting_id, report, staging, passphrase, actor, progress)
            out.issued = [dataclasses.replace(doc, path=str(folder / Path(doc.path).name)) if doc.path else doc
                          for doc in out.issued]          # where the files will be, not the staging folder
            try:
                out.registered = app.sealing.register(actor, meeting_id, out.issued)
            except RuleViolation as exc:
                if exc.rule != "documents.changed":
                    raise
                revision += 1
                continue
            for _kind, path, _size in out.written:
                path.replace(folder / path.name)
            out.folder = folder
            out.written = [(k, folder / p.name, n) for k, p, n in out.written]
            out.revision = revision
            return out
        finally:
            shutil.rmtree(staging, ignore_errors=True)


def _latest_revision(app: Conclave, meeting_id: int, base_id: str) -> int:
    revisions = [1]
    for doc in app.sealing.documents(meeting_id):
        match = re.match(rf"{re.escape(base_id)}-r(\d+)\.", doc.doc_id)
        if match:
            revisions.append(int(match.group(1)))
    return max(revisions)


def _write(app: Conclave, meeting_id: int, report: d.MeetingReport, folder: Path, passphrase: bytes | None,
           actor: str, progress: Callable[[str], None]) -> DocumentsReport:
    out = DocumentsReport(folder)
    issued: list[IssuedDocument] = []
    jobs: list[tuple[str, str, Callable[[Path], d.DocumentResult | d.ExcelResult]]] = [
        ("minutes", "01_会议纪要.pdf", lambda p: d.make_minutes(report, p)),
        ("result-sheets", "02_评审结论.pdf", lambda p: d.make_result_sheets(report, p)),
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
        jobs.append((f"ballots-{n}", f"20_表决票_第{n}轮.pdf", lambda p, n=n: d.make_ballots(report, n, p)))
        jobs.append((f"tally-{n}", f"21_计票单_第{n}轮.pdf", lambda p, n=n: d.make_tally_sheet(report, n, p)))
    if not report.rounds:
        out.skipped.append(("ballots", "no ballot round has been opened yet"))
    key: CommitteeKey | None = None
    for kind, name, make in jobs:
        progress(name)
        path = folder / name
        try:
            result = make(path)
        except RuleViolation as exc:
            out.skipped.append((kind, exc.violations[0].message))    # bilingual: shown in the reader's language
            continue
        if kind in SEALED:
            if passphrase is None:
                out.skipped.append((f"{kind} seal", "no passphrase given: written unsealed"))
            else:
                key = key or committee_key(app, meeting_id, passphrase, actor)
                seal_pdf(path, path, key, reason=f"{report.committee.name}评审结论", location=report.meeting.place,
                         signer_name=report.committee.name)
        file_sha = hashlib.sha256(path.read_bytes()).hexdigest()
        size = getattr(result, "pages", None) or getattr(result, "rows", 0)
        out.written.append((kind, path, int(size)))
        issued.append(IssuedDocument(result.doc_id, kind, result.sha256, file_sha, str(path)))
        for sheet in getattr(result, "sheets", ()):
            issued.append(IssuedDocument(sheet.doc_id, f"{kind}-sheet", sheet.sha256, None, str(path)))
        out.missing_glyphs += [f"{name}: {g}" for g in getattr(result, "missing_glyphs", ())]
    out.issued = issued
    return out


def run(ns: argparse.Namespace) -> int:
    path = Path(ns.db) if ns.db else default_db_path()
    if not path.exists():
        raise RuleViolation.single("storage.missing", f"no meeting database at {path}")
    passphrase = passphrase_from(ns)
    if passphrase is None and sys.stdin.isatty():
        passphrase = getpass.getpass("committee key passphrase (评委会签章口令): ").encode("utf-8")
    with Conclave(path) as app:
        mid = app.views.only_meeting(ns.meeting)
        actor = app.views.acting_secretary(mid)
        result = write_documents(app, mid, Path(ns.out), passphrase, actor, progress=lambda s: None)
    for kind, file, size in result.written:
        print(f"  {file.name:<28} {size:>4} {'rows' if file.suffix == '.xlsx' else 'pages'}"
              f"{'  (sealed)' if kind in SEALED and passphrase else ''}")
    for kind, reason in result.skipped:
        print(f"  skipped {kind}: {in_chinese(reason)}")
    for line in result.missing_glyphs:
        print(f"  MISSING GLYPH {line}")
    revision = f" (revision {result.revision}: the content changed since first issued)" if result.revision > 1 else ""
    print(f"{len(result.written)} documents in {result.folder}; {result.registered} newly registered{revision}")
    return 0 if not result.missing_glyphs else 1
