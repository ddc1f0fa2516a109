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

Why the passphrase is stretched with scrypt before it becomes the PKCS#12 password: a
PKCS#12 file's integrity MAC is keyed from the password with only 2,048 iterations (OpenSSL's
and cryptography's fixed count, whatever the encryption's own rounds), and the MAC is checked
first — so a stolen key file lets a guesser try a passphrase in about half a millisecond. The
password written into the file is therefore not the passphrase but scrypt of it (:class:`Stretch`,
:data:`STRETCH`: ``n = 2**17, r = 8, p = 1``, 128 MiB and about half a second a guess on a
committee laptop — ``python tests/bench/bench_key_guess.py`` measures it), and the bags inside are
encrypted with PBES2 (PBKDF2-SHA256, :attr:`Stretch.rounds` rounds, AES-256-CBC) under an
HMAC-SHA256 MAC rather than the old 3DES/SHA-1. What scrypt needs to be repeated — its cost, a
random salt, and a check value that tells a wrong passphrase from a damaged file — is written in
the file itself, as the *friendly name* of the key's bag (:func:`_header_text`): that attribute
sits outside the bag's encryption, so it is read before the passphrase is tried, and it is
covered by the file's MAC. Why there and not in a sidecar or a wrapper: the key stays one
standard PKCS#12 file (a backup, a copy to a USB stick, ``openssl pkcs12`` with the stretched
password all keep working) and nothing beside it can be lost. A key file written before this
(its bag named just ``conclave committee key``, the passphrase itself as the password) still
opens, and is rewritten in the new form, atomically, the first time it is opened with the right
passphrase (:func:`load_committee_key`). The demo's key is stretched cheaply
(:data:`PUBLISHED_STRETCH`): its passphrase is printed in this source, stretching it protects
nothing, and the demo opens it several times.

Why 30 years by default: there is no timestamp authority offline, so a sealed file is
checked against the certificates' validity *today*; the certificates must outlive
the archive retention period of the review files.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import hmac
import os
import re
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
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt
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
class Stretch:
    """How a passphrase is stretched into the key file's password: scrypt's cost (``n``, ``r``,
    ``p``), and the PBKDF2-SHA256 rounds of the PBES2 encryption of the bags inside the file."""

    n: int
    r: int = 8
    p: int = 1
    rounds: int = 100_000

    def memory(self) -> int:
        """Bytes of memory scrypt needs for one guess (128·r·n)."""
        return 128 * self.r * self.n


#: The cost of a new key file: 128 MiB and about half a second a guess (see the module docstring).
PRODUCTION_STRETCH = Stretch(n=2**17)
#: What :func:`create_committee_key` uses — the production cost; tests lower it (as they do a
#: backup's), and every key file records the cost it was made with, so it opens either way.
STRETCH = PRODUCTION_STRETCH
#: The cost for a key behind :data:`DEMO_PASSPHRASE`: published, so stretching protects nothing.
PUBLISHED_STRETCH = Stretch(n=2**4, rounds=1_000)
#: What a key file may ask for: up to 1 GiB of memory (a crafted file must not make the program
#: allocate more), at least the published key's cost.
N_BOUNDS = (2**4, 2**20)
#: The friendly name of a stretched key's bag starts so; a key written before stretching was
#: named exactly :data:`LEGACY_NAME`.
HEADER_PREFIX = "conclave committee key; "
LEGACY_NAME = "conclave committee key"
_HEADER = re.compile(
    r"conclave committee key; kdf=scrypt n=(\d{1,8}) r=(\d{1,2}) p=(\d{1,2}) rounds=(\d{1,7}) "
    r"salt=([0-9a-f]{32}) check=([0-9a-f]{32}) sum=([0-9a-f]{8})")


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

    The PKCS#12 file is written atomically with mode 0600, its password the passphrase stretched
    with scrypt (:func:`key_file_bytes`, at :func:`stretch_for` the passphrase); the public root is also
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

    key = CommitteeKey(name, signing_key, certificate, root)
    data = key_file_bytes(key, secret, stretch_for(secret))
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(path, data, mode=0o600)
    write_root_pem(key, root_pem_path_for(path))
    return key


def load_committee_key(path: Path, passphrase: bytes | str, *, upgrade: bool = True) -> CommitteeKey:
    """Open the committee key; every failure is a :class:`RuleViolation` a person can act on:
    ``seal.passphrase`` for a wrong passphrase, ``seal.key`` for a missing, foreign or damaged file.

    A stretched file's check value tells a wrong passphrase (``seal.passphrase``) from a file
    damaged after it was written (``seal.key``) before the PKCS#12 is opened. A key file of the
    old form (the passphrase itself its password) opens as before and, with ``upgrade``, is
    rewritten in the stretched form once opened: atomically (old or new, never half), same key,
    same certificates, same root. If it cannot be rewritten (a read-only stick), it still opens:
    the next unlock tries again.
    """
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
    secret = _as_bytes(passphrase)
    header = read_header(data, path)
    if header is None:
        password = secret
    else:
        password, check = _stretched(secret, header.salt, header.stretch)
        if not hmac.compare_digest(check, header.check):
            raise _wrong_passphrase(path)
    try:
        private_key, certificate, extra = pkcs12.load_key_and_certificates(data, password)
    except ValueError:
        if header is None:        # the old form cannot tell the two apart
            raise _wrong_passphrase(path) from None
        raise _damaged(path) from None
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
    key = CommitteeKey(committee, private_key, certificate, root)
    if header is None and upgrade:
        with contextlib.suppress(OSError):      # opened all the same; the next unlock tries again
            write_atomically(path, key_file_bytes(key, secret, stretch_for(secret)), mode=0o600)
    return key


