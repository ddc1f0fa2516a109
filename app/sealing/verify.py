"""Check a sealed PDF (核验电子签章) against the committee's root, offline.

A verifier — the secretary before printing, the supervisor, a filing office years
later — needs one answer in words, not a validation report: is this the file the
committee sealed, unchanged, and was it sealed by *this* committee? The statuses
below say exactly that, in the order a person should worry about them:

* ``changed bytes`` — the bytes the signature covers are not the bytes that were
  signed (or the signature itself was altered): the content is not what was sealed.
* ``appended changes after signing`` — the sealed revision is intact, but something
  was added after it (an annotation, a form value, another page object). A viewer
  would show the changed document; the seal vouches only for the earlier revision.
* ``unknown signer`` — the signature is sound but does not chain to the committee's
  root: someone else's key (another committee's, or a forger's own root).
* ``signer certificate not valid`` — the chain is right but the certificate is
  expired or not yet valid (a wrong clock on this laptop, or a very old file).
* ``rejected by the signature policy`` — sound and trusted, but the signature field's
  own constraints (seed values) are not met; Conclave's seals never set any.
* ``not signed`` / ``not a PDF or unreadable``.

Validation never fetches anything: ``allow_fetching=False``, no CRL/OCSP/timestamp.
Input is untrusted, so every parse and validation step is fenced: a garbage file
yields a report, never a traceback.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import TYPE_CHECKING

from cryptography import x509
from cryptography.exceptions import InvalidSignature

from app.sealing.verdict import (
    SEVERITY,
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

if TYPE_CHECKING:
    from pyhanko.pdf_utils.reader import PdfFileReader

_APPENDED_KIND = {  # pyHanko's ModificationLevel, in words
    "LTA_UPDATES": "archival validation data",
    "FORM_FILLING": "form fields filled or signed",
    "ANNOTATIONS": "annotations",
    "OTHER": "changes to the content",
}
MAX_PDF_BYTES = 200 * 1024 * 1024  # sealed minutes are kilobytes; refuse to swallow a disk image


def verify_pdf(
    path: Path, trust_roots: list[x509.Certificate], *, at: dt.datetime | None = None
) -> VerifyReport:
    """Verify every signature in ``path`` against ``trust_roots`` (the committee root).

    Certificates are judged valid or not as of ``at`` (default: now, by this laptop's clock).
    """
    try:
        with open(path, "rb") as fh:
            data = fh.read(MAX_PDF_BYTES + 1)
    except OSError as exc:
        return VerifyReport(
            False, STATUS_UNREADABLE, failures=[f"cannot open {path}: {exc.strerror}"]
        )
    if len(data) > MAX_PDF_BYTES:
        return VerifyReport(
            False, STATUS_UNREADABLE, failures=["the file is too large to be a sealed document"]
        )
    if b"%PDF-" not in data[:1024]:
        return VerifyReport(
            False, STATUS_UNREADABLE, failures=["the file does not start like a PDF"]
        )

    try:
        reader = _reader(data)
        signatures = list(reader.embedded_regular_signatures)
    except Exception as exc:  # untrusted input: any parser error means "unreadable"
        return VerifyReport(
            False, STATUS_UNREADABLE, failures=[f"the PDF structure is damaged ({_short(exc)})"]
        )
    if not signatures:
        return VerifyReport(False, STATUS_NOT_SIGNED, failures=["the file carries no signature"])

    reports = [_verify_one(sig, trust_roots, at) for sig in signatures]
    worst = min(reports, key=lambda r: SEVERITY.index(r.status))
    failures = [f for r in reports for f in r.failures]
    return VerifyReport(worst.ok, worst.status, worst.signer, worst.signed_at, failures, worst.root_fingerprint)


def _reader(data: bytes) -> PdfFileReader:
    """pyHanko's reader over ``data``, its signatures' hexadecimal strings read in one slice, not byte
    by byte (:mod:`app.sealing.hexstrings`)."""
    from pyhanko.pdf_utils.reader import PdfFileReader

    from app.sealing.hexstrings import install

    install()
    return PdfFileReader(io.BytesIO(data))


def embedded_roots(path: Path, sha256_hex: str) -> list[x509.Certificate]:
    """The self-signed certificates carried in ``path``'s signatures whose SHA-256 is ``sha256_hex``
    (colons and case ignored): with ``--fingerprint`` the verifier brings the root's fingerprint
    from paper, and the file brings the certificate to match it. Nothing else in the file is trusted."""
    from app.sealing.keys import fingerprint

    wanted = sha256_hex.replace(":", "").replace(" ", "").upper()
    found: list[x509.Certificate] = []
    try:
        with open(path, "rb") as fh:
            reader = _reader(fh.read(MAX_PDF_BYTES + 1))
            for sig in reader.embedded_regular_signatures:
                for choice in sig.signed_data["certificates"]:
                    cert = x509.load_der_x509_certificate(choice.chosen.dump())
                    if (cert.subject == cert.issuer and fingerprint(cert).replace(":", "") == wanted
                            and cert not in found):
                        found.append(cert)
    except Exception:  # untrusted input: an unreadable file simply carries no root
        return []
    return found


def _verify_one(sig: object, roots: list[x509.Certificate], at: dt.datetime | None) -> VerifyReport:
    """Validate one embedded signature and translate pyHanko's status into our words."""
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.errors import SignatureValidationError
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    field_name = getattr(sig, "field_name", "?")
    try:
        anchors = [_to_asn1(root) for root in roots]
        context = ValidationContext(trust_roots=anchors, allow_fetching=False, moment=at)
        status = validate_pdf_signature(sig, context)  # type: ignore[arg-type]
    except SignatureValidationError as exc:
        return VerifyReport(
            False,
            STATUS_CHANGED,
            failures=[f"signature {field_name!r} cannot be checked: {_short(exc)}"],
        )
    except Exception as exc:  # a mangled signature container is a changed signature
        return VerifyReport(
            False, STATUS_CHANGED, failures=[f"signature {field_name!r} is damaged ({_short(exc)})"]
        )

    signer = _common_name(status.signing_cert)
    signed_at = status.signer_reported_dt
    failures: list[str] = []
    if not status.intact:
        failures.append(
            f"signature {field_name!r}: the signed bytes were changed (digest mismatch)"
        )
        result = STATUS_CHANGED
    elif not status.valid:
        failures.append(
            f"signature {field_name!r}: the signature value does not match its certificate"
        )
        result = STATUS_CHANGED
    elif status.coverage != SignatureCoverageLevel.ENTIRE_FILE:
        level = status.modification_level
        what = _APPENDED_KIND.get(level.name if level is not None else "", "unknown changes")
        failures.append(
            f"signature {field_name!r}: content was appended after signing (kind: {what}); "
            "the seal covers only the earlier revision"
        )
        result = STATUS_APPENDED
    elif not status.trusted:
        name = getattr(status.trust_problem_indic, "name", "UNTRUSTED")
        issuer = _issuing_root(status.signing_cert, roots)
        if issuer is not None and not _valid_at(status.signing_cert, issuer, at):
            when = f"on {at:%Y-%m-%d}" if at else "today"
            failures.append(
                f"signature {field_name!r}: the committee's certificate is not valid {when} "
                "(expired, or this laptop's clock is wrong)"
            )
            result = STATUS_CERT_NOT_VALID
        else:
            failures.append(
                f"signature {field_name!r}: signed by {signer or 'an unnamed key'}, "
                f"which does not chain to the committee root ({name})"
            )
            result = STATUS_UNKNOWN_SIGNER
    elif not status.bottom_line:
        failures.append(
            f"signature {field_name!r}: sound and trusted, but the field's rules are not met "
            f"({status.summary()})"
        )
        result = STATUS_POLICY
    else:
        result = STATUS_OK
    root = _issuing_root(status.signing_cert, roots) if result == STATUS_OK else None
    from app.sealing.keys import fingerprint

    return VerifyReport(result == STATUS_OK, result, signer, signed_at, failures,
                        fingerprint(root) if root is not None else None)


def _issuing_root(cert: object, roots: list[x509.Certificate]) -> x509.Certificate | None:
    """The committee root that really signed ``cert`` (our chains are root -> signer)."""
    try:
        ours = x509.load_der_x509_certificate(cert.dump())  # type: ignore[attr-defined]
    except Exception:  # not even a certificate: certainly not one of ours
        return None
    for root in roots:
        try:
            ours.verify_directly_issued_by(root)
            return root
        except (InvalidSignature, ValueError, TypeError):  # not signed by this root
            continue
    return None


def _valid_at(cert: object, root: x509.Certificate, at: dt.datetime | None) -> bool:
    moment = at or dt.datetime.now(dt.UTC)
    ours = x509.load_der_x509_certificate(cert.dump())  # type: ignore[attr-defined]
    return all(c.not_valid_before_utc <= moment <= c.not_valid_after_utc for c in (ours, root))


def _common_name(cert: object) -> str | None:
    try:
        subject = cert.subject.native  # type: ignore[attr-defined]
        return subject.get("common_name") or cert.subject.human_friendly  # type: ignore[attr-defined]
    except Exception:  # a certificate we cannot even name still gets a verdict
        return None


def _to_asn1(cert: x509.Certificate) -> object:
    from asn1crypto import x509 as asn1_x509
    from cryptography.hazmat.primitives import serialization

    return asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))


def _short(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0][:200]}" if text else type(exc).__name__
