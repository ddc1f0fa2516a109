"""The committee's key (评审委员会签章密钥): a local root and a signing certificate.

Why a root of our own: the meeting laptop is air-gapped, so no public CA, CRL or OCSP
responder can vouch for the committee. Instead the committee creates, at setup, a
self-signed root certificate and a signing certificate issued by it. The root is
public — it is stored with the meeting and printed as a fingerprint — and it is the
only thing a verifier has to trust. The private key never leaves one PKCS#12 file
protected by the committee's passphrase.

Why RSA-3072 rather than EC P-256: both give about 128-bit security, and P-256 would be
faster to create, but sealed minutes are archived and re-opened for years by filing
offices with whatever PDF viewer they have; RSA with SHA-256 (PKCS#1 v1.5) is the one
signature every PAdES-capable viewer verifies. The cost is a second or two of key
generation, once, at setup.

Why the root names a second, small key (the QR key): a printed result sheet carries its facts
in a QR code signed by the committee (:mod:`app.sealing.qrfacts`), and a verifier holding only
the root (``ROOT.pem``) must be able to check it. An RSA-3072 signature (384 bytes) with the
signing certificate it needs would not fit a code that scans at 150 dpi; an Ed25519 signature
is 64 bytes. So the committee's Ed25519 *QR key* is derived from the signing key (HKDF-SHA256
over its private key: nothing more to store or back up, the PKCS#12 file holds it), and its
public key is written into the root certificate itself, in a private non-critical extension
(:data:`EXT_QR_KEY`), when the root is made. The root's fingerprint therefore vouches for the
QR key as it vouches for the signing certificate. A key made before this extension existed
has no QR key: its result sheets keep the ``conclave:1:`` code, checked against the archive.

Why emailProtection beside document signing in the signer's extended key usage: NSS (poppler,
Okular, Evince) accepts a signing certificate only for the purposes it knows, and document
signing is not one of them ("certificate type not approved"); emailProtection (S/MIME) is the
one it checks for signatures. A key made before this was added keeps its certificate (the root
cannot issue another: its private key is never kept); Acrobat and Conclave accept it, poppler
does not.

Why 30 years by default: there is no timestamp authority offline, so a sealed file is
checked against the certificates' validity *today*; the certificates must outlive
the archive retention period of the review files.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ed25519, rsa
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID, ObjectIdentifier

from app.errors import RuleViolation
from app.rules.passphrase import meeting_words, require_strong
from app.text import bi

DEMO_PASSPHRASE = "demo-key-not-for-real-use"
"""Passphrase of the *demo meeting's* key only (``conclave demo``). Never use it for a
real committee: anyone who has read this source can open a key protected by it. It is
strong enough for :func:`app.rules.passphrase.require_strong`, like any key's."""

PASSPHRASE_ENV = "CONCLAVE_PASSPHRASE"
"""Environment variable read for non-interactive use when no passphrase file is given."""

KEY_FILE_NAME = "committee-key.p12"
RSA_KEY_BITS = 3072
MAX_NAME_LENGTH = 50  # X.509 caps a common name at 64 characters; we add a suffix

# RFC 9336 id-kp-documentSigning, and Microsoft's Document Signing purpose, which
# Acrobat and Windows viewers accept; together they say "this key signs documents".
EKU_DOCUMENT_SIGNING = ObjectIdentifier("1.3.6.1.5.5.7.3.36")
EKU_MS_DOCUMENT_SIGNING = ObjectIdentifier("1.3.6.1.4.1.311.10.3.12")
EKU_EMAIL_PROTECTION = ExtendedKeyUsageOID.EMAIL_PROTECTION  # what NSS checks a signer for

#: The root's private extension naming the committee's Ed25519 QR key: a UUID-based OID
#: (ITU-T X.667, arc 2.25) of Conclave's own; its value is the DER OCTET STRING of the 32-byte
#: raw public key.
EXT_QR_KEY = ObjectIdentifier("2.25.203477777104321699188145604422243788157")


