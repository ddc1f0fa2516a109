"""Step 7, the secret ballot (无记名投票).

Secrecy by construction: the voter roll (``voter_roll``: who has voted) and the
ballots (``ballot``: what was voted) share nothing but the round. A ballot row
has a random 128-bit key, its choices, and nothing else — no voter, no time, no
sequence, no rowid (``WITHOUT ROWID``). The audit event of a cast names the
voter and the round, never the choices.

Sealed from cast to close: a cast commits the voter's tick and the ballot in one
transaction, so whoever reads the file, its WAL or its ``-shm`` while the round is
open would see which ballot came with which voter — and, polling the ballot table
between casts, which ballot is new. So no choice is written in the clear while a
round is open: at opening the supervisor (监督人员) sets a round passphrase, the round
gets a key pair whose private half is kept wrapped under it, and every ballot is
sealed to the public half (:mod:`app.sealing.ballotbox`; padded, so all sealed ballots
of a round have one length) into ``sealed_ballot`` under a random key. At close the
passphrase is entered again: the box is opened, the ballots shuffled
(:class:`secrets.SystemRandom`) and written to ``ballot`` under fresh random keys, the
sealed rows and the round's key erased (``secure_delete`` zeroes the freed pages) —
one transaction, which also records durably that the file must be compacted. Then
the file is rebuilt (``VACUUM``) and the WAL emptied, so that no page of the round
lingers; when another program holds the file (a reader's snapshot, a writer's lock)
or the process dies inside it, the close says so and the compaction is completed at
the next open for writing, before anything else (:func:`app.storage.db.compact_if_pending`).
A crash during the round loses nothing: the box and the wrapped key are in the file.

Results are never edited: a runoff (再次投票) is a new round; a closed round
cannot be reopened; outcomes are written once, when no runoff is pending.

Two ways in, and in both the engine decides who acts, never the caller: electronic
ballots cast from an unlocked terminal session (:meth:`cast` — the voter is the
expert the session was unlocked for), and paper ballots, which a signed-in staff
member ticks on the roll as the voter hands them in (:meth:`mark_paper_vote`; several at once,
all or none: :meth:`mark_paper_votes`) and
which the plan's two staff members, each signed in with their own code
(:mod:`app.services.staff`), type in independently (:meth:`enter_paper_batch`): the
two copies of a batch must come from the two staff posts — the same session twice,
or the same post signed in twice, is refused; names are never compared. A mismatch
between the two entries is shown (which ballot, which candidate — never a choice), never
guessed. A typed copy waiting for the other one is sealed to the round's key like a ballot —
in the clear it would show the choices of the batch's few paper voters, whom the roll marks
``paper`` — and the copy that completes the batch is compared after the supervisor's round
passphrase opens the waiting one.

Entitlement is checked again inside every cast's transaction: an expert recorded as
having left the meeting (中途离会, :meth:`app.services.setup.SetupService.record_departure`)
after the round opened stays on the round's roll as it was opened, but the roll refuses
their ballot (``ballot.departed``), by terminal or on paper; the departure also revokes
their terminal code and ends their open session (:mod:`app.services.terminals`).
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import secrets
from collections.abc import Mapping, Sequence
from typing import Any, Protocol

from sqlalchemy import Connection, bindparam, delete, func, insert, null, select, update

from app.domain import Choice, Role, Step
from app.errors import RuleViolation
from app.rules.conflicts import same_unit
from app.rules.meeting_days import vote_day_problem
from app.rules.passphrase import MIN_LENGTH
from app.rules.quorum import check_quorum
from app.sealing import ballotbox
from app.services.base import Store, fail, meeting_row, member_row, members_by_code, require_step, unknown_member
from app.services.staff import StaffPost, StaffSession, check_staff_session
from app.services.terminals import Session
from app.storage.db import compact, compaction_pending, mark_compaction_pending
from app.storage.replay import box_record
from app.storage.schema import (
    ballot,
    ballot_round,
    candidate,
    meeting,
    meeting_day,
    member,
    paper_batch,
    sealed_ballot,
    voided_round,
    voter_roll,
)
from app.storage.store import inserted_id
from app.text import bi, in_chinese
from app.views.ballot import (
    Results,
    RoundView,
    ballot_count_on,
    results_on,
    round_on,
    rounds_on,
)
from app.views.panel import quorum_on


class SessionSource(Protocol):
    """Where the live terminal sessions are (:class:`~app.services.terminals.TerminalService`)."""

    def session(self, token: str) -> Session:
        """The live session of ``token``; a locked or unknown token is refused (``terminal.session``)."""
        ...


class StaffSource(Protocol):
    """Where the live staff sessions are (:class:`~app.services.staff.StaffService`)."""

    def session(self, token: str) -> StaffSession:
        """The live staff session of ``token``; refused when signed out or unknown (``staff.session``)."""
        ...


# The statements of the ballot's path, built once: each runs at every opening, cast, paper entry or
# close, and building a select and its cache key on every call cost twice running it.
_TICK = insert(voter_roll)
_STARTED = select(ballot_round.c.id).where(ballot_round.c.meeting_id == bindparam("meeting_id"))
_UNDECIDED = select(candidate.c.code).where(candidate.c.meeting_id == bindparam("meeting_id"),
                                            candidate.c.eligible.is_(None))
_ON_BALLOT = select(candidate.c.code).where(candidate.c.meeting_id == bindparam("meeting_id")).order_by(candidate.c.id)
_DAYS = select(meeting_day.c.day).where(meeting_day.c.meeting_id == bindparam("meeting_id"))
_VOTE_DATE = update(meeting).where(meeting.c.id == bindparam("b_meeting")).values(vote_date=bindparam("b_date"))
_PRESENT_EXPERTS = select(member).where(member.c.meeting_id == bindparam("meeting_id"),
                                        member.c.role == Role.EXPERT.value, member.c.checked_in.is_(True))
_NEW_ROUND = insert(ballot_round)
#: A new round's id: never one a voided round had (SQLite gives a deleted row's id again), so that a
#: ballot a terminal kept for the voided round can never land in the round held again.
_NEXT_ROUND_ID = select(func.max(func.coalesce(
    select(func.max(ballot_round.c.id)).scalar_subquery(), 0),
    func.coalesce(select(func.max(voided_round.c.round_id)).scalar_subquery(), 0)) + 1)
_VOIDED = select(voided_round.c.number).where(voided_round.c.meeting_id == bindparam("meeting_id"),
                                              voided_round.c.round_id == bindparam("round_id"))
_SEAL = select(ballot_round.c.seal).where(ballot_round.c.id == bindparam("round_id"))
_WAITING = select(paper_batch.c.code).where(paper_batch.c.round_id == bindparam("round_id"),
                                            paper_batch.c.status != "accepted")
_CLOSED = update(ballot_round).where(ballot_round.c.id == bindparam("b_round")).values(status="closed", seal=null())
_OUTCOME = update(candidate).where(candidate.c.meeting_id == bindparam("b_meeting"),
                                   candidate.c.code == bindparam("b_code")).values(
    outcome=bindparam("b_outcome"), reason=bindparam("b_reason"))
_SEALED = select(sealed_ballot.c.sealed).where(sealed_ballot.c.round_id == bindparam("round_id"))
_IN_THE_CLEAR = select(func.count()).select_from(ballot).where(ballot.c.round_id == bindparam("round_id"))
_UNSEAL = delete(sealed_ballot).where(sealed_ballot.c.round_id == bindparam("round_id"))
_BOX = insert(ballot)
_SEALED_BOX = insert(sealed_ballot)
_ROLL = select(func.count()).select_from(voter_roll).where(voter_roll.c.round_id == bindparam("round_id"))
_BATCH = select(paper_batch).where(paper_batch.c.round_id == bindparam("round_id"),
                                   paper_batch.c.code == bindparam("code"))
_NEW_BATCH = insert(paper_batch)
_BATCH_ENTRY = update(paper_batch).where(paper_batch.c.round_id == bindparam("b_round"),
                                         paper_batch.c.code == bindparam("b_code"))

#: The spellings of a choice (a set built once: a 1,500-candidate ballot checks 1,500 of them).
_CHOICES = frozenset(x.value for x in Choice)


def canonical_choices(choices: Mapping[str, str], on_ballot: Sequence[str]) -> str:
    """Every candidate on the ballot, missing ones as abstentions, sorted — one spelling per vote."""
    abstain = Choice.ABSTAIN.value
    full = {code: _valid(choices.get(code, abstain)) for code in on_ballot}
    return json.dumps(full, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _valid(value: str) -> str:
    return value if value in _CHOICES else Choice(value).value     # Choice(…) raises on anything else


def _round_ref(meeting_id: int, number: int) -> str:
    """What a round's key and its sealed ballots are bound to: a ballot cannot move to another round."""
    return f"meeting {meeting_id} round {number}"


