"""The encrypted backup file of a meeting (``*.conclave-backup``): its format, sealing and opening.

What is inside is a tar archive (standard library, no compression: the database and the sealed
PDFs hardly compress, and a plain tar is readable by any tool once decrypted) whose first member
is ``MANIFEST.json`` — the SHA-256 and size of every other member and the meeting it holds. This
module encrypts such a tar and decrypts it; :mod:`app.services.backup` decides what goes in and
where it goes back.

The file::

    b"CONCLAVE-BACKUP\\n"          16 bytes, the magic
    length                         4 bytes, big-endian: the header's length
    header                         UTF-8 JSON: format version, KDF and its parameters, the salt,
                                   the nonce prefix, chunk size, plaintext length, key check
    SHA-256(magic+length+header)   32 bytes: tells a damaged header from a wrong passphrase
    chunks                         AES-256-GCM, each CHUNK bytes of plaintext + a 16-byte tag;
                                   the last one shorter (possibly empty)

Why these choices:

* **scrypt** (``cryptography``'s KDF), a fresh random salt per file, cost ``n = 2**17, r = 8,
  p = 1`` (128 MiB, about half a second on a committee laptop — once per backup or restore, while
  a guesser pays it for every try). The parameters are stored in the header so a later version
  can raise them and still open old files; opening refuses parameters outside sane bounds (a
  crafted header must not make the program allocate gigabytes).
* scrypt gives 64 bytes: the first 32 are the AES-256 key; a hash of the other 32 is the
  header's *key check*, so a wrong passphrase is told apart from a damaged file (both would fail
  GCM's authentication) without revealing anything about the key.
* **AES-256-GCM in chunks of 1 MiB** (the STREAM construction): the nonce of chunk *i* is a
  random 7-byte prefix, *i* on 4 bytes and a last-chunk flag; the whole header is every chunk's
  associated data. So a chunk cannot be changed, reordered, dropped, moved from another backup or
  cut off at the end without the authentication failing — and neither the archive nor its
  ciphertext ever has to sit whole in memory: a meeting with its archive of sealed papers can be
  hundreds of megabytes.
* The plaintext length is in the header, so a truncated file (a USB stick pulled too early) is
  named as such before any decryption, and not mistaken for a wrong passphrase or tampering.

Every refusal is a :class:`~app.errors.RuleViolation` with one bilingual line (``backup.*``).
"""

from __future__ import annotations

import hashlib
import json
import os
import struct
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from app.errors import RuleViolation
from app.text import bi

MAGIC = b"CONCLAVE-BACKUP\n"
FORMAT = 1
SUFFIX = ".conclave-backup"
CHUNK = 1 << 20
TAG = 16

#: scrypt cost of a new backup (2**17: 128 MiB of memory, about half a second). Tests lower it.
SCRYPT_N = 1 << 17
SCRYPT_R = 8
SCRYPT_P = 1
#: What an opened file may ask for: from the old interactive minimum to 1 GiB of memory.
N_BOUNDS = (1 << 14, 1 << 20)
MAX_HEADER = 64 * 1024


@dataclass(frozen=True)
class Header:
    """The clear-text header: what is needed to derive the key, and the meeting's ``origin``
    (the hash of its first audit event — names which meeting without naming it)."""

    raw: bytes          # magic + length + JSON: every chunk's associated data
    fields: dict[str, Any]

    @property
    def origin(self) -> str:
        return str(self.fields.get("origin", ""))

    @property
    def created(self) -> str:
        return str(self.fields.get("created", ""))

    @property
    def length(self) -> int:
        return int(self.fields["length"])


def refuse(rule: str, english: str, chinese: str) -> RuleViolation:
    return RuleViolation.single(rule, bi(english, chinese))


def _derive(passphrase: bytes, salt: bytes, n: int, r: int, p: int) -> tuple[bytes, str]:
    from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

    out = Scrypt(salt=salt, length=64, n=n, r=r, p=p).derive(passphrase)
    return out[:32], hashlib.sha256(b"conclave-backup-check" + out[32:]).hexdigest()[:32]


def _nonce(prefix: bytes, index: int, last: bool) -> bytes:
    return prefix + struct.pack(">I", index) + (b"\x01" if last else b"\x00")


