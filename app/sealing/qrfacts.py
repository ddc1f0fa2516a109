"""The facts of a result sheet in its QR code, signed by the committee (签名二维码).

Why: a QR code holding only a document id and a digest proves nothing to a person holding the
paper — a sheet altered from 未通过 to 通过 keeps its genuine code, and the verifier sees only
"matches the archive". So each result sheet's code carries the facts a verifier compares with
the paper — who, the title conferred, the outcome, the count of every round, the vote date —
signed by the committee's QR key (:func:`app.sealing.keys.derive_qr_key`), whose public key the
committee root names. Checking needs nothing but the root (``conclave verify --qr TEXT --trust
ROOT.pem``): no database, no network. A payload with one fact changed fails the signature.

Encoding (version 2), chosen to scan at 150 dpi from a code about 3 cm wide::

    conclave:2:<base64url, unpadded, of BODY ‖ SIGNATURE>

``BODY`` is a JSON array in UTF-8 with no whitespace, fields in this fixed order::

    [doc_id, name, title, outcome, vote_date, [[round, kind, yes, no, abstain], …]]

* ``doc_id`` — the sheet's document id (``<meeting>[-rN].result.<candidate>``);
* ``name`` — the candidate's name as printed; ``title`` — the title conferred (申报资格,
  e.g. 主治医师), ``""`` when it was not recorded (the verifier then says so — never the
  specialty in its place);
* ``outcome`` — ``P`` 通过, ``F`` 未通过, ``R`` 待再次投票;
* ``vote_date`` — ``YYYY-MM-DD``, the day of the candidate's last round;
* each round: its number, ``f`` (表决) or ``r`` (再次投票), and the yes/no/abstain count.

``SIGNATURE`` is the 64-byte Ed25519 signature over ``b"conclave-result/2\\n" + BODY`` (the
prefix keeps a signature over anything else from passing as one over a result sheet). The
body is read back exactly as signed, so no canonicalisation is needed to check it; a body that
is not the canonical JSON of what it says is refused all the same.

Other papers (ballots, minutes pages) keep the ``conclave:1:<id>:<sha256>`` code of
:mod:`app.sealing.qrcheck`, which is checked against the archive.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from app.errors import RuleViolation
from app.text import bi

if TYPE_CHECKING:
    from cryptography import x509

PREFIX = "conclave:2:"
SIGNED_CONTEXT = b"conclave-result/2\n"
SIGNATURE_BYTES = 64
OUTCOMES = {"P": "通过", "F": "未通过", "R": "待再次投票"}
KINDS = {"f": "表决", "r": "再次投票"}
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")

SIGNED = "signed by the committee"
FORGED = "signature does not match (facts changed or not signed by this committee)"
NOT_FACTS = "not a signed result-sheet code"


@dataclass(frozen=True, slots=True)
class RoundVotes:
    """One round's count for the candidate."""

    number: int
    kind: str  # f | r
    yes: int
    no: int
    abstain: int


@dataclass(frozen=True, slots=True)
class ResultFacts:
    """What a result sheet's QR code states (see the module docstring for each field)."""

    doc_id: str
    name: str
    title: str
    outcome: str  # P | F | R
    vote_date: str  # YYYY-MM-DD
    rounds: tuple[RoundVotes, ...]

    def body(self) -> bytes:
        """The canonical BODY of the payload."""
        data = [self.doc_id, self.name, self.title, self.outcome, self.vote_date,
                [[r.number, r.kind, r.yes, r.no, r.abstain] for r in self.rounds]]
        return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")

    def lines(self) -> list[str]:
        """The facts with Chinese labels, one a line, for the verifier to compare with the paper."""
        out = [f"文书编号 document: {self.doc_id}",
               f"姓名 name: {self.name}",
               f"申报资格 title applied for: {self.title or '（未填写）— not recorded'}",
               f"评审结论 outcome: {OUTCOMES[self.outcome]}",
               f"表决日期 vote date: {self.vote_date}"]
        out += [f"第{r.number}轮（{KINDS[r.kind]}） round {r.number}: 赞成{r.yes}票，反对{r.no}票，弃权{r.abstain}票"
                for r in self.rounds]
        return out


