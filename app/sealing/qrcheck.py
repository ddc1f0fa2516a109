"""Check a printed sheet's QR code against the archive (纸质材料核验).

Every printed sheet carries ``conclave:1:<doc_id>:<sha256hex>``: the document id and
the SHA-256 of the document's canonical content. Reading the code from paper and
looking the id up in the registry of issued documents tells whether the sheet in hand
is one the committee issued, as it was issued. The id may itself contain colons, so the
digest is taken from the right.

The registry is a protocol so that the meeting database can answer later; until then a
JSON file beside the database (``<db>.documents.json``) holds the issued digests.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from app.errors import RuleViolation
from app.sealing.keys import write_atomically
from app.text import bi

QR_SCHEME = "conclave"
QR_VERSION = "1"
REGISTRY_FORMAT = "conclave-documents/1"
_SHA256 = re.compile(r"[0-9a-f]{64}")
_DOC_ID = re.compile(r"[^\s]{1,128}")

MATCHES = "matches the archive"
CHANGED = "does not match (document changed)"
UNKNOWN = "unknown document"
NOT_OURS = "not a Conclave sheet code"


@dataclass(frozen=True, slots=True)
class QrPayload:
    """What a sheet's QR code says: which document, and the digest of its content."""

    doc_id: str
    sha256: str


@dataclass(frozen=True, slots=True)
class QrCheck:
    """The answer for one scanned code."""

    ok: bool
    status: str
    doc_id: str | None
    detail: str


class DocumentRegistry(Protocol):
    """Issued documents by id (已出具文件登记). The meeting database will implement this."""

    def lookup(self, doc_id: str) -> str | None:
        """The SHA-256 (lowercase hex) recorded when ``doc_id`` was issued, or None."""
        ...


def format_payload(doc_id: str, sha256: str) -> str:
    """The text to put in a sheet's QR code (the same format app.documents prints)."""
    payload = QrPayload(doc_id, sha256.lower())
    _check_parts(payload)
    return f"{QR_SCHEME}:{QR_VERSION}:{payload.doc_id}:{payload.sha256}"


def parse_payload(text: str) -> QrPayload:
    """Parse a scanned payload; a :class:`RuleViolation` (``seal.qr``) names what is wrong."""
    scheme, _, rest = text.strip().partition(":")
    version, _, rest = rest.partition(":")
    doc_id, _, digest = rest.rpartition(":")
    if scheme != QR_SCHEME:
        raise RuleViolation.single("seal.qr", bi("the code does not start with 'conclave:'",
                                                 "该二维码不是以“conclave:”开头，不是本系统印制的"))
    if version != QR_VERSION:
        raise RuleViolation.single("seal.qr", bi(f"unsupported sheet code version {version!r}",
                                                 f"不支持的二维码版本“{version}”"))
    payload = QrPayload(doc_id, digest.lower())
    _check_parts(payload)
    return payload


def check_qr(text: str, registry: DocumentRegistry) -> QrCheck:
    """Compare a scanned payload with the archive: matches, changed, unknown, or not ours."""
    try:
        payload = parse_payload(text)
    except RuleViolation as exc:
        return QrCheck(False, NOT_OURS, None, exc.violations[0].message)
    recorded = registry.lookup(payload.doc_id)
    if recorded is None:
        return QrCheck(False, UNKNOWN, payload.doc_id, "no document with this id was issued")
    if recorded.lower() != payload.sha256:
        return QrCheck(
            False,
            CHANGED,
            payload.doc_id,
            f"the sheet says {payload.sha256}, the archive holds {recorded.lower()}",
        )
    return QrCheck(True, MATCHES, payload.doc_id, f"SHA-256 {payload.sha256[:16]}… as issued")


class JsonDocumentRegistry:
    """Stand-in registry in a JSON file, until the meeting database has its documents table.

    ``{"format": "conclave-documents/1", "documents": {"<doc_id>": "<sha256>"}}``. An entry
    is never changed: a corrected document is issued under a new id.
    """

    def __init__(self, path: Path) -> None:
        self.path = Path(path)

    def lookup(self, doc_id: str) -> str | None:
        return self._read().get(doc_id)

    def register(self, doc_id: str, sha256: str) -> None:
        """Record an issued document; registering the same digest again is harmless."""
        payload = QrPayload(doc_id, sha256.lower())
        _check_parts(payload)
        documents = self._read()
        known = documents.get(doc_id)
        if known is not None and known != payload.sha256:
            raise RuleViolation.single(
                "seal.registry",
                bi(f"document {doc_id} was already issued with another digest; "
                   "issue the corrected document under a new id",
                   f"文书{doc_id}已按不同内容印发，更正文书须使用新编号"),
            )
        documents[doc_id] = payload.sha256
        body = {"format": REGISTRY_FORMAT, "documents": dict(sorted(documents.items()))}
        text = json.dumps(body, ensure_ascii=False, indent=1) + "\n"
        self.path.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(self.path, text.encode("utf-8"), mode=0o644)

    def _read(self) -> dict[str, str]:
        try:
            body = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except (OSError, ValueError) as exc:
            raise RuleViolation.single("seal.registry", bi(f"cannot read {self.path}: {exc}",
                                                           f"无法读取文书登记簿{self.path}：{exc}")) from None
        not_registry = bi(f"{self.path} is not a {REGISTRY_FORMAT} file",
                          f"{self.path}不是文书登记簿文件（{REGISTRY_FORMAT}）")
        if not isinstance(body, dict) or body.get("format") != REGISTRY_FORMAT:
            raise RuleViolation.single("seal.registry", not_registry)
        documents = body.get("documents")
        if not isinstance(documents, dict):
            raise RuleViolation.single("seal.registry", not_registry)
        return {str(k): str(v).lower() for k, v in documents.items()}


def _check_parts(payload: QrPayload) -> None:
    if not _DOC_ID.fullmatch(payload.doc_id):
        raise RuleViolation.single("seal.qr", bi("the document id is missing or malformed", "文书编号缺失或格式不对"))
    if not _SHA256.fullmatch(payload.sha256):
        raise RuleViolation.single("seal.qr", bi("the digest is not 64 hexadecimal characters",
                                                 "摘要不是64位十六进制字符"))