@dataclass(frozen=True, slots=True)
class CommitteeKey:
    """The committee's signing key with its certificate and the root that issued it."""

    committee_name: str
    private_key: rsa.RSAPrivateKey
    certificate: x509.Certificate  # signing certificate (签章证书)
    root: x509.Certificate  # committee root (根证书), the verifiers' only trust anchor

    def root_certificate_pem(self) -> str:
        """The root in PEM, to store in the meeting database and hand to verifiers."""
        return self.root.public_bytes(serialization.Encoding.PEM).decode("ascii")

    def root_fingerprint(self) -> str:
        """SHA-256 of the root, grouped for printing on paper and reading aloud."""
        return fingerprint(self.root)

    def qr_key(self) -> ed25519.Ed25519PrivateKey | None:
        """The Ed25519 key that signs the facts in result sheets' QR codes, or None for a key
        made before its root named one (see the module docstring)."""
        if qr_public_key(self.root) is None:
            return None
        return derive_qr_key(self.private_key)


def derive_qr_key(signing_key: rsa.RSAPrivateKey) -> ed25519.Ed25519PrivateKey:
    """The committee's QR key, derived from its signing key (HKDF-SHA256): the same every time."""
    secret = signing_key.private_numbers().d.to_bytes((signing_key.key_size + 7) // 8, "big")
    seed = HKDF(algorithm=hashes.SHA256(), length=32, salt=b"conclave qr key",
                info=b"ed25519/1").derive(secret)
    return ed25519.Ed25519PrivateKey.from_private_bytes(seed)


def qr_public_key(root: x509.Certificate) -> ed25519.Ed25519PublicKey | None:
    """The QR key the root names (:data:`EXT_QR_KEY`), or None when it names none."""
    try:
        ext = root.extensions.get_extension_for_oid(EXT_QR_KEY).value
    except x509.ExtensionNotFound:
        return None
    raw = getattr(ext, "value", b"")
    if len(raw) != 34 or raw[:2] != b"\x04\x20":
        return None
    return ed25519.Ed25519PublicKey.from_public_bytes(raw[2:])


def fingerprint(cert: x509.Certificate) -> str:
    """``AB:CD:…`` SHA-256 fingerprint of a certificate."""
    return ":".join(f"{b:02X}" for b in cert.fingerprint(hashes.SHA256()))


def default_key_path() -> Path:
    """Where the committee key lives when no path is given: the user data folder."""
    import platformdirs

    return platformdirs.user_data_path("conclave", appauthor=False) / KEY_FILE_NAME


def root_pem_path_for(path: Path) -> Path:
    """The public root PEM kept beside a key file or a meeting database (``<path>.root.pem``)."""
    return path.with_name(path.name + ".root.pem")


def create_committee_key(
    committee_name: str,
    passphrase: bytes | str,
    path: Path,
    *,
    valid_years: int = 30,
    overwrite: bool = False,
) -> CommitteeKey:
    """Create the committee's root and signing certificate and store them in ``path``.

    A weak passphrase is refused (:func:`app.rules.passphrase.require_strong`, the committee's
    name counted among the first guesses); the caller may have checked it against more of the
    meeting's words already (:meth:`app.services.documents.DocumentsService.create_key` does).

    The PKCS#12 file is written atomically with mode 0600; the public root is also
    written beside it (:func:`root_pem_path_for`) so files can be verified without the
    passphrase. An existing key is never replaced unless ``overwrite`` is set: every
    document sealed so far is trusted through that key's root.
    """
    name = committee_name.strip()
    if not name or len(name) > MAX_NAME_LENGTH:
        raise RuleViolation.single(
            "seal.name", bi(f"the committee name must have 1 to {MAX_NAME_LENGTH} characters",
                            f"评委会名称须为1至{MAX_NAME_LENGTH}个字符")
        )
    secret = _as_bytes(passphrase)
    require_strong(secret, meeting_words([name]))   # no key file behind a weak passphrase, however made
    path = Path(path)
    if path.exists() and not overwrite:
        raise RuleViolation.single(
            "seal.key",
            bi(f"a committee key already exists at {path}; documents sealed with it would no "
               "longer verify if it were replaced",
               f"{path}已有评委会签章密钥；如被替换，用它盖章的文书将无法核验"),
        )

    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    not_before = now - dt.timedelta(days=1)  # tolerate a laptop clock a little behind
    not_after = now + dt.timedelta(days=round(365.25 * valid_years))

    root_key = rsa.generate_private_key(public_exponent=65537, key_size=RSA_KEY_BITS)
    signing_key = rsa.generate_private_key(public_exponent=65537, key_size=RSA_KEY_BITS)
    qr_raw = derive_qr_key(signing_key).public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    root_name = _name(_common_name(name, "根证书"), name)
    root = (
        x509.CertificateBuilder()
        .subject_name(root_name)
        .issuer_name(root_name)
        .public_key(root_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(not_after)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_key_usage(key_cert_sign=True), critical=True)
        .add_extension(
            x509.SubjectKeyIdentifier.from_public_key(root_key.public_key()), critical=False
        )
        .add_extension(x509.UnrecognizedExtension(EXT_QR_KEY, b"\x04\x20" + qr_raw), critical=False)
        .sign(root_key, hashes.SHA256())
    )

    certificate = (
        x509.CertificateBuilder()
        .subject_name(_name(_common_name(name, "电子签章"), name))
        .issuer_name(root.subject)
        .public_key(signing_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(not_after)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_key_usage(digital_signature=True), critical=True)
        .add_extension(
            x509.ExtendedKeyUsage([EKU_DOCUMENT_SIGNING, EKU_MS_DOCUMENT_SIGNING,
                                   EKU_EMAIL_PROTECTION]), critical=False
        )
        .add_extension(
            x509.SubjectKeyIdentifier.from_public_key(signing_key.public_key()), critical=False
        )
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(root_key.public_key()),
            critical=False,
        )
        .sign(root_key, hashes.SHA256())
    )
    # The root's private key is dropped here: with path_length=0 and no key to issue
    # more, the root can vouch for exactly this one signing certificate.

    data = pkcs12.serialize_key_and_certificates(
        b"conclave committee key",  # friendlyName is BMPString: keep it ASCII
        signing_key,
        certificate,
        [root],
        serialization.BestAvailableEncryption(secret),
    )
    key = CommitteeKey(name, signing_key, certificate, root)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(path, data, mode=0o600)
    write_root_pem(key, root_pem_path_for(path))
    return key