def signed_payload(facts: ResultFacts, sign: Callable[[bytes], bytes]) -> str:
    """The text of the QR code: ``facts`` signed with ``sign`` (the committee's QR key)."""
    body = facts.body()
    signature = sign(SIGNED_CONTEXT + body)
    if len(signature) != SIGNATURE_BYTES:
        raise ValueError("the QR key must make 64-byte Ed25519 signatures")
    return PREFIX + base64.urlsafe_b64encode(body + signature).decode("ascii").rstrip("=")


def is_facts_payload(text: str) -> bool:
    return text.strip().startswith(PREFIX)


def parse(text: str) -> tuple[ResultFacts, bytes, bytes]:
    """The facts, the signed body and the signature; a :class:`RuleViolation` (``seal.qr``)
    when the text is not a well-formed version 2 code. Nothing is trusted yet."""
    raw_text = text.strip()
    if not raw_text.startswith(PREFIX):
        raise _malformed("it does not start with 'conclave:2:'", "不是以“conclave:2:”开头")
    encoded = raw_text[len(PREFIX):]
    try:
        raw = base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4))
    except (binascii.Error, ValueError):
        raise _malformed("its data is not base64url", "数据不是base64url编码") from None
    body, signature = raw[:-SIGNATURE_BYTES], raw[-SIGNATURE_BYTES:]
    try:
        data = json.loads(body.decode("utf-8"))
        facts = _facts(data)
    except (UnicodeDecodeError, ValueError, TypeError, KeyError, IndexError):
        raise _malformed("its facts cannot be read", "其中的事项无法读取") from None
    if facts.body() != body:
        raise _malformed("its facts are not written in the canonical form", "其中的事项不是规范格式")
    return facts, body, signature


@dataclass(frozen=True, slots=True)
class FactsCheck:
    """The answer for one scanned version 2 code: the facts (None when unreadable), whether
    the committee's QR key signed them, and the fingerprint of the root that names that key."""

    ok: bool
    status: str
    facts: ResultFacts | None
    root_fingerprint: str | None
    detail: str
    registered: bool | None = None  # the archive holds this sheet (None: no archive consulted)
    superseded_by: str | None = None  # a later revision's id, when the archive knows one


def check(text: str, roots: Sequence[x509.Certificate]) -> FactsCheck:
    """Check the signature of a version 2 code against the QR keys the trusted ``roots`` name."""
    from cryptography.exceptions import InvalidSignature

    from app.sealing.keys import fingerprint, qr_public_key

    try:
        facts, body, signature = parse(text)
    except RuleViolation as exc:
        return FactsCheck(False, NOT_FACTS, None, None, exc.violations[0].message)
    named = [(root, qr_public_key(root)) for root in roots]
    for root, public in named:
        if public is None:
            continue
        try:
            public.verify(signature, SIGNED_CONTEXT + body)
        except InvalidSignature:
            continue
        return FactsCheck(True, SIGNED, facts, fingerprint(root), "Ed25519 signature valid")
    if not any(public for _, public in named):
        detail = ("the trusted root names no QR key (a key made before signed codes): "
                  "these facts cannot be checked")
    else:
        detail = "no trusted committee root's QR key made this signature: do not rely on these facts"
    return FactsCheck(False, FORGED, facts, None, detail)


def _facts(data: Any) -> ResultFacts:
    doc_id, name, title, outcome, vote_date, rounds = data
    if not all(isinstance(v, str) for v in (doc_id, name, title, outcome, vote_date)):
        raise ValueError("fields")
    if outcome not in OUTCOMES or not _DATE.fullmatch(vote_date) or not doc_id:
        raise ValueError("values")
    votes = []
    for number, kind, yes, no, abstain in rounds:
        counts = (number, yes, no, abstain)
        if kind not in KINDS or not all(type(v) is int and v >= 0 for v in counts):
            raise ValueError("round")
        votes.append(RoundVotes(number, kind, yes, no, abstain))
    return ResultFacts(doc_id, name, title, outcome, vote_date, tuple(votes))


def _malformed(english: str, chinese: str) -> RuleViolation:
    return RuleViolation.single("seal.qr", bi(f"not a signed result-sheet code: {english}",
                                              f"不是签名的评审结论二维码：{chinese}"))
