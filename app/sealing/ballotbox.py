"""The sealed ballot box of an open round: ballots encrypted as they are cast, opened at close.

Why: while a round is open, each cast commits the voter's tick on the roll and the ballot in one
transaction. Whoever can read the laptop's files (the database, its ``-wal``, its ``-shm``) at
that moment sees which ballot arrived with which voter. So nothing of a choice is written in
the clear while the round is open: every ballot is sealed to a key made for the round, and only
at close — when the supervisor (监督人员) enters the round's passphrase — is the box opened,
shuffled and stored in the clear under random keys (:mod:`app.services.voting`).

The construction is small and well known (ECIES over X25519):

* At opening: an X25519 key pair. The public half is stored with the round; the private half is
  stored encrypted with AES-256-GCM under a key derived from the round passphrase by scrypt
  (a random salt and the cost are stored beside it). A crash during the round loses nothing —
  the box and the wrapped key are in the file; only the passphrase is needed to open it.
* Each ballot: a fresh ephemeral X25519 key, the shared secret through HKDF-SHA256 to an
  AES-256-GCM key, the round id bound as associated data (a sealed ballot cannot be moved to
  another round). Stored: ephemeral public key ‖ nonce ‖ ciphertext.
* Padding: a choice is ``yes``, ``no`` or ``abstain`` — strings of different lengths — so every
  ballot of a round is padded with spaces (which JSON ignores) to the length of the longest
  possible ballot of that round: every sealed ballot of a round has the same length.
* The same seal keeps a typed paper batch while it waits for its second copy (typed by the other
  staff member): a first copy in the clear would show the choices of the batch's few paper
  voters, whom the roll marks ``paper``. It is padded to the longest batch of its size
  (:func:`padded_batch_length`) and bound to its batch, and opened with the round passphrase when
  the second copy is compared with it.

Nothing here touches the database; the caller stores the bytes. ``cryptography`` is imported
where it is used: the window imports the voting service at start-up, and starts without it.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

#: scrypt's cost (N) for a round passphrase: ~0.1 s and 32 MiB on a laptop, paid at opening and at close.
COST = 2**15
_INFO = b"conclave sealed ballot v1"
_WRAP = b"conclave round key v1"


class WrongPassphrase(Exception):
    """The passphrase does not open the round's key (or the stored key was altered)."""


@dataclass(frozen=True)
class RoundKey:
    """What the round stores at opening: the public key, and the private key wrapped under the
    passphrase (``salt``, scrypt ``cost``, ``wrapped`` = nonce ‖ AES-GCM ciphertext)."""

    public: bytes
    salt: bytes
    cost: int
    wrapped: bytes

    def as_json(self) -> dict[str, str | int]:
        return {"public": self.public.hex(), "salt": self.salt.hex(), "cost": self.cost,
                "wrapped": self.wrapped.hex()}

    @classmethod
    def from_json(cls, data: dict[str, str | int]) -> RoundKey:
        return cls(bytes.fromhex(str(data["public"])), bytes.fromhex(str(data["salt"])), int(data["cost"]),
                   bytes.fromhex(str(data["wrapped"])))


def _kek(passphrase: str, salt: bytes, cost: int) -> bytes:
    return hashlib.scrypt(passphrase.encode("utf-8"), salt=salt, n=cost, r=8, p=1, dklen=32, maxmem=2**27)


def new_round_key(passphrase: str, round_ref: str, cost: int = COST) -> RoundKey:
    """A fresh key pair for a round; the private half wrapped under ``passphrase``. ``round_ref``
    (e.g. ``"meeting 1 round 2"``) is bound as associated data of the wrapped key."""
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM
    from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat, PublicFormat

    private = X25519PrivateKey.generate()
    salt = secrets.token_bytes(16)
    nonce = secrets.token_bytes(12)
    raw = private.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
    wrapped = nonce + AESGCM(_kek(passphrase, salt, cost)).encrypt(nonce, raw, _WRAP + round_ref.encode())
    public = private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    return RoundKey(public, salt, cost, wrapped)


def unwrap(key: RoundKey, passphrase: str, round_ref: str) -> X25519PrivateKey:
    """The round's private key; :class:`WrongPassphrase` when ``passphrase`` does not open it."""
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    nonce, body = key.wrapped[:12], key.wrapped[12:]
    try:
        raw = AESGCM(_kek(passphrase, key.salt, key.cost)).decrypt(nonce, body, _WRAP + round_ref.encode())
    except InvalidTag as exc:
        raise WrongPassphrase from exc
    return X25519PrivateKey.from_private_bytes(raw)


def padded_length(candidates: Sequence[str]) -> int:
    """The length of the longest canonical ballot of a round: every candidate ``abstain``."""
    longest = {code: "abstain" for code in candidates}
    return len(json.dumps(longest, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8"))


def padded_batch_length(candidates: Sequence[str], ballots: int) -> int:
    """The length of a typed paper batch of ``ballots`` ballots (a JSON list of canonical ballots,
    :meth:`app.services.voting.VotingService.enter_paper_batch`) when every ballot is the longest:
    a waiting copy sealed at this length tells its number of ballots (stored beside it anyway),
    never which choices are yes, no or abstain."""
    longest = json.dumps({code: "abstain" for code in candidates}, ensure_ascii=False, sort_keys=True,
                         separators=(",", ":"))
    return len(json.dumps([longest] * ballots, ensure_ascii=False).encode("utf-8"))


def _aead_key(shared: bytes, eph_public: bytes, public: bytes) -> bytes:
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    return HKDF(algorithm=hashes.SHA256(), length=32, salt=eph_public + public, info=_INFO).derive(shared)


def seal(public: bytes, body: str, size: int, aad: bytes) -> bytes:
    """``body`` (a canonical ballot, or a JSON list of them) padded to ``size`` bytes and sealed to
    the round's ``public`` key; ``aad`` binds it to its round."""
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    data = body.encode("utf-8")
    if len(data) > size:
        raise ValueError("a ballot longer than its round's padded length")
    data += b" " * (size - len(data))
    eph = X25519PrivateKey.generate()
    eph_public = eph.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    key = _aead_key(eph.exchange(X25519PublicKey.from_public_bytes(public)), eph_public, public)
    nonce = secrets.token_bytes(12)
    return eph_public + nonce + AESGCM(key).encrypt(nonce, data, aad)


def open_sealed(private: X25519PrivateKey, sealed: bytes, aad: bytes) -> str:
    """The padded body back (trailing spaces stripped); :class:`WrongPassphrase` if it does not open."""
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PublicKey
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    eph_public, nonce, body = sealed[:32], sealed[32:44], sealed[44:]
    public = private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    key = _aead_key(private.exchange(X25519PublicKey.from_public_bytes(eph_public)), eph_public, public)
    try:
        return AESGCM(key).decrypt(nonce, body, aad).decode("utf-8").rstrip(" ")
    except InvalidTag as exc:
        raise WrongPassphrase from exc
