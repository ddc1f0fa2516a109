"""The expert desk (评委工作台): everything an expert does at a terminal, by session token.

Why a service of its own: at a terminal — the kiosk on the host laptop, or a laptop on the
closed LAN (:mod:`app.services.stations`) — the expert acts in person, unlocked with their
one-time code (:mod:`app.services.terminals`). Who acts is the session's expert, never a code
the caller passes; and the desk accepts only what that expert may do: their own commitment
(step 1), the candidates assigned to them as primary reviewer (主审评委) — scores and questions at
step 3 —, the questions of their group's candidates set by someone else (审题, step 4), and their
ballot in the open round (step 7). A candidate they are in conflict with (回避,
:func:`app.rules.conflicts.conflict`) is refused even if it was assigned before the conflict was
declared; :meth:`~app.services.terminals.TerminalService.tasks` never shows it either.

The rules themselves are checked by the same functions the secretary's services use
(:func:`app.services.review.record_scores_on` and its siblings,
:meth:`app.services.voting.VotingService.cast_on`): the desk adds who acts and what is theirs.

One call = one transaction = one audit event, named as the secretary's services name it
(``commitment.sign``, ``review.score``, ``question.add``, ``question.review``, ``ballot.cast`` —
the last names the voter and the round, never a choice). A refusal leaves the database as it was
and is itself recorded as one audit event ``desk.refused`` (the rule, the action, the expert —
never a ballot's content), so a supervisor sees attempts, not only successes.

A LAN station's entry (:class:`Entry`) is written to the entry ledger (``station_entry``) in the
same transaction as the act itself: either both are stored or neither, which is what makes a
resubmission after a lost acknowledgement safe (:meth:`app.services.stations.StationService.submit`).
That transaction first looks the entry up in the ledger: one received already is not acted on
again — :class:`Received` carries its ledger row back to the station, nothing written.
The station service audits its own refusals (``station.refused``), so a call with an entry does
not write ``desk.refused`` as well — one refusal, one event.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import Connection, Row, bindparam, insert, select

from app.domain import Step
from app.errors import RuleViolation
from app.rules.conflicts import conflict
from app.services.base import Store, candidate_row, fail, member_row, require_step
from app.services.review import (
    add_question_on,
    check_question_text,
    question_on,
    record_scores_on,
    review_question_on,
    sign_commitment_on,
)
from app.services.terminals import Session, TerminalService, question_review_refusal
from app.services.voting import VotingService
from app.storage.schema import station_entry
from app.text import bi, in_chinese

R = TypeVar("R")

#: The kinds of entry a terminal submits, one per desk action.
KINDS = ("commitment", "scores", "question", "question_review", "ballot")


@dataclass(frozen=True)
class Entry:
    """A LAN station's entry as the ledger records it: the terminal's id for it (a UUID), the
    station, the kind, and the SHA-256 of its body (None for a ballot: see ``station_entry``)."""

    entry_id: str
    station_id: int
    kind: str
    digest: str | None


#: An entry's ledger row by its id — looked up for every entry a station sends, built once.
KNOWN_ENTRY = select(station_entry).where(station_entry.c.entry_id == bindparam("entry_id"))
_NEW_ENTRY = insert(station_entry)       # built once: every entry from a station is one row


class Received(Exception):
    """The entry was received already (its ledger row, ``row``): the act was not run again."""

    def __init__(self, row: Row[Any]) -> None:
        super().__init__(row.entry_id)
        self.row = row


class ExpertDesk:
    """An expert's own acts at a terminal (see the module docstring)."""

    def __init__(self, store: Store, terminals: TerminalService, voting: VotingService) -> None:
        self.store = store
        self.terminals = terminals
        self.voting = voting

    # -- step 1 ------------------------------------------------------------------
    def sign_commitment(self, token: str, *, entry: Entry | None = None) -> None:
        """The session's expert signs the commitment letter (评委承诺书)."""
        def run(conn: Connection, s: Session, data: dict[str, Any]) -> None:
            data["member"] = s.member_code
            sign_commitment_on(conn, s.meeting_id, s.member_code)

        self._act(token, "commitment.sign", run, entry)

    # -- step 3 ------------------------------------------------------------------
    def record_scores(self, token: str, candidate: str, points: Mapping[str, int], *,
                      entry: Entry | None = None) -> None:
        """The expert's full score sheet for a candidate assigned to them: every rubric item, an
        integer from 0 to the item's maximum (replaces their earlier sheet)."""
        sheet = dict(points)

        def run(conn: Connection, s: Session, data: dict[str, Any]) -> None:
            data.update(candidate=candidate, scorer=s.member_code, points=sheet)
            require_step(conn, s.meeting_id, Step.PRIMARY_REVIEW)
            _own_candidate(conn, s, candidate)
            record_scores_on(conn, s.meeting_id, candidate, s.member_code, sheet)

        self._act(token, "review.score", run, entry, candidate=candidate)

    def add_question(self, token: str, candidate: str, text: str, answer: str, *,
                     entry: Entry | None = None) -> int:
        """An interview question with its standard answer for a candidate assigned to the expert
        (命题); its id."""
        def run(conn: Connection, s: Session, data: dict[str, Any]) -> int:
            data.update(candidate=candidate, setter=s.member_code)
            check_question_text(text, answer)
            require_step(conn, s.meeting_id, Step.PRIMARY_REVIEW)
            _own_candidate(conn, s, candidate)
            qid = add_question_on(conn, s.meeting_id, candidate, s.member_code, text, answer)
            data["question"] = qid
            return qid

        return self._act(token, "question.add", run, entry, candidate=candidate)

    # -- step 4 ------------------------------------------------------------------
    def review_question(self, token: str, question_id: int, *, entry: Entry | None = None) -> None:
        """The expert reviews (审题) a question another expert of the candidate's group set."""
        def run(conn: Connection, s: Session, data: dict[str, Any]) -> None:
            data.update(question=question_id, reviewer=s.member_code)
            require_step(conn, s.meeting_id, Step.INTERVIEW)
            q, cand = question_on(conn, s.meeting_id, question_id)
            me = member_row(conn, s.meeting_id, s.member_code)
            refusal = question_review_refusal(me, cand)
            if refusal is not None:
                raise refusal
            if q.setter_id == me.id:
                raise fail("question.same_person", bi(
                    f"{me.name} set question {question_id} (candidate {cand.code}) and cannot also review it",
                    f"{me.name}是申报人{cand.code}第{question_id}号面试题的命题人，不能同时审题"))
            if q.reviewer_id is not None and q.reviewer_id != me.id:
                raise fail("question.reviewed", bi(
                    f"question {question_id} for candidate {cand.code} has already been reviewed by another expert",
                    f"申报人{cand.code}的第{question_id}号面试题已由其他评委审题"))
            review_question_on(conn, s.meeting_id, question_id, s.member_code)

        self._act(token, "question.review", run, entry, question=question_id)

    # -- step 7 ------------------------------------------------------------------
    def cast(self, token: str, round_id: int, choices: Mapping[str, str], *, entry: Entry | None = None) -> None:
        """The expert's ballot in the open round (:meth:`app.services.voting.VotingService.cast`):
        the audit event names the voter and the round, never a choice."""
        def run(conn: Connection, s: Session, data: dict[str, Any]) -> None:
            data["round"] = round_id
            self.voting.cast_on(conn, s, round_id, choices)

        self._act(token, "ballot.cast", run, entry, round=round_id)

    # -- the one way every act is written ----------------------------------------
    def _act(self, token: str, action: str, run: Callable[[Connection, Session, dict[str, Any]], R],
             entry: Entry | None, **refusal_data: Any) -> R:
        """Run ``run`` as the session's expert in one write audited as ``action``, with the entry's
        ledger row when there is one (an entry in the ledger already: :class:`Received`, nothing run);
        a refusal is audited once (``desk.refused``) unless a station made the call (it audits its
        own, :mod:`app.services.stations`)."""
        session: Session | None = None
        try:
            session = self.terminals.session(token)
            with self.store.write(session.member_code, action, session.meeting_id) as tx:
                if entry is not None:
                    known = tx.conn.execute(KNOWN_ENTRY, {"entry_id": entry.entry_id}).first()
                    if known is not None:
                        raise Received(known)           # rolled back: nothing written, no event
                result = run(tx.conn, session, tx.data)
                if entry is not None:
                    _record_entry(tx.conn, entry)
                    tx.data.update(station=entry.station_id, entry=entry.entry_id)
            return result
        except RuleViolation as exc:
            if entry is None:
                self._refused(session, action, exc, refusal_data)
            raise

    def _refused(self, session: Session | None, action: str, exc: RuleViolation, data: dict[str, Any]) -> None:
        """One audit event for a refused act: the rule and what was attempted, by whom."""
        rule = exc.rule
        if rule.startswith("storage.") or rule == "audit.actor":
            return                                  # nothing could be written anyway
        with self.store.write(session.member_code if session else "terminal", "desk.refused",
                              session.meeting_id if session else None,
                              rule=rule, attempted=action, **data) as tx:
            if session is not None:
                tx.data["member"] = session.member_code


def _own_candidate(conn: Connection, session: Session, code: str) -> Row[Any]:
    """The candidate ``code`` if the session's expert is its primary reviewer and not in conflict
    with it; the conflict is told first (it decides even an assignment made before it was declared)."""
    cand = candidate_row(conn, session.meeting_id, code)
    me = member_row(conn, session.meeting_id, session.member_code)
    why = conflict(me, cand)
    if why is not None:
        raise fail(why.rule, bi(f"{why.reason}: {me.name} may not act for candidate {cand.code}",
                                f"{in_chinese(why.reason)}：{me.name}不得参与申报人{cand.code}的评审"))
    if cand.reviewer_id != me.id:
        raise fail("desk.not_assigned", bi(
            f"candidate {cand.code} ({cand.name}) is not assigned to {me.name}: an expert scores and sets "
            "questions only for the candidates they review as primary reviewer",
            f"申报人{cand.code}（{cand.name}）未分配给{me.name}：评委只能为本人主审的申报人评分、命题"))
    return cand


def _record_entry(conn: Connection, entry: Entry) -> None:
    conn.execute(_NEW_ENTRY, {"entry_id": entry.entry_id, "station_id": entry.station_id, "kind": entry.kind,
                              "digest": entry.digest})
