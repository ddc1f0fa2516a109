"""The host's TLS certificate, and the terminal's pin on it.

Why a self-signed certificate of the host's own, not one issued under the committee's root:
the committee root's private key is never kept (:mod:`app.sealing.keys` — it signs the signing
certificate once, at setup, and is discarded), and the signing certificate is no CA, so nothing
on the laptop can issue a server certificate under that root. It would add nothing either: a
terminal trusts exactly the certificate whose fingerprint the chair showed it at pairing (read
off the screen or scanned from the QR code) and nothing else — no chain, no system store, no
name check — so a chain up to the root would never be looked at.

Why ECDSA P-256 rather than the committee's RSA-3072: the host key only protects the link, for
the hours of a meeting; a P-256 key is made in milliseconds, its handshakes are cheap (41
terminals connect at once), and every TLS library speaks it.

Why it is kept beside the database (``<db stem>.lan-host.pem`` and ``…lan-host-key.pem``, mode
0600, encrypted when the host is given a passphrase): a host restarted in the middle of the vote
must show the same fingerprint, or every paired terminal would refuse it — which is the point
of the pin. Delete both files to make the terminals pair again.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import ipaddress
import socket
import ssl
from dataclasses import dataclass
from pathlib import Path

from app.errors import RuleViolation
from app.text import bi

CERT_SUFFIX = ".lan-host.pem"
KEY_SUFFIX = ".lan-host-key.pem"
VALID_DAYS = 3 * 366    # a meeting's host certificate; a new one means pairing the terminals again


@dataclass(frozen=True)
class HostCertificate:
    """Where the host's certificate and key are, and the certificate's SHA-256 fingerprint."""

    cert_path: Path
    key_path: Path
    fingerprint: str


def cert_paths_for(db_path: Path) -> tuple[Path, Path]:
    """The host certificate and key beside the meeting database ``db_path``."""
    db_path = Path(db_path)
    return db_path.with_name(db_path.stem + CERT_SUFFIX), db_path.with_name(db_path.stem + KEY_SUFFIX)


def fingerprint_of_der(der: bytes) -> str:
    """``AB:CD:…`` SHA-256 of a certificate in DER (the form :func:`app.sealing.keys.fingerprint` prints)."""
    return ":".join(f"{b:02X}" for b in hashlib.sha256(der).digest())


def grouped(fp: str) -> str:
    """A fingerprint as the screen shows it: groups of four hex digits (``ABCD EF01 …``)."""
    digits = normal_fingerprint(fp)
    return " ".join(digits[i:i + 4] for i in range(0, len(digits), 4))


def normal_fingerprint(fp: str) -> str:
    """A typed fingerprint without separators and in upper case: ``ab:cd ef`` → ``ABCDEF``."""
    return "".join(ch for ch in fp.upper() if ch in "0123456789ABCDEF")


def host_certificate(db_path: Path, passphrase: bytes | None = None, names: tuple[str, ...] = ()) -> HostCertificate:
    """The host certificate kept beside ``db_path``, made on first use (see the module docstring).
    ``names``: IP addresses written into the certificate's subjectAltName when it is made (a
    courtesy for tools that look; terminals pin the fingerprint and never check names)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    from app.sealing.keys import write_atomically

    cert_path, key_path = cert_paths_for(db_path)
    if cert_path.exists() and key_path.exists():
        cert = x509.load_pem_x509_certificate(cert_path.read_bytes())
        try:
            serialization.load_pem_private_key(key_path.read_bytes(), passphrase)
        except (TypeError, ValueError):
            raise RuleViolation.single("lan.host_key", bi(
                f"the host's TLS key {key_path} does not open with the passphrase given",
                f"主机TLS密钥{key_path}无法用所给口令打开")) from None
        return HostCertificate(cert_path, key_path, fingerprint_of_der(cert.public_bytes(serialization.Encoding.DER)))
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Conclave host 评审会议主机")])
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    alt: list[x509.GeneralName] = [x509.DNSName("conclave-host")]
    for n in names:
        try:
            alt.append(x509.IPAddress(ipaddress.ip_address(n)))
        except ValueError:
            continue
    cert = (
        x509.CertificateBuilder()
        .subject_name(name).issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))      # a terminal's clock a little behind
        .not_valid_after(now + dt.timedelta(days=VALID_DAYS))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=False, key_encipherment=False,
                                     data_encipherment=False, key_agreement=False, key_cert_sign=False,
                                     crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(x509.SubjectAlternativeName(alt), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    encryption: serialization.KeySerializationEncryption = (
        serialization.BestAvailableEncryption(passphrase) if passphrase else serialization.NoEncryption())
    write_atomically(key_path, key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                                 encryption), mode=0o600)
    write_atomically(cert_path, cert.public_bytes(serialization.Encoding.PEM), mode=0o644)
    return HostCertificate(cert_path, key_path, fingerprint_of_der(cert.public_bytes(serialization.Encoding.DER)))