class VotingService:
    #: scrypt's cost for a new round passphrase (stored with the round; tests lower it).
    seal_cost: int = ballotbox.COST

    def __init__(self, store: Store, sessions: SessionSource, staff: StaffSource) -> None:
        self.store = store
        self.sessions = sessions
        self.staff = staff
        #: Whether the last :meth:`close_round` of this service compacted the file (False: another
        #: program held it; it stays pending and is done at the next open for writing).
        self.last_compacted: bool | None = None

    # -- rounds ----------------------------------------------------------------
    def open_first_round(self, actor: str, meeting_id: int, present: Sequence[str],
                         vote_date: dt.date | None = None, presider: str | None = None, *,
                         passphrase: str) -> int:
        """Start the ballot; ``present`` are the experts present at the vote (no proxy, no late vote),
        at least the plan's quorum of the panel (``ballot.quorum``; so is every runoff). ``presider``:
        who presides at the vote (see :meth:`record_vote_presider`), recorded with the opening.
        ``passphrase``: the round passphrase the supervisor sets; it opens the box at close."""
        with self.store.write(actor, "ballot.open", meeting_id, present=sorted(present),
                              **({"presider": presider} if presider else {})) as tx:
            require_step(tx.conn, meeting_id, Step.BALLOT)
            if presider:
                _store_presider(tx.conn, meeting_id, presider)
            if tx.conn.execute(_STARTED, {"meeting_id": meeting_id}).first():
                raise fail("ballot.started", bi("the ballot has already been opened", "表决已经开始"))
            undecided = tx.conn.execute(_UNDECIDED, {"meeting_id": meeting_id}).scalars().all()
            if undecided:
                raise fail("ballot.undecided", bi(f"eligibility not decided for: {', '.join(undecided)}",
                                                  f"以下申报人尚未作出资格复审结论，不能开始表决：{'、'.join(undecided)}"))
            codes = tx.conn.execute(_ON_BALLOT, {"meeting_id": meeting_id}).scalars().all()
            rid = self._insert_round(tx.conn, meeting_id, 1, "first", list(codes), None, present, passphrase)
            m = meeting_row(tx.conn, meeting_id)
            days = sorted(tx.conn.execute(_DAYS, {"meeting_id": meeting_id}).scalars())
            if days and (vote_date or m.meeting_date) not in days:     # the vote is held on a day the meeting sits
                raise RuleViolation([vote_day_problem(vote_date or m.meeting_date, days)])
            tx.conn.execute(_VOTE_DATE, {"b_meeting": meeting_id, "b_date": vote_date or m.meeting_date})
            tx.data["round"] = 1
        return rid

    def record_vote_presider(self, actor: str, meeting_id: int, member_code: str) -> None:
        """Who presides at the vote (主持表决): the chair, or the vice-chair the chair delegated to
        (X§10(一); X§10(七): the chair or vice-chair announces the result) — present, not departed. The
        minutes name them; step 7 does not finish without. Recorded, or corrected, during step 7."""
        with self.store.write(actor, "ballot.presider", meeting_id, member=member_code) as tx:
            require_step(tx.conn, meeting_id, Step.BALLOT)
            tx.data["previous"] = meeting_row(tx.conn, meeting_id).vote_presider
            _store_presider(tx.conn, meeting_id, member_code)

    def open_runoff(self, actor: str, meeting_id: int, present: Sequence[str], *, passphrase: str) -> int:
        """Open the runoff the allocation asks for next (tied candidates, remaining places), with its
        own round passphrase (see :meth:`open_first_round`)."""
        with self.store.write(actor, "ballot.runoff", meeting_id, present=sorted(present)) as tx:
            require_step(tx.conn, meeting_id, Step.BALLOT)
            rounds = rounds_on(tx.conn, meeting_id)
            if not rounds or any(r.status == "open" for r in rounds):
                raise fail("ballot.round_open", bi("close the current round before a runoff",
                                                   "本轮表决结束后才能再次投票"))
            pending = results_on(tx.conn, meeting_id).allocation.pending
            if not pending:
                raise fail("runoff.none", bi("no runoff is needed: every outcome is decided",
                                             "每位申报人的表决结果均已确定，无须再次投票"))
            nxt = pending[0]
            codes = [c for c in rounds[0].candidates if c in nxt.candidates]
            number = rounds[-1].number + 1
            rid = self._insert_round(tx.conn, meeting_id, number, "runoff", codes, nxt.places, present,
                                     passphrase)
            tx.data.update(round=number, candidates=codes, places=nxt.places)
        return rid

    def _insert_round(self, conn: Connection, meeting_id: int, number: int, kind: str,
                      codes: list[str], places: int | None, present: Sequence[str], passphrase: str) -> int:
        if len(passphrase.strip()) < MIN_LENGTH:
            raise fail("ballot.passphrase", bi(
                f"the round passphrase has at least {MIN_LENGTH} characters: it is entered again to "
                "close the round, and whoever knows it can open the round's sealed ballots",
                f"本轮表决口令至少{MIN_LENGTH}个字符：结束本轮时须再次输入，知道该口令者可开启本轮密封的选票"))
        experts = {r.code: r for r in conn.execute(_PRESENT_EXPERTS, {"meeting_id": meeting_id})}
        gone = sorted(code for code in present if code in experts and experts[code].departed)
        if gone:
            raise fail("ballot.voter", bi(f"recorded as having left the meeting: {', '.join(gone)}",
                                          f"已登记中途离会，不得参加表决：{'、'.join(gone)}"))
        unknown = sorted(set(present) - set(experts))
        if unknown:
            raise fail("ballot.voter", bi(f"not experts of this panel present at the meeting: "
                                          f"{', '.join(unknown)} (the chair and vice-chair do not vote)",
                                          f"以下人员不是本次会议已签到的评委，不能参加表决：{'、'.join(unknown)}"
                                          "（主任委员、副主任委员不参加表决）"))
        voters = sorted(set(present))
        if not voters:
            raise fail("ballot.voter", bi("nobody is present to vote", "没有出席表决的评委"))
        quorum = quorum_on(conn, meeting_id)
        short = check_quorum(len(voters), quorum.panel, quorum.share)
        if short:
            raise RuleViolation(short)
        absent = sorted(set(experts) - set(voters))
        key = ballotbox.new_round_key(passphrase, _round_ref(meeting_id, number), self.seal_cost)
        return int(inserted_id(conn.execute(_NEW_ROUND, {
            "id": conn.execute(_NEXT_ROUND_ID).scalar_one(), "meeting_id": meeting_id, "number": number,
            "kind": kind, "candidates": codes, "places": places,
            "voters": voters, "absent": absent, "status": "open", "seal": key.as_json()})))

    def compaction_pending(self) -> bool:
        """Whether a closed round's compaction is still to be done: another program held the file
        at the close and again when this meeting was opened (it is retried at every open for
        writing). Until it is done, the file's free pages and its WAL may keep the order in which
        the ballots were stored — the window says so."""
        with self.store.read() as conn:
            return compaction_pending(conn)

    def close_round(self, actor: str, meeting_id: int, round_id: int, passphrase: str | None = None) -> Results:
        """Close a round for good; outcomes are stored once no runoff is pending. ``passphrase``
        opens the sealed box (a wrong one is refused and nothing changes); a round an older
        version opened has no seal and needs none. The event records the round's ``tally``
        ({code: [yes, no, abstain]}) and ``box_sha256`` (:func:`app.storage.replay.box_record`). After the commit
        the file is compacted; :attr:`last_compacted` tells whether that completed now."""
        self.last_compacted = None
        with self.store.write(actor, "ballot.close", meeting_id, round=round_id) as tx:
            rnd = round_on(tx.conn, meeting_id, round_id)
            if rnd.status != "open":
                raise fail("ballot.closed", bi(f"round {rnd.number} is already closed",
                                               f"第{rnd.number}轮表决已经结束"))
            waiting = tx.conn.execute(_WAITING, {"round_id": round_id}).scalars().all()
            if waiting:
                raise fail("paper.unconfirmed", bi("paper batches not yet confirmed by a second entry: "
                                                   + ", ".join(waiting),
                                                   f"以下纸质选票批次尚未经第二人核对录入：{'、'.join(waiting)}"))
            uncounted = len(rnd.voted) - ballot_count_on(tx.conn, round_id)
            if uncounted > 0:
                raise fail("paper.uncounted", bi(
                    f"round {rnd.number}: {uncounted} paper ballot(s) handed in but not yet typed in; "
                    "closing now would lose them", f"第{rnd.number}轮：已投入{uncounted}张纸质选票尚未录入，"
                    "现在结束将使其丢失"))
            self._open_box(tx.conn, meeting_id, rnd, passphrase)
            tx.conn.execute(_CLOSED, {"b_round": round_id})
            mark_compaction_pending(tx.conn)
            results = results_on(tx.conn, meeting_id)
            tx.data.update(number=rnd.number, ballots=ballot_count_on(tx.conn, round_id),
                           pending=len(results.allocation.pending), **box_record(tx.conn, round_id))
            outcomes = [{"b_meeting": meeting_id, "b_code": code, "b_outcome": out.outcome, "b_reason": out.reason}
                        for code, out in results.allocation.outcomes.items()]
            if outcomes and not results.allocation.pending:
                tx.conn.execute(_OUTCOME, outcomes)
        self.last_compacted = compact(self.store.engine)
        return results

    def void_round(self, staff_token: str, meeting_id: int, round_id: int, chair_code: str, reason: str) -> int:
        """Void the open round ``round_id`` unopened, on the decision of the chair or vice-chair
        ``chair_code`` with a written reason — when its box can never be opened (the round passphrase
        lost, mistyped when it was set) or the round went wrong. Nothing of it is counted: its sealed
        ballots and waiting paper copies are erased unopened, its roll is emptied, and the round is
        held again under the same number (:meth:`open_first_round` or :meth:`open_runoff`; every
        expert present votes again). What the round was — its number, kind, voters, who had voted,
        how many ballots were discarded, who voided it and why — stays in ``voided_round`` (the
        minutes print it) and in the audit event. A closed round is never voided: results are never
        edited. Returns the number of ballots discarded. The file is compacted after the commit, as
        after a close (:attr:`last_compacted`).

        ``staff_token``: the supervisor's (纪检监察) staff session — who set the round passphrase and
        holds it attests, with their own code, that the box is to be discarded unopened; the event
        names them (``ballot.void_witness`` for anyone else)."""
        self.last_compacted = None
        reason = reason.strip()
        clerk = self.staff.session(staff_token)
        if clerk.meeting_id != meeting_id or clerk.post is not StaffPost.SUPERVISOR:
            raise fail("ballot.void_witness", bi(
                "the supervisor (纪检监察) signs in with their own code to void a round: they set its passphrase",
                "作废本轮表决须由纪检监察人员凭本人登录码登录确认（本轮表决口令由其设定）"))
        with self.store.write(clerk.name, "ballot.void", meeting_id, round=round_id, chair=chair_code,
                              reason=reason, staff=clerk.post.value) as tx:
            check_staff_session(tx.conn, clerk)
            require_step(tx.conn, meeting_id, Step.BALLOT)
            if len(reason) < 4:
                raise fail("ballot.void_reason", bi("voiding a round needs the chair's written reason",
                                                    "作废本轮表决须由主任委员书面说明理由"))
            rnd = round_on(tx.conn, meeting_id, round_id)
            if rnd.status != "open":
                raise fail("ballot.void_closed", bi(
                    f"round {rnd.number} is closed and counted: a counted round is never voided, results "
                    "are never edited", f"第{rnd.number}轮表决已结束并计票，不得作废，表决结果不得更改"))
            chair = member_row(tx.conn, meeting_id, chair_code)
            if not Role(chair.role).presides:
                raise fail("ballot.void_chair", bi(f"{chair.name} is not the chair or vice-chair: only they "
                                                   "void a round", f"{chair.name}不是主任委员或副主任委员，"
                                                   "只有主任委员或副主任委员可以决定作废本轮表决"))
            discarded = ballot_count_on(tx.conn, round_id)
            tx.conn.execute(insert(voided_round).values(
                meeting_id=meeting_id, round_id=round_id, number=rnd.number, kind=rnd.kind,
                candidates=list(rnd.candidates),
                voters=list(rnd.voters), voted=sorted(rnd.voted), sealed=discarded, chair=chair_code,
                reason=reason))
            for table in (sealed_ballot, ballot, paper_batch, voter_roll):
                tx.conn.execute(delete(table).where(table.c.round_id == round_id))
            tx.conn.execute(delete(ballot_round).where(ballot_round.c.id == round_id))
            tx.data.update(number=rnd.number, kind=rnd.kind, discarded=discarded, voted=len(rnd.voted))
            mark_compaction_pending(tx.conn)
        # as at a close: the erased ciphertexts leave the file's free pages and its WAL (were the lost
        # passphrase found later, they must not be there to open), and their order with them
        self.last_compacted = compact(self.store.engine)
        return discarded

    def _open_box(self, conn: Connection, meeting_id: int, rnd: RoundView, passphrase: str | None) -> None:
        """Open the round's sealed box with ``passphrase``, shuffle it and store it in the clear under
        fresh random keys (never the sealed rows' keys); erase the sealed rows. Nothing is written
        unless every ballot opened and their number is the roll's."""
        seal = conn.execute(_SEAL, {"round_id": rnd.id}).scalar()
        if seal is None:                  # a round an older version opened: its ballots are in the clear
            return
        if not passphrase:
            raise fail("ballot.passphrase", bi(f"round {rnd.number}: enter the round passphrase set when the "
                                               "round was opened — it opens the sealed ballots",
                                               f"第{rnd.number}轮：请输入开始本轮时设定的表决口令，用以开启密封的选票"))
        ref = _round_ref(meeting_id, rnd.number)
        try:
            private = ballotbox.unwrap(ballotbox.RoundKey.from_json(seal), passphrase, ref)
            bodies = [ballotbox.open_sealed(private, s, ref.encode())
                      for s in conn.execute(_SEALED, {"round_id": rnd.id}).scalars()]
        except ballotbox.WrongPassphrase:
            raise fail("ballot.passphrase", bi(f"round {rnd.number}: the passphrase does not open this round's "
                                               "sealed ballots; nothing was changed — enter the passphrase "
                                               "set when the round was opened",
                                               f"第{rnd.number}轮：该口令不能开启本轮密封的选票，未作任何更改；"
                                               "请输入开始本轮时设定的表决口令")) from None
        already = conn.execute(_IN_THE_CLEAR, {"round_id": rnd.id}).scalar_one()
        if len(bodies) + already != len(rnd.voted):
            raise fail("ballot.count", bi(f"round {rnd.number}: {len(bodies) + already} ballots in the box but "
                                          f"{len(rnd.voted)} voters on the roll; nothing was changed",
                                          f"第{rnd.number}轮：票箱中有选票{len(bodies) + already}张，"
                                          f"投票名单上有{len(rnd.voted)}人，二者不符，未作任何更改"))
        secrets.SystemRandom().shuffle(bodies)
        if bodies:
            conn.execute(_BOX, [{"round_id": rnd.id, "token": secrets.token_hex(16), "choices": b} for b in bodies])
        conn.execute(_UNSEAL, {"round_id": rnd.id})

    # -- casting ---------------------------------------------------------------
    def cast(self, token: str, round_id: int, choices: Mapping[str, str]) -> None:
        """An electronic ballot from the terminal session ``token``: the voter is the expert the
        session was unlocked for (a locked or unknown session is refused), the roll gets the
        voter, the box gets the choices. The audit event names the voter and the round only."""
        session = self.sessions.session(token)
        with self.store.write(session.member_code, "ballot.cast", session.meeting_id, round=round_id) as tx:
            self.cast_on(tx.conn, session, round_id, choices)

    def cast_on(self, conn: Connection, session: Session, round_id: int, choices: Mapping[str, str]) -> None:
        """:meth:`cast` on the caller's open write (the expert desk records the terminal's entry
        in the same transaction, :mod:`app.services.desk`); the caller audits it as ``ballot.cast``
        naming the voter and the round only."""
        meeting_id, voter = session.meeting_id, session.member_code
        rnd = self._open_round(conn, meeting_id, round_id)
        body = self._checked_ballot(rnd, choices, where=bi("the ballot", "选票"))
        self._mark_roll(conn, meeting_id, rnd, [voter], "terminal")
        self._drop_in_box(conn, meeting_id, rnd, [body])

    def mark_paper_vote(self, staff_token: str, round_id: int, voter: str) -> None:
        """A voter hands in a paper ballot: the staff member signed in as ``staff_token`` ticks the
        roll (the ballot goes in the box unseen). ``voter`` must be on the round's roll, present."""
        clerk = self.staff.session(staff_token)
        with self.store.write(clerk.name, "ballot.paper_roll", clerk.meeting_id, round=round_id, voter=voter,
                              staff=clerk.post.value) as tx:
            check_staff_session(tx.conn, clerk)
            rnd = self._open_round(tx.conn, clerk.meeting_id, round_id)
            self._mark_roll(tx.conn, clerk.meeting_id, rnd, [voter], "paper")

    def mark_paper_votes(self, staff_token: str, round_id: int, voters: Sequence[str]) -> None:
        """Several voters hand in their paper ballots — the roll ticked in one go as the box is
        collected: :meth:`mark_paper_vote` for each, in one transaction and one audit event (the
        round, the voters sorted — not in the order handed in — and the staff post). Any voter
        refused (not on the roll, already voted, left the meeting, or listed twice) refuses them
        all: nothing is ticked, and the refusal names the voter."""
        clerk = self.staff.session(staff_token)
        wanted = sorted(v.strip() for v in voters)
        with self.store.write(clerk.name, "ballot.paper_roll", clerk.meeting_id, round=round_id, voters=wanted,
                              staff=clerk.post.value) as tx:
            check_staff_session(tx.conn, clerk)
            rnd = self._open_round(tx.conn, clerk.meeting_id, round_id)
            if not wanted:
                raise fail("ballot.voter", bi("no voter to tick on the roll", "未指定须在投票名单上登记的评委"))
            twice = sorted({v for v in wanted if wanted.count(v) > 1})
            if twice:
                raise fail("ballot.double", bi(f"listed more than once: {', '.join(twice)} — one paper ballot each",
                                               f"以下评委被重复登记：{'、'.join(twice)}——每人只交一张纸质选票"))
            self._mark_roll(tx.conn, clerk.meeting_id, rnd, wanted, "paper")

    def enter_paper_batch(self, staff_token: str, round_id: int, batch: str,
                          ballots: Sequence[Mapping[str, str]], *, passphrase: str | None = None) -> dict[str, Any]:
        """One staff member's typing of a batch of paper ballots; the clerk is the staff member
        signed in as ``staff_token`` (:class:`~app.services.staff.StaffService`).

        Returns ``{"status": "waiting" | "accepted" | "mismatch", "differences": [...]}``.
        The ballots enter the box only when the two staff posts of the plan — the secretary and
        the supervisor, each signed in with their own code — typed the same thing. The batch
        stores the post of each copy (``clerk_a``/``clerk_b``), never a typed name.

        A copy waits sealed to the round's key (:meth:`_seal_entry`): in the clear it would show
        the choices of the batch's paper voters, whom the roll marks. So the copy that completes
        a batch (the second, or a corrected one after a mismatch) takes ``passphrase``, the round
        passphrase the supervisor types: it opens the waiting copy for the comparison; a missing
        or wrong one is refused and nothing is written. On a mismatch the new copy waits sealed
        too. The differences name ballot numbers and candidates, never a choice; the audit event
        holds the round, batch, count, post, status and the number of differences. A round an
        older version opened has no key: its copies wait as they were typed, and need no passphrase.
        """
        clerk = self.staff.session(staff_token)
        meeting_id, post = clerk.meeting_id, clerk.post.value
        with self.store.write(clerk.name, "paper.enter", meeting_id, round=round_id, batch=batch,
                              count=len(ballots), staff=post) as tx:
            check_staff_session(tx.conn, clerk)
            rnd = self._open_round(tx.conn, meeting_id, round_id)
            bodies = [self._checked_ballot(rnd, b, where=bi(f"batch {batch}, ballot {i}", f"批次{batch}第{i}张选票"))
                      for i, b in enumerate(ballots, 1)]
            seal = tx.conn.execute(_SEAL, {"round_id": round_id}).scalar()
            row = tx.conn.execute(_BATCH, {"round_id": round_id, "code": batch}).first()
            if row is None:
                tx.conn.execute(_NEW_BATCH, {
                    "round_id": round_id, "code": batch, "clerk_a": post,
                    "entry_a": self._seal_entry(seal, meeting_id, rnd, batch, bodies), "size": len(bodies),
                    "status": "waiting"})
                tx.data["status"] = "waiting"
                return {"status": "waiting", "differences": []}
            if row.status == "accepted":
                raise fail("paper.accepted", bi(f"batch {batch} is already confirmed and counted",
                                                f"批次{batch}已核对无误并计票"))
            if post == row.clerk_a and row.clerk_b is None:
                raise fail("paper.same_clerk", bi(
                    f"batch {batch} was typed by {clerk.name} ({clerk.post.en}): the second copy is typed by "
                    "the other staff member of the plan, signed in with their own code",
                    f"批次{batch}已由{clerk.name}（{clerk.post.zh}）录入，须由评审方案中的另一名工作人员"
                    "以本人登录码登录后再次录入"))
            _two_people(tx.conn, meeting_id, batch)
            mine, theirs = ("entry_a", "entry_b") if post == row.clerk_a else ("entry_b", "entry_a")
            other = _open_entry(seal, passphrase, meeting_id, rnd, batch, getattr(row, theirs))
            values: dict[str, str | None] = {"clerk_a": post} if post == row.clerk_a else {"clerk_b": post}
            diffs = _differences(other, bodies, rnd.candidates)
            status = "mismatch" if diffs else "accepted"
            if diffs:       # both copies wait sealed (one an older version left in the clear is sealed now)
                values.update({mine: self._seal_entry(seal, meeting_id, rnd, batch, bodies),
                               theirs: self._seal_entry(seal, meeting_id, rnd, batch, other)})
            else:
                # Counted: the typed copies go (they hold the batch's ballots in paper order,
                # which with few paper voters could point at them); clerks and size stay.
                values.update(entry_a=None, entry_b=None)
            tx.conn.execute(_BATCH_ENTRY, {"b_round": round_id, "b_code": batch, "status": status, **values})
            if not diffs:
                self._drop_in_box(tx.conn, meeting_id, rnd, bodies)
            tx.data.update(status=status, differences=len(diffs))
        return {"status": status, "differences": diffs}

    def _seal_entry(self, seal: dict[str, Any] | None, meeting_id: int, rnd: RoundView, batch: str,
                    bodies: Sequence[str]) -> str:
        """How a typed copy of a batch waits in ``paper_batch``: sealed to the round's public key,
        padded to the longest batch of its size and bound to the batch (:data:`SEALED_ENTRY` and
        base64); as typed (a JSON list of canonical ballots) in a round an older version opened."""
        entry = json.dumps(list(bodies), ensure_ascii=False)
        if seal is None:
            return entry
        public = ballotbox.RoundKey.from_json(seal).public
        size = ballotbox.padded_batch_length(rnd.candidates, len(bodies))
        sealed = ballotbox.seal(public, entry, size, _batch_ref(meeting_id, rnd.number, batch))
        return SEALED_ENTRY + base64.b64encode(sealed).decode("ascii")

    def _mark_roll(self, conn: Connection, meeting_id: int, rnd: RoundView, voters: Sequence[str],
                   channel: str) -> None:
        """Tick ``voters`` on the round's roll, in their order; the first refused refuses them all.
        Their rows are read in one statement and ticked in one (a paper roll of the whole panel read
        and ticked them one by one)."""
        rows = members_by_code(conn, meeting_id, voters)
        ticks = []
        for voter in voters:
            if voter not in rnd.voters:
                raise fail("ballot.voter", bi(f"{voter} is not on the roll of round {rnd.number} "
                                              "(absent at the opening of the vote, or presiding)",
                                              f"{voter}不在第{rnd.number}轮投票名单中（开始表决时未出席，或为主任委员、副主任委员）"))
            if voter in rnd.voted:
                raise fail("ballot.double", bi(f"{voter} has already voted in round {rnd.number}",
                                               f"{voter}已在第{rnd.number}轮投过票"))
            row = rows.get(voter)
            if row is None:
                raise unknown_member(voter)
            if row.departed:        # left after the round opened: on its roll, but no longer entitled
                raise fail("ballot.departed", bi(f"{row.name} ({voter}) is recorded as having left the meeting: "
                                                 "no ballot of theirs is accepted",
                                                 f"{row.name}（{voter}）已登记中途离会，其选票不予接受"))
            ticks.append({"round_id": rnd.id, "member_id": row.id, "channel": channel})
        conn.execute(_TICK, ticks)

    def _drop_in_box(self, conn: Connection, meeting_id: int, rnd: RoundView, bodies: Sequence[str]) -> None:
        """Put ``bodies`` in the box of ``rnd``, a round of ``meeting_id`` (:meth:`_open_round` read it so)."""
        total = ballot_count_on(conn, rnd.id) + len(bodies)
        roll = conn.execute(_ROLL, {"round_id": rnd.id}).scalar_one()
        if total > roll:
            raise fail("ballot.count", bi(f"round {rnd.number}: {total} ballots but only {roll} voters "
                                          "on the roll — there are never more ballots than voters",
                                          f"第{rnd.number}轮：选票{total}张，已投票评委仅{roll}人——选票不得多于投票人数"))
        seal = conn.execute(_SEAL, {"round_id": rnd.id}).scalar()
        if seal is None:                  # a round an older version opened, still open: as it was cast
            conn.execute(_BOX, [{"round_id": rnd.id, "token": secrets.token_hex(16), "choices": b} for b in bodies])
            return
        public = ballotbox.RoundKey.from_json(seal).public
        size = ballotbox.padded_length(rnd.candidates)
        aad = _round_ref(meeting_id, rnd.number).encode()
        conn.execute(_SEALED_BOX, [{"round_id": rnd.id, "token": secrets.token_hex(16),
                                    "sealed": ballotbox.seal(public, b, size, aad)} for b in bodies])

    @staticmethod
    def _checked_ballot(rnd: RoundView, choices: Mapping[str, str], where: str) -> str:
        unknown = sorted(set(choices) - set(rnd.candidates))
        if unknown:
            raise fail("ballot.unknown_candidate", bi(f"{where}: not on this round's ballot: {', '.join(unknown)}",
                                                      f"{in_chinese(where)}：以下申报人不在本轮表决名单中："
                                                      f"{'、'.join(unknown)}"))
        bad = {c: v for c, v in choices.items() if v not in _CHOICES}
        if bad:
            shown = "、".join(f"{c}：{v}" for c, v in bad.items())
            raise fail("ballot.choice", bi(f"{where}: a choice is yes, no or abstain; got {bad}",
                                           f"{in_chinese(where)}：表决意见只能是赞成、反对或弃权，现为{shown}"))
        return canonical_choices(choices, rnd.candidates)

    @staticmethod
    def _open_round(conn: Connection, meeting_id: int, round_id: int) -> RoundView:
        try:
            rnd = round_on(conn, meeting_id, round_id)
        except RuleViolation:
            # no such round: voided, say — a ballot a terminal kept while its link was down
            voided = conn.execute(_VOIDED, {"meeting_id": meeting_id, "round_id": round_id}).scalar()
            if voided is None:
                raise
            raise fail("ballot.voided", bi(
                f"round {voided} was voided and is held again: vote in the new round",
                f"该轮（第{voided}轮）表决已作废并重新进行，请在重新进行的表决中投票")) from None
        if rnd.status != "open":
            raise fail("ballot.closed", bi(f"round {rnd.number} is closed: no late votes",
                                           f"第{rnd.number}轮表决已结束，不得补投"))
        return rnd