def load_committee_key(path: Path, passphrase: bytes | str) -> CommitteeKey:
    """Open the committee key; every failure is a :class:`RuleViolation` a person can act on."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise RuleViolation.single(
            "seal.key", bi(f"no committee key at {path}; create the committee key first",
                           f"{path}没有评委会签章密钥，请先创建评委会签章密钥")
        ) from None
    except OSError as exc:
        raise RuleViolation.single(
            "seal.key", bi(f"cannot read the committee key {path}: {exc.strerror}",
                           f"无法读取评委会签章密钥{path}：{exc.strerror}")
        ) from None
    if not _looks_like_pkcs12(data):
        raise RuleViolation.single("seal.key", bi(f"{path} is not a committee key file (PKCS#12)",
                                                  f"{path}不是评委会签章密钥文件（PKCS#12）"))
    try:
        private_key, certificate, extra = pkcs12.load_key_and_certificates(
            data, _as_bytes(passphrase)
        )
    except ValueError:
        raise RuleViolation.single(
            "seal.passphrase", bi(f"wrong passphrase for the committee key {path.name}",
                                  f"评委会签章密钥{path.name}的口令不正确")
        ) from None
    roots = [c for c in extra if c.subject == c.issuer]
    if not isinstance(private_key, rsa.RSAPrivateKey) or certificate is None or len(roots) != 1:
        raise RuleViolation.single("seal.key", bi(f"{path} does not hold a Conclave committee key",
                                                  f"{path}中没有本系统的评委会签章密钥"))
    root = roots[0]
    try:
        certificate.verify_directly_issued_by(root)
    except (InvalidSignature, ValueError, TypeError) as exc:
        raise RuleViolation.single(
            "seal.key", bi(f"{path}: the signing certificate was not issued by its root ({exc})",
                           f"{path}：签章证书不是由其根证书签发的（{exc}）")
        ) from None
    names = root.subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)
    committee = str(names[0].value) if names else ""
    return CommitteeKey(committee, private_key, certificate, root)


def write_root_pem(key: CommitteeKey, path: Path) -> None:
    """Write the public root certificate (PEM) atomically; it is not secret (mode 0644)."""
    write_atomically(Path(path), key.root_certificate_pem().encode("ascii"), mode=0o644)


def load_root_pem(path: Path) -> list[x509.Certificate]:
    """Read the trusted root certificate(s) from a PEM file."""
    return x509.load_pem_x509_certificates(Path(path).read_bytes())


def passphrase_from(ns: Any = None, environ: Mapping[str, str] | None = None) -> bytes | None:
    """The passphrase for non-interactive use: ``--passphrase-file``, else ``$CONCLAVE_PASSPHRASE``.

    Returns ``None`` when neither is given, so the caller may ask a person. A trailing
    newline in the file is dropped (editors add one), and so is a UTF-8 byte-order mark (Notepad
    on Windows writes one); nothing else is stripped. A file that is not UTF-8 was saved in the
    Chinese Windows code page (GBK, read as its superset GB18030) and is read as such, so the
    passphrase is the same bytes as when it is typed in the window.
    """
    environ = os.environ if environ is None else environ
    file_name = getattr(ns, "passphrase_file", None)
    if file_name:
        try:
            raw = Path(file_name).read_bytes()
        except OSError as exc:
            raise RuleViolation.single(
                "seal.passphrase", bi(f"cannot read the passphrase file {file_name}: {exc.strerror}",
                                      f"无法读取口令文件{file_name}：{exc.strerror}")
            ) from None
        secret = _as_utf8(raw.removeprefix(b"\xef\xbb\xbf")).removesuffix(b"\n").removesuffix(b"\r")
        if not secret:
            raise RuleViolation.single(
                "seal.passphrase", bi(f"the passphrase file {file_name} is empty", f"口令文件{file_name}是空的")
            )
        return secret
    value = environ.get(PASSPHRASE_ENV)
    return value.encode("utf-8") if value else None


def _as_utf8(raw: bytes) -> bytes:
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        try:
            return raw.decode("gb18030").encode("utf-8")
        except UnicodeDecodeError:
            return raw
    return raw


def _as_bytes(passphrase: bytes | str) -> bytes:
    return passphrase.encode("utf-8") if isinstance(passphrase, str) else bytes(passphrase)


#: X.509 caps a common name at 64 bytes (ub-common-name; cryptography counts UTF-8 bytes): 21
#: Chinese characters, fewer than many committees' names (湘西自治州卫生系列中级职称评审委员会 and
#: its suffix are 67 bytes).
COMMON_NAME_BYTES = 64


def _common_name(committee: str, suffix: str) -> str:
    """"{committee} {suffix}", the committee's name shortened with "…" when the whole would pass
    the 64-byte cap; the full name stays in the organisation attribute, which names the committee.
    The suffix is kept, so the root's and the signer's names always differ."""
    whole = f"{committee} {suffix}"
    if len(whole.encode("utf-8")) <= COMMON_NAME_BYTES:
        return whole
    room = COMMON_NAME_BYTES - len(f"… {suffix}".encode())
    short = committee
    while len(short.encode("utf-8")) > room:
        short = short[:-1]
    return f"{short}… {suffix}"


def _name(common_name: str, organisation: str) -> x509.Name:
    # cryptography encodes these attributes as UTF8String, so Chinese names are kept as is.
    return x509.Name(
        [
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def _key_usage(*, digital_signature: bool = False, key_cert_sign: bool = False) -> x509.KeyUsage:
    """keyCertSign+cRLSign for the root; digitalSignature+nonRepudiation for the signer."""
    return x509.KeyUsage(
        digital_signature=digital_signature,
        content_commitment=digital_signature,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=key_cert_sign,
        crl_sign=key_cert_sign,
        encipher_only=False,
        decipher_only=False,
    )


def _looks_like_pkcs12(data: bytes) -> bool:
    """Tell a damaged or foreign file from a wrong passphrase (both fail to decrypt)."""
    from asn1crypto import pkcs12 as asn1_pkcs12

    try:
        pfx = asn1_pkcs12.Pfx.load(data, strict=True)
        return pfx["version"].native == "v3" and pfx["auth_safe"]["content_type"].native == "data"
    except (ValueError, TypeError, KeyError):
        return False


def write_atomically(path: Path, data: bytes, *, mode: int) -> None:
    """Write a temporary file beside ``path``, then rename: a crash leaves old or new, not half."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    if hasattr(os, "O_DIRECTORY"):  # make the rename itself durable (POSIX)
        dir_fd = os.open(path.parent, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
