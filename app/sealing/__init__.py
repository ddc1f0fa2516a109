"""Sealing (电子签章): the committee's own key, PAdES seals on documents, and their checks.

The committee creates its key on the meeting laptop at setup (:mod:`app.sealing.keys`);
minutes and result sheets are sealed with a visible PAdES signature
(:mod:`app.sealing.sign`); anyone holding the committee's root certificate can check a
sealed file offline (:mod:`app.sealing.verify`), and a QR payload read from a printed
sheet can be checked against the archive (:mod:`app.sealing.qrcheck`). Nothing here
touches the network: no CRL, OCSP or timestamp server is ever asked.

Importing this package stays cheap: pyHanko is imported only by the modules that sign
or verify, so ``conclave --help`` and the key set-up do not pay for it.
"""

from __future__ import annotations

from app.sealing.keys import (
    DEMO_PASSPHRASE,
    PASSPHRASE_ENV,
    CommitteeKey,
    create_committee_key,
    default_key_path,
    load_committee_key,
    passphrase_from,
    root_pem_path_for,
)

__all__ = [
    "DEMO_PASSPHRASE",
    "PASSPHRASE_ENV",
    "CommitteeKey",
    "create_committee_key",
    "default_key_path",
    "load_committee_key",
    "passphrase_from",
    "root_pem_path_for",
]