#: How a sealed waiting copy of a paper batch starts (then base64 of :func:`ballotbox.seal`'s bytes);
#: a copy an older version stored in the clear is a JSON list and starts with ``[``.
SEALED_ENTRY = "sealed:"


def _batch_ref(meeting_id: int, number: int, batch: str) -> bytes:
    """What a sealed copy of a paper batch is bound to: it cannot stand for another batch or round,
    nor be moved into the ballot box."""
    return f"{_round_ref(meeting_id, number)} paper batch {batch}".encode()


def _open_entry(seal: dict[str, Any] | None, passphrase: str | None, meeting_id: int, rnd: RoundView,
                batch: str, stored: str | None) -> list[str]:
    """The waiting copy of ``batch`` as typed: opened with the round passphrase in a sealed round
    (required there — also for a copy an older version left in the clear, so that what is asked
    does not depend on what is in the file); as stored in a round an older version opened."""
    private = None
    if seal is not None:
        if not passphrase:
            raise fail("ballot.passphrase", bi(
                f"batch {batch}: the first copy waits sealed; the supervisor enters the passphrase set when "
                f"round {rnd.number} was opened to compare this copy with it",
                f"批次{batch}：第一次录入的内容已密封，须由纪检监察人员输入开始第{rnd.number}轮时设定的表决口令，"
                "方可与本次录入核对"))
        try:
            private = ballotbox.unwrap(ballotbox.RoundKey.from_json(seal), passphrase,
                                       _round_ref(meeting_id, rnd.number))
        except ballotbox.WrongPassphrase:
            raise fail("ballot.passphrase", bi(
                f"batch {batch}: the passphrase does not open round {rnd.number}'s seal; nothing was saved — "
                "enter the passphrase set when the round was opened",
                f"批次{batch}：该口令不能开启第{rnd.number}轮的密封，本次录入未保存；"
                "请输入开始本轮时设定的表决口令")) from None
    if stored is None or not stored.startswith(SEALED_ENTRY):
        return list(json.loads(stored or "[]"))
    altered = fail("paper.sealed", bi(
        f"batch {batch}: its waiting copy does not open with round {rnd.number}'s key — it was altered or "
        "belongs to another batch; nothing was saved",
        f"批次{batch}：待核对的录入内容无法用第{rnd.number}轮的密钥开启（已被改动或属于其他批次），本次录入未保存"))
    if private is None:             # a sealed copy in a round without a key: the file was altered
        raise altered
    try:
        text = ballotbox.open_sealed(private, base64.b64decode(stored[len(SEALED_ENTRY):], validate=True),
                                     _batch_ref(meeting_id, rnd.number, batch))
    except (ValueError, ballotbox.WrongPassphrase):
        raise altered from None
    return list(json.loads(text))


