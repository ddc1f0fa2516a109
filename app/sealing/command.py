"""``conclave verify``: check a sealed PDF, or a QR payload read from a printed sheet.

    conclave verify [--db PATH] FILE.pdf       is the seal intact and the committee's?
    conclave verify [--db PATH] --qr TEXT      does this paper sheet match the archive?

Exit status: 0 when the file is intact and trusted (or the sheet matches), 1 when it is
not — the failure is named on stdout — and 2 on bad usage or when there is nothing to
check against (no committee root, unreadable registry).

Where the trust comes from: the committee root certificate, never anything inside the
file being checked. Until the meeting database stores the root and the issued
documents, both live beside the database: ``<db>.root.pem`` and ``<db>.documents.json``;
without ``--db``, beside the committee key in the user data folder.
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
from app.sealing.qrcheck import DocumentRegistry, JsonDocumentRegistry, check_qr
from app.sealing.verify import verify_pdf

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def trust_roots_for(db_path: Path | None) -> list[x509.Certificate]:
    """The committee root(s) a sealed file must chain to.

    With ``--db``, the roots stored in the meeting database (where ``conclave documents``
    put them when it created the key); without, the root beside the default committee key.
    """
    if db_path is not None:
        pems = _with_db(db_path, lambda app: app.sealing.root_pems())
        if not pems:
            raise RuleViolation.single("seal.root", f"the meeting database {db_path} holds no committee "
                                       "root certificate: no document of it has been sealed yet")
        return [x509.load_pem_x509_certificate(p.encode("ascii")) for p in pems]
    pem = root_pem_path_for(default_key_path())
    try:
        roots = load_root_pem(pem)
    except FileNotFoundError:
        raise RuleViolation.single(
            "seal.root", f"no committee root certificate (expected {pem}); name the meeting with --db"
        ) from None
    except (OSError, ValueError) as exc:
        raise RuleViolation.single("seal.root", f"cannot read the committee root {pem}: {exc}") from None
    if not roots:
        raise RuleViolation.single("seal.root", f"{pem} holds no certificate")
    return roots


class _DatabaseRegistry:
    """The issued-documents register of a meeting database, for the QR check."""

    def __init__(self, db_path: Path) -> None:
        self.db_path = db_path

    def lookup(self, doc_id: str) -> str | None:
        return _with_db(self.db_path, lambda app: app.sealing.lookup(doc_id))


def registry_for(db_path: Path | None) -> DocumentRegistry:
    """The issued-documents register the QR check asks: the meeting database's, or a JSON
    register beside the default key when there is no database."""
    if db_path is not None:
        return _DatabaseRegistry(db_path)
    base = default_key_path().with_name("meeting")
    return JsonDocumentRegistry(base.with_name(base.name + ".documents.json"))


def _with_db(db_path: Path, read: Callable[[Any], Any]) -> Any:
    from app.services import Conclave

    if not db_path.exists():
        raise RuleViolation.single("storage.missing", f"no meeting database at {db_path}")
    with Conclave(db_path) as app:
        return read(app)


def run(ns: argparse.Namespace) -> int:
    """Entry point for ``conclave verify`` (arguments declared in :mod:`app.cli`)."""
    pdf, qr = getattr(ns, "pdf", None), getattr(ns, "qr", None)
    db = Path(ns.db) if getattr(ns, "db", None) else None
    if (pdf is None) == (qr is None):
        raise RuleViolation.single("cli.usage", "give either FILE.pdf or --qr TEXT (exactly one)")
    _quiet_library_logs()
    if qr is not None:
        return _run_qr(qr, db)
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
    result = check_qr(text, registry_for(db))
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
