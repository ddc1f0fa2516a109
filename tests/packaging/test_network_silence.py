"""Nothing reaches for the network while a paper is sealed and its seal checked: no socket is
connected, no name resolved, no CRL, OCSP or certificate fetcher of pyHanko's validator asked.
The meeting laptop is offline; a seal whose check needed the internet would fail there, or
wait. Controls show the guard catches a real connection and a real fetcher call."""

from __future__ import annotations

import asyncio
import socket
from pathlib import Path

import pytest

from app.sealing.keys import create_committee_key
from app.sealing.verify import verify_pdf
from tests.sealing.helpers import make_pdf, seal

from .netguard import NetworkUsed, no_network

COMMITTEE = "某市卫生系列中级职称评审委员会"


def test_sealing_and_verifying_use_no_network(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with no_network(monkeypatch) as attempts:
        key = create_committee_key(COMMITTEE, b"offline seal 2025 horse", tmp_path / "committee.p12")
        # The Latin seal: the fonts are local files either way, and a CJK seal costs a second more.
        options: dict[str, object] = {"signer_name": "Zhang San", "reason": "result", "allow_latin_fallback": True}
        sealed = seal(make_pdf(tmp_path / "plain.pdf"), tmp_path / "sealed.pdf", key, options)
        report = verify_pdf(sealed, [key.root])
    assert attempts == []
    assert report.ok, report.failures


def test_the_guard_catches_a_real_connection(monkeypatch: pytest.MonkeyPatch) -> None:
    with no_network(monkeypatch) as attempts, pytest.raises(NetworkUsed):
        socket.create_connection(("127.0.0.1", 9), timeout=1)
    with no_network(monkeypatch) as attempts2, socket.socket() as s, pytest.raises(NetworkUsed):
        s.connect(("127.0.0.1", 9))
    assert attempts and attempts2 == ["socket.connect(('127.0.0.1', 9))"]


def test_the_guard_catches_pyhankos_fetchers(monkeypatch: pytest.MonkeyPatch) -> None:
    """The classes patched are the ones the validator would call: those of its default backend
    (aiohttp, ``pyhanko_certvalidator.fetchers._default_fetcher_backend``)."""
    from asn1crypto import x509 as asn1_x509
    from pyhanko_certvalidator.fetchers.aiohttp_fetchers import AIOHttpFetcherBackend

    cert = asn1_x509.Certificate.load(_self_signed_der())

    async def ask(which: str) -> None:
        async with AIOHttpFetcherBackend() as fetchers:
            if which == "crl":
                await fetchers.crl_fetcher.fetch(cert)
            else:
                await fetchers.ocsp_fetcher.fetch(cert, cert)

    with no_network(monkeypatch) as attempts:
        for which in ("crl", "ocsp"):
            with pytest.raises(NetworkUsed):
                asyncio.run(ask(which))
    assert len(attempts) == 2 and all("Fetcher.fetch" in a for a in attempts), attempts


def _self_signed_der() -> bytes:
    """A throwaway certificate (EC: made in a millisecond, unlike the committee's RSA key)."""
    import datetime as dt

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.hazmat.primitives.serialization import Encoding
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "guard control")])
    now = dt.datetime.now(dt.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(1).not_valid_before(now).not_valid_after(now + dt.timedelta(days=1))
            .sign(key, hashes.SHA256()))
    return cert.public_bytes(Encoding.DER)