@dataclass(frozen=True, slots=True)
class KeyHeader:
    """What a stretched key file says of itself (its key bag's friendly name): scrypt's cost and
    salt, and the check value of the right passphrase."""

    stretch: Stretch
    salt: bytes
    check: str


def stretch_for(secret: bytes | str) -> Stretch:
    """The cost a new key file gets: :data:`STRETCH`, or :data:`PUBLISHED_STRETCH` for the demo's
    published passphrase (stretching a passphrase anyone can read protects nothing)."""
    return PUBLISHED_STRETCH if _as_bytes(secret) == DEMO_PASSPHRASE.encode("ascii") else STRETCH


def key_file_bytes(key: CommitteeKey, secret: bytes | str, stretch: Stretch) -> bytes:
    """The PKCS#12 file of ``key``: its password scrypt of ``secret`` at ``stretch`` with a fresh
    salt, the bags encrypted with PBES2 (PBKDF2-SHA256, AES-256-CBC), the MAC HMAC-SHA256, and what
    scrypt needs written as the key bag's friendly name (:func:`_header_text`)."""
    salt = os.urandom(16)
    password, check = _stretched(_as_bytes(secret), salt, stretch)
    encryption = (
        serialization.PrivateFormat.PKCS12.encryption_builder()
        .kdf_rounds(stretch.rounds)
        .key_cert_algorithm(pkcs12.PBES.PBESv2SHA256AndAES256CBC)
        .hmac_hash(hashes.SHA256())
        .build(password)
    )
    name = _header_text(KeyHeader(stretch, salt, check))
    return pkcs12.serialize_key_and_certificates(name.encode("ascii"), key.private_key, key.certificate,
                                                 [key.root], encryption)


def read_header(data: bytes, path: Path) -> KeyHeader | None:
    """The stretched key file's header, None for a key file of the old form; a header that does not
    add up (or asks for more than :data:`N_BOUNDS` allows) is a damaged file (``seal.key``)."""
    name = _key_bag_name(data)
    if name is None or not name.startswith(HEADER_PREFIX):
        return None
    found = _HEADER.fullmatch(name)
    if found is None or _sum(name[:name.rindex(" sum=")]) != found[7]:
        raise _damaged(path)
    n, r, p, rounds = (int(found[i]) for i in range(1, 5))
    if not N_BOUNDS[0] <= n <= N_BOUNDS[1] or n & (n - 1) or r != 8 or p != 1 or rounds < 1:
        raise _damaged(path)
    return KeyHeader(Stretch(n, r, p, rounds), bytes.fromhex(found[5]), found[6])


def _header_text(header: KeyHeader) -> str:
    s = header.stretch
    text = (f"{HEADER_PREFIX}kdf=scrypt n={s.n} r={s.r} p={s.p} rounds={s.rounds} "
            f"salt={header.salt.hex()} check={header.check}")
    return f"{text} sum={_sum(text)}"


def _sum(text: str) -> str:
    """A short checksum of the header itself: a damaged salt or cost is named as damage, not as a
    wrong passphrase."""
    return hashlib.sha256(text.encode("ascii")).hexdigest()[:8]


def _stretched(secret: bytes, salt: bytes, stretch: Stretch) -> tuple[bytes, str]:
    """scrypt of the passphrase: the PKCS#12 password (64 hex digits: the MAC's key derivation
    wants a text password) and, from the other half, the check value kept in the header."""
    out = Scrypt(salt=salt, length=64, n=stretch.n, r=stretch.r, p=stretch.p).derive(secret)
    return out[:32].hex().encode("ascii"), hashlib.sha256(b"conclave-key-check" + out[32:]).hexdigest()[:32]


def _key_bag_name(data: bytes) -> str | None:
    """The friendly name of the file's shrouded key bag, read without the passphrase (the bag's
    attributes are outside its encryption), or None."""
    from asn1crypto import pkcs12 as asn1_pkcs12

    try:
        pfx = asn1_pkcs12.Pfx.load(data)
        safe = asn1_pkcs12.AuthenticatedSafe.load(pfx["auth_safe"]["content"].native)
        for info in safe:
            if info["content_type"].native != "data":
                continue
            for bag in asn1_pkcs12.SafeContents.load(info["content"].native):
                if bag["bag_id"].native != "pkcs8_shrouded_key_bag":
                    continue
                for attribute in bag["bag_attributes"]:
                    if attribute["type"].native == "friendly_name":
                        return str(attribute["values"][0].native)
    except (ValueError, TypeError, KeyError, IndexError):
        return None
    return None


def _wrong_passphrase(path: Path) -> RuleViolation:
    return RuleViolation.single(
        "seal.passphrase", bi(f"wrong passphrase for the committee key {path.name}",
                              f"评委会签章密钥{path.name}的口令不正确"))


def _damaged(path: Path) -> RuleViolation:
    return RuleViolation.single(
        "seal.key", bi(f"the committee key file {path} is damaged (the right passphrase does not open it): "
                       "restore it from its backup",
                       f"评委会签章密钥文件{path}已损坏（口令正确也无法打开）：请从备份中恢复"))


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
