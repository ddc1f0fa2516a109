"""The verdict on a sealed file (核验结论), in words: cheap to import.

:func:`app.sealing.verify.verify_pdf` (pyHanko, cryptography) fills a :class:`VerifyReport`;
the interface and the documents service only read one, so the type and its statuses live
here, where importing them loads no signature library.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

STATUS_OK = "intact and trusted"
STATUS_CHANGED = "changed bytes"
STATUS_APPENDED = "appended changes after signing"
STATUS_UNKNOWN_SIGNER = "unknown signer"
STATUS_CERT_NOT_VALID = "signer certificate not valid"
STATUS_POLICY = "rejected by the signature policy"
STATUS_NOT_SIGNED = "not signed"
STATUS_UNREADABLE = "not a PDF or unreadable"

# Worst first: a report names the most serious problem found in any signature.
SEVERITY = [
    STATUS_UNREADABLE,
    STATUS_CHANGED,
    STATUS_APPENDED,
    STATUS_POLICY,
    STATUS_UNKNOWN_SIGNER,
    STATUS_CERT_NOT_VALID,
    STATUS_NOT_SIGNED,
    STATUS_OK,
]


@dataclass(frozen=True)
class VerifyReport:
    """What a person needs to know about one file: the verdict, who sealed it, when, and why not."""

    ok: bool
    status: str
    signer: str | None = None
    signed_at: dt.datetime | None = None
    failures: list[str] = field(default_factory=list)
    root_fingerprint: str | None = None  # SHA-256 of the trusted root the signer chains to (when trusted)

    def describe(self) -> str:
        """One line for the terminal or a dialog."""
        # Only a trusted seal proves who sealed; otherwise the name is merely claimed.
        verb = "sealed by" if self.ok else "signature names"
        who = f" — {verb} {self.signer}" if self.signer else ""
        when = f" on {self.signed_at.astimezone():%Y-%m-%d %H:%M}" if self.signed_at else ""
        return f"{self.status}{who}{when}"