def encrypt_file(plain: Path, out: Path, passphrase: bytes, *, origin: str, created: str) -> None:
    """Encrypt the file ``plain`` into ``out`` (written beside it first, then renamed into place,
    so an interrupted backup never leaves a half file under the final name)."""
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    length = plain.stat().st_size
    salt, prefix = os.urandom(16), os.urandom(7)
    key, check = _derive(passphrase, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P)
    fields = {"format": FORMAT, "kdf": {"name": "scrypt", "n": SCRYPT_N, "r": SCRYPT_R, "p": SCRYPT_P,
                                        "salt": salt.hex()},
              "cipher": "AES-256-GCM", "nonce_prefix": prefix.hex(), "chunk": CHUNK, "length": length,
              "check": check, "origin": origin, "created": created}
    body = json.dumps(fields, sort_keys=True, separators=(",", ":")).encode("utf-8")
    raw = MAGIC + struct.pack(">I", len(body)) + body
    aead = AESGCM(key)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.partial")
    try:
        with plain.open("rb") as src, tmp.open("wb") as dst:
            dst.write(raw + hashlib.sha256(raw).digest())
            index = 0
            while True:
                block = src.read(CHUNK)
                last = len(block) < CHUNK
                dst.write(aead.encrypt(_nonce(prefix, index, last), block, raw))
                index += 1
                if last:
                    break
            dst.flush()
            os.fsync(dst.fileno())
        os.replace(tmp, out)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def expected_size(length: int) -> int:
    """Ciphertext bytes for ``length`` bytes of plaintext: full chunks and the shorter last one."""
    return (length // CHUNK + 1) * TAG + length


def read_header(path: Path) -> Header:
    """The header of a backup file, checked; refused if the file is not one, or damaged."""
    name = path.name
    try:
        with path.open("rb") as fh:
            start = fh.read(len(MAGIC) + 4)
            if len(start) < len(MAGIC) + 4 or not start.startswith(MAGIC):
                raise refuse("backup.format", f"{name} is not a Conclave backup file",
                             f"{name}不是本系统的备份文件")
            (size,) = struct.unpack(">I", start[len(MAGIC):])
            if size > MAX_HEADER:
                raise _damaged(name)
            body = fh.read(size)
            digest = fh.read(32)
    except OSError as exc:
        raise refuse("backup.unreadable", f"cannot read the backup {name}: {exc.strerror}",
                     f"无法读取备份文件{name}：{exc.strerror}") from None
    if len(body) < size or len(digest) < 32:
        raise _truncated(name)
    raw = start + body
    if hashlib.sha256(raw).digest() != digest:
        raise _damaged(name)
    try:
        fields = json.loads(body.decode("utf-8"))
        if int(fields["format"]) > FORMAT:
            raise refuse("backup.newer", f"{name} was written by a newer Conclave (backup format "
                         f"{fields['format']}); restore it with that version",
                         f"{name}由更新版本的本系统写入（备份格式第{fields['format']}版），请用该版本恢复")
        kdf = fields["kdf"]
        n, r, p = int(kdf["n"]), int(kdf["r"]), int(kdf["p"])
        if kdf["name"] != "scrypt" or not (N_BOUNDS[0] <= n <= N_BOUNDS[1]) or n & (n - 1) or r != 8 or p != 1 \
                or fields["cipher"] != "AES-256-GCM" or int(fields["chunk"]) != CHUNK \
                or len(bytes.fromhex(fields["nonce_prefix"])) != 7:
            raise _damaged(name)
        int(fields["length"])
    except RuleViolation:
        raise
    except (ValueError, KeyError, TypeError):
        raise _damaged(name) from None
    return Header(raw, fields)


def decrypt_file(path: Path, passphrase: bytes, out: IO[bytes]) -> Header:
    """Decrypt the backup ``path`` into ``out``, checking every chunk; refused with one line for a
    file that is not a backup, damaged, truncated or opened with the wrong passphrase. Chunks are
    written as they are authenticated: on a refusal the caller discards what was written."""
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    header = read_header(path)
    name = path.name
    start = len(header.raw) + 32
    actual = path.stat().st_size - start
    wanted = expected_size(header.length)
    if actual < wanted:
        raise _truncated(name)
    if actual > wanted:
        raise _damaged(name)
    kdf = header.fields["kdf"]
    key, check = _derive(passphrase, bytes.fromhex(kdf["salt"]), int(kdf["n"]), int(kdf["r"]), int(kdf["p"]))
    if check != header.fields["check"]:
        raise refuse("backup.passphrase", f"wrong passphrase for the backup {name}",
                     f"备份文件{name}的口令不正确")
    aead = AESGCM(key)
    prefix = bytes.fromhex(header.fields["nonce_prefix"])
    with path.open("rb") as fh:
        fh.seek(start)
        for index, (block, last) in enumerate(_chunks(fh, header.length)):
            try:
                out.write(aead.decrypt(_nonce(prefix, index, last), block, header.raw))
            except InvalidTag:
                raise _damaged(name) from None
    return header


def _chunks(fh: IO[bytes], length: int) -> Iterator[tuple[bytes, bool]]:
    full = length // CHUNK
    for _ in range(full):
        yield fh.read(CHUNK + TAG), False
    yield fh.read(length - full * CHUNK + TAG), True


def _damaged(name: str) -> RuleViolation:
    return refuse("backup.damaged", f"the backup {name} is damaged (its content does not match its "
                  "authentication); nothing was restored",
                  f"备份文件{name}已损坏（内容与其认证码不符），未恢复任何内容")


def _truncated(name: str) -> RuleViolation:
    return refuse("backup.truncated", f"the backup {name} is incomplete (cut off: copied or written only in "
                  "part); nothing was restored",
                  f"备份文件{name}不完整（被截断：只复制或写入了一部分），未恢复任何内容")