def _differences(a: list[str], b: list[str], codes: Sequence[str]) -> list[str]:
    """Where two typings of the same batch differ: ballot numbers and candidates, never a choice —
    the clerk checks those cells against the paper ballots (the waiting copy stays unseen)."""
    out: list[str] = []
    if len(a) != len(b):
        out.append(f"the first entry has {len(a)} ballots, the second {len(b)}")
    for i, (x, y) in enumerate(zip(a, b, strict=False), 1):
        ja, jb = json.loads(x), json.loads(y)
        out.extend(f"ballot {i}, candidate {code}" for code in codes if ja.get(code) != jb.get(code))
    return out


def _two_people(conn: Connection, meeting_id: int, batch: str) -> None:
    """Refuse the second copy when the plan names one person for both posts (their names the same
    but for spacing, width or invisible characters): the two copies would be one person's."""
    m = meeting_row(conn, meeting_id)
    if same_unit(m.secretary or "", m.supervisor or ""):
        raise fail("paper.same_clerk", bi(
            f"batch {batch}: the plan names the same person ({m.secretary}) as secretary and supervisor; "
            "two different people type the two copies", f"批次{batch}：评审方案中的会务工作人员与纪检监察人员为同一人"
            f"（{m.secretary}），两次录入须由两人分别完成"))


def _store_presider(conn: Connection, meeting_id: int, code: str) -> None:
    """Record ``code`` as the vote's presider, refusing anybody but the chair or vice-chair present."""
    row = member_row(conn, meeting_id, code)
    if not Role(row.role).presides:
        raise fail("ballot.presider", bi(f"{row.name} is not the chair or vice-chair: the vote is presided over by "
                                         "the chair, or the vice-chair the chair delegates to",
                                         f"{row.name}不是主任委员或副主任委员；表决由主任委员主持，"
                                         "或由其委托的副主任委员主持"), ref="X§10(一)")
    if not row.checked_in or row.departed:
        raise fail("ballot.presider", bi(f"{row.name} is not present at the meeting and cannot preside at the vote",
                                         f"{row.name}未出席会议，不能主持表决"), ref="X§10(一)")
    conn.execute(update(meeting).where(meeting.c.id == meeting_id).values(vote_presider=row.code))
