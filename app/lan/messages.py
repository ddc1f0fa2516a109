"""What crosses the wire between a terminal and the host: JSON, each message checked against a schema.

Why pydantic (v2) models and not hand-written checks: every field has a type, a length or a
range, and unknown fields are refused (``extra="forbid"``) — a message is either exactly what
the schema says or refused whole, before the engine sees any of it. ``strict`` mode: no
coercion (``"3"`` is not the number 3; ``1`` is not ``true``).

Size is limited twice: the host reads at most :data:`MAX_BODY` bytes of a request before it
parses anything (:mod:`app.lan.host`), and the models cap every string, list and mapping, so
that a 200 KiB ballot of 1,500 candidates passes and a million-entry one does not.

A :data:`ENTRY_KINDS` entry is checked whole, its ``body`` by the model of its ``kind``, in one
pass (:data:`SUBMIT`); what the host then does with it is :meth:`StationService.submit`'s.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, TypeAdapter, ValidationError

MAX_BODY = 256 * 1024            # bytes of a request body; a 1,500-candidate ballot is ~35 KiB
MAX_CANDIDATES = 5000            # choices on one ballot (a provincial committee has up to 1,500)
API = "/v1"
#: Seconds the host keeps an idle connection open; a terminal reuses its connection for a little
#: less (:data:`TERMINAL_KEEP_ALIVE`), so that it never sends on one the host is closing. httpx's own
#: default (5 s) would open a new TLS connection — a handshake on both sides — for an entry sent
#: after any pause longer than that: 41 experts pressing submit after a minute's thought would make
#: 41 handshakes at once on the host.
HOST_KEEP_ALIVE = 30
TERMINAL_KEEP_ALIVE = HOST_KEEP_ALIVE - 5

Code = Annotated[str, StringConstraints(min_length=1, max_length=40)]
Token = Annotated[str, StringConstraints(min_length=8, max_length=128)]
Text = Annotated[str, StringConstraints(max_length=4000)]
EntryId = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")]
ENTRY_KINDS: tuple[str, ...] = ("commitment", "scores", "question", "question_review", "ballot")


class Message(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class PairRequest(Message):
    code: Annotated[str, StringConstraints(min_length=1, max_length=32)]
    station_name: Annotated[str, StringConstraints(min_length=1, max_length=64)]


class UnlockRequest(Message):
    member: Code
    code: Annotated[str, StringConstraints(min_length=1, max_length=32)]


class SessionRequest(Message):
    session: Token


class SeenRequest(Message):
    """The terminal's heartbeat: who is signed in (their session, if any) and how many entries wait."""

    session: Token | None = None
    pending: Annotated[int, Field(ge=0, le=1_000_000)] = 0


# -- the body of each kind of entry ------------------------------------------------
class CommitmentBody(Message):
    pass


class ScoresBody(Message):
    candidate: Code
    points: Annotated[dict[Code, Annotated[int, Field(ge=-1000, le=1000)]], Field(max_length=50)]


class QuestionBody(Message):
    candidate: Code
    text: Annotated[str, StringConstraints(min_length=1, max_length=2000)]
    answer: Text


class QuestionReviewBody(Message):
    question_id: Annotated[int, Field(ge=1, le=2**53)]


class BallotBody(Message):
    round_id: Annotated[int, Field(ge=1, le=2**53)]
    choices: Annotated[dict[Code, Literal["yes", "no", "abstain"]], Field(max_length=MAX_CANDIDATES)]


# -- an entry: its id, the session, its kind and the body of that kind --------------
class _Entry(Message):
    entry_id: EntryId
    session: Token


class CommitmentEntry(_Entry):
    kind: Literal["commitment"]
    body: CommitmentBody


class ScoresEntry(_Entry):
    kind: Literal["scores"]
    body: ScoresBody


class QuestionEntry(_Entry):
    kind: Literal["question"]
    body: QuestionBody


class QuestionReviewEntry(_Entry):
    kind: Literal["question_review"]
    body: QuestionReviewBody


class BallotEntry(_Entry):
    kind: Literal["ballot"]
    body: BallotBody


SubmitRequest = CommitmentEntry | ScoresEntry | QuestionEntry | QuestionReviewEntry | BallotEntry
#: A submitted entry, checked whole in one pass: the envelope and the body of its ``kind`` (the
#: discriminator) — a 1,500-choice ballot's text is parsed once, straight into its checked form.
SUBMIT: TypeAdapter[SubmitRequest] = TypeAdapter(Annotated[SubmitRequest, Field(discriminator="kind")])


def entry_body(entry: SubmitRequest) -> dict[str, Any]:
    """The checked body of an entry as plain data: its fields as validated (a body's fields are
    numbers, strings and flat mappings of them; a ``model_dump`` would copy a ballot's 1,500 choices
    once more)."""
    return dict(entry.body)


def problems(exc: ValidationError, limit: int = 3) -> str:
    """A validation error in one short line: where and what (``body.points.业绩: int expected``)."""
    parts = []
    for err in exc.errors()[:limit]:
        where = ".".join(str(p) for p in err.get("loc", ())) or "message"
        parts.append(f"{where}: {err.get('msg', 'invalid')}")
    more = len(exc.errors()) - limit
    return "; ".join(parts) + (f" (+{more} more)" if more > 0 else "")