# -- the terminal's side -------------------------------------------------------
def fetch_certificate(address: str, timeout: float = 5.0) -> bytes:
    """The DER certificate the host at ``address`` (``ip:port``) presents — read once, at
    pairing, without trusting it: the caller compares its fingerprint with the one typed."""
    host, port = split_address(address)
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    ctx.minimum_version = ssl.TLSVersion.TLSv1_2
    try:
        with socket.create_connection((host, port), timeout=timeout) as raw, \
                ctx.wrap_socket(raw, server_hostname=None) as tls:
            der = tls.getpeercert(binary_form=True)
    except OSError as exc:
        raise unreachable(address, exc) from None
    if not der:
        raise unreachable(address, "no certificate")
    return der


def pinned_context(cert_pem: str) -> ssl.SSLContext:
    """A client context that trusts exactly ``cert_pem`` (the host's own certificate) and nothing
    else: no system store, no CA; host names are not checked because the pin is the certificate."""
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.minimum_version = ssl.TLSVersion.TLSv1_2
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_REQUIRED
    ctx.load_verify_locations(cadata=cert_pem)
    return ctx


def check_fingerprint(der: bytes, expected: str, address: str) -> None:
    """Refuse (``lan.fingerprint``) a certificate whose SHA-256 is not the one the chair's screen shows."""
    got = normal_fingerprint(fingerprint_of_der(der))
    if got != normal_fingerprint(expected):
        raise RuleViolation.single("lan.fingerprint", bi(
            f"the host at {address} presents certificate {grouped(got)[:19]}…, not the fingerprint typed "
            f"({grouped(expected)[:19]}…): this is not the meeting's host — check the address and the "
            "fingerprint shown on the host screen",
            f"{address}上的主机证书指纹为{grouped(got)[:19]}…，与输入的指纹（{grouped(expected)[:19]}…）不符："
            "这不是本次会议的主机，请核对主机屏幕上显示的地址和指纹"))


def split_address(address: str) -> tuple[str, int]:
    """``"192.168.1.10:8443"`` → (``"192.168.1.10"``, 8443); refused (``lan.address``) when malformed."""
    host, _, port = address.strip().rpartition(":")
    try:
        ipaddress.ip_address(host.strip("[]"))
        number = int(port)
        if not 0 < number < 65536:
            raise ValueError(port)
    except ValueError:
        raise RuleViolation.single("lan.address", bi(
            f"{address!r} is not a host address: give it as the host screen shows it, e.g. 192.168.1.10:8443",
            f"“{address}”不是主机地址，请按主机屏幕显示的格式输入，例如 192.168.1.10:8443")) from None
    return host.strip("[]"), number


def unreachable(address: str, why: object) -> RuleViolation:
    return RuleViolation.single("lan.unreachable", bi(
        f"the host at {address} cannot be reached ({why}); check the network cable and that serving is on",
        f"无法连接{address}上的主机（{why}），请检查网线，并确认主机已开启服务"))


def pem_of_der(der: bytes) -> str:
    return ssl.DER_cert_to_PEM_cert(der)
