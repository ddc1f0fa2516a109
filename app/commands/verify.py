"""``conclave verify``: check a sealed PDF, or a QR payload read from a printed sheet.

    conclave verify [--db PATH] FILE.pdf       is the seal intact and the committee's?
    conclave verify [--db PATH] --qr TEXT      does this paper sheet match the archive?
    conclave verify FILE.pdf --trust ROOT.pem  the same with only the root handed out: no database
    conclave verify FILE.pdf --fingerprint HEX the same with only the fingerprint printed on paper
    conclave verify --qr TEXT --trust ROOT.pem a result sheet's signed facts, with no database

Exit status: 0 when the file is intact and trusted (or the sheet matches), 1 when it is
not — the failure is named on stdout — and 2 on bad usage or when there is nothing to
check against (no committee root, unreadable registry).

Where the trust comes from: the committee root certificate, never anything inside the
file being checked. ``--trust ROOT.pem`` is the root handed out by the committee (``conclave key
export-root``); ``--fingerprint HEX`` is its SHA-256 as printed on the minutes, the result sheets
and the filing report — the file then only supplies a certificate that must match it. With
``--db``, the meeting database answers through its documents service: the root its audit trail
vouches for (recorded when the committee key was created; a root written into the database any
other way is not trusted), and the register of issued documents (which also says when a sheet
was superseded by a later revision). Without any of these, the root and a JSON register beside
the committee key in the user data folder (``<key>.root.pem``, ``meeting.documents.json``). The
fingerprint of the root that actually signed is always printed, to compare with the paper.

A result sheet's code (``conclave:2:``, :mod:`app.sealing.qrfacts`) carries its facts signed by
the committee; they are printed with their Chinese labels for the verifier to compare with the
sheet in hand. Other papers' codes (``conclave:1:``) are checked against the archive.
"""

from __future__ import annotations

import argparse
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from cryptography import x509

from app.errors import RuleViolation
from app.sealing import qrfacts as qfacts
from app.sealing.keys import default_key_path, load_root_pem, root_pem_path_for
from app.sealing.qrcheck import JsonDocumentRegistry, QrCheck, check_qr
from app.sealing.verify import verify_pdf
from app.storage.db import require_database
from app.text import bi

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def trust_roots_for(db_path: Path | None) -> list[x509.Certificate]:
    """The committee root(s) a sealed file must chain to.

    With ``--db``, the roots recorded in the meeting database (when its committee key was
    created); without, the root beside the default committee key.
    """
    if db_path is not None:
        roots: list[x509.Certificate] = _with_db(db_path, lambda app: app.documents.trust_roots())
        return roots
    pem = root_pem_path_for(default_key_path())
    if not pem.exists():
        raise RuleViolation.single(
            "seal.root", bi(f"no committee root certificate (expected {pem}); name the meeting with --db",
                            f"找不到评委会根证书（应在{pem}）；请用 --db 指定会议数据库"))
    return _read_roots(pem, f"the committee root {pem}", f"评委会根证书{pem}")


def _read_roots(pem: Path, en: str, zh: str) -> list[x509.Certificate]:
    """The certificates of a root PEM file; ``en``/``zh`` name it in a refusal."""
    try:
        roots = load_root_pem(pem)
    except (OSError, ValueError) as exc:
        raise RuleViolation.single("seal.root", bi(f"cannot read {en}: {exc}", f"无法读取{zh}：{exc}")) from None
    if not roots:
        raise RuleViolation.single("seal.root", bi(f"{pem} holds no certificate", f"{pem}中没有证书"))
    return roots


def roots_from(trust: str | None, fingerprint_hex: str | None, pdf: Path | None,
               db_path: Path | None) -> list[x509.Certificate]:
    """The roots to trust: ``--trust`` file, else the ``--fingerprint`` matched in the PDF's own
    certificates, else those of the database or the default key (:func:`trust_roots_for`)."""
    if trust is not None:
        return _read_roots(Path(trust), f"the trusted root {trust}", f"受信任的根证书{trust}")
    if fingerprint_hex is not None:
        if pdf is None:
            raise RuleViolation.single("cli.usage", bi(
                "--fingerprint checks a sealed PDF; a QR code needs the root itself: give --trust ROOT.pem",
                "--fingerprint 用于核验盖章的PDF；核验二维码需要根证书本身：请使用 --trust ROOT.pem"))
        from app.sealing.verify import embedded_roots

        found = embedded_roots(pdf, fingerprint_hex)
        if not found:
            raise _NoMatchingRoot(fingerprint_hex)
        return found
    return trust_roots_for(db_path)


class _NoMatchingRoot(Exception):
    """The file carries no root with the fingerprint given: it was not sealed under that root."""


