"""``conclave verify``: check a sealed PDF, or a QR payload read from a printed sheet.

    conclave verify [--db PATH] FILE.pdf       is the seal intact and the committee's?
    conclave verify [--db PATH] --qr TEXT      does this paper sheet match the archive?

Exit status: 0 when the file is intact and trusted (or the sheet matches), 1 when it is
not — the failure is named on stdout — and 2 on bad usage or when there is nothing to
check against (no committee root, unreadable registry).

Where the trust comes from: the committee root certificate, never anything inside the
file being checked. With ``--db``, the meeting database answers through its documents
service (the root recorded when the committee key was created, and the register of issued
documents); without it, the root and a JSON register beside the committee key in the user
data folder (``<key>.root.pem``, ``meeting.documents.json``).
"""

from __future__ import annotations

import argparse
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from cryptography import x509

from app.errors import RuleViolation
from app.sealing.keys import default_key_path, fingerprint, load_root_pem, root_pem_path_for
from app.sealing.qrcheck import JsonDocumentRegistry, QrCheck, check_qr
from app.sealing.verify import verify_pdf
from app.storage.db import no_database
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
    try:
        roots = load_root_pem(pem)
    except FileNotFoundError:
        raise RuleViolation.single(
            "seal.root", bi(f"no committee root certificate (expected {pem}); name the meeting with --db",
                            f"找不到评委会根证书（应在{pem}）；请用 --db 指定会议数据库")
        ) from None
    except (OSError, ValueError) as exc:
        raise RuleViolation.single("seal.root", bi(f"cannot read the committee root {pem}: {exc}",
                                                   f"无法读取评委会根证书{pem}：{exc}")) from None
    if not roots:
        raise RuleViolation.single("seal.root", bi(f"{pem} holds no certificate", f"{pem}中没有证书"))
    return roots


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

    if not db_path.exists():
        raise no_database(db_path)
    with Conclave(db_path, read_only=True) as app:
        return read(app)


def run(ns: argparse.Namespace) -> int:
    """Entry point for ``conclave verify`` (arguments declared in :mod:`app.cli`)."""
    pdf, qr = getattr(ns, "pdf", None), getattr(ns, "qr", None)
    db = Path(ns.db) if getattr(ns, "db", None) else None
    if (pdf is None) == (qr is None):
        raise RuleViolation.single("cli.usage", bi("give either FILE.pdf or --qr TEXT (exactly one)",
                                                   "请给出 FILE.pdf 或 --qr TEXT，二者只能选一"))
    _quiet_library_logs()
    if qr is not None:
        return _run_qr(qr, db)
    assert pdf is not None
    return _run_pdf(Path(pdf), db)


def _run_pdf(path: Path, db: Path | None) -> int:
    roots = trust_roots_for(db)
    report = verify_pdf(path, roots)
    print(f"{path}: {report.describe()}")
    for failure in report.failures:
        print(f"  - {failure}")
    if report.ok:
        print(f"  committee root SHA-256 {fingerprint(roots[0])[:23]}…")
    return EXIT_OK if report.ok else EXIT_FAILED


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