def check_qr_text(text: str, db_path: Path | None) -> QrCheck:
    """The QR check against the meeting database's register of issued documents, or, without a
    database, against the JSON register beside the default key."""
    if db_path is not None:
        result: QrCheck = _with_db(db_path, lambda app: app.documents.check_qr(text))
        return result
    base = default_key_path().with_name("meeting")
    return check_qr(text, JsonDocumentRegistry(base.with_name(base.name + ".documents.json")))


def _with_db(db_path: Path, read: Callable[[Any], Any]) -> Any:
    from app.services import Conclave

    require_database(db_path)
    with Conclave(db_path, read_only=True) as app:
        return read(app)


def run(ns: argparse.Namespace) -> int:
    """Entry point for ``conclave verify`` (arguments declared in :mod:`app.cli`)."""
    pdf, qr = getattr(ns, "pdf", None), getattr(ns, "qr", None)
    db = Path(ns.db) if getattr(ns, "db", None) else None
    trust, fingerprint_hex = getattr(ns, "trust", None), getattr(ns, "fingerprint", None)
    if (pdf is None) == (qr is None):
        raise RuleViolation.single("cli.usage", bi("give either FILE.pdf or --qr TEXT (exactly one)",
                                                   "请给出 FILE.pdf 或 --qr TEXT，二者只能选一"))
    if sum(x is not None for x in (db, trust, fingerprint_hex)) > 1:
        raise RuleViolation.single("cli.usage", bi("give one of --db, --trust and --fingerprint",
                                                   "--db、--trust、--fingerprint 只能选一"))
    _quiet_library_logs()
    if qr is not None:
        if qfacts.is_facts_payload(qr):
            return _run_facts(qr, trust, fingerprint_hex, db)
        return _run_qr(qr, db)
    assert pdf is not None
    return _run_pdf(Path(pdf), trust, fingerprint_hex, db)


def _run_pdf(path: Path, trust: str | None, fingerprint_hex: str | None, db: Path | None) -> int:
    try:
        roots = roots_from(trust, fingerprint_hex, path, db)
    except _NoMatchingRoot:
        print(f"{path}: unknown signer — no root with the fingerprint given signed it "
              "(不是由该指纹的根证书签发的签章)")
        return EXIT_FAILED
    report = verify_pdf(path, roots)
    print(f"{path}: {report.describe()}")
    for failure in report.failures:
        print(f"  - {failure}")
    if report.ok:
        print(f"  signed under the committee root SHA-256 (签章根证书指纹): {report.root_fingerprint}")
        print("  compare it with the fingerprint printed on the minutes / 请与会议记录上印制的指纹核对")
    return EXIT_OK if report.ok else EXIT_FAILED


def _run_facts(text: str, trust: str | None, fingerprint_hex: str | None, db: Path | None) -> int:
    """A result sheet's signed facts: checked offline, printed for comparison with the paper."""
    if trust is None and fingerprint_hex is None and db is not None:
        result: qfacts.FactsCheck = _with_db(db, lambda app: app.documents.check_facts_qr(text))
    else:
        result = qfacts.check(text, roots_from(trust, fingerprint_hex, None, db))
    if result.facts is None:
        print(f"QR code: {result.status}")
        print(f"  - {result.detail}")
        return EXIT_FAILED
    verdict = ("signed by the committee — compare every line with the paper (评委会签名有效，请逐项与纸面核对)"
               if result.ok else "NOT signed by the committee: do not rely on these facts (签名无效：以下内容不可信)")
    print(f"document {result.facts.doc_id}: {verdict}")
    for line in result.facts.lines():
        print(f"  {line}")
    if result.ok:
        print(f"  signed under the committee root SHA-256 (签章根证书指纹): {result.root_fingerprint}")
    else:
        print(f"  - {result.detail}")
    if result.superseded_by:
        print(f"  superseded by {result.superseded_by} (已被 {result.superseded_by} 取代): this revision is not "
              "the current one")
        return EXIT_FAILED
    if result.registered is False:
        print("  - the archive holds no sheet with this id (档案中没有该编号的文书)")
    elif result.registered is None:
        print("  (no archive consulted: a later revision would not be known here; 未查询档案，无法判断是否已被取代)")
    return EXIT_OK if result.ok and result.registered is not False else EXIT_FAILED


def _run_qr(text: str, db: Path | None) -> int:
    result = check_qr_text(text, db)
    subject = f"document {result.doc_id}" if result.doc_id else "QR code"
    print(f"{subject}: {result.status}")
    print(f"  - {result.detail}")
    return EXIT_OK if result.ok else EXIT_FAILED


def _quiet_library_logs() -> None:
    """pyHanko logs every rejected signature with a traceback. With no logging set up,
    Python would print those on stderr; the verdict on stdout already says it in words."""
    for name in ("pyhanko", "pyhanko_certvalidator", "fontTools"):
        logger = logging.getLogger(name)
        if not logger.handlers:
            logger.addHandler(logging.NullHandler())
