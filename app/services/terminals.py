"""Expert terminals (评委终端): one-time codes, unlocked sessions, and what an expert sees.

A staff member of the plan, signed in with their own code (:mod:`app.services.staff`),
issues a code for one expert (:meth:`TerminalService.issue_code`): six digits from
:mod:`secrets`, shown once in that staff member's dialog and stored only as a salted
scrypt hash with an expiry. Why a staff session and not a typed name: at a kiosk an
expert once raised the host window and issued themselves another expert's code; with a
session, nobody issues a code without a staff member's own code, and the audit event
names who did (the actor is the staff member as the plan names them, ``staff`` their post).
The expert unlocks a terminal with the code (:meth:`TerminalService.unlock`): a code works
once, expires after :data:`CODE_TTL`, and :data:`MAX_TRIES` wrong tries lock it until a new
one is issued. Every issue and every unlock attempt is one audit event (never the code).

An expert recorded as having left the meeting (中途离会) loses their terminal at once:
the departure revokes their code (``status = "revoked"``, in the departure's own
transaction, :meth:`app.services.setup.SetupService.record_departure`), :meth:`unlock`
refuses them whatever code they hold, and their open session stops working —
:meth:`TerminalService.session` reads the member's row on every use (sessions live in
memory, the departure is in the database, possibly written by another process) and ends
a departed expert's session with ``terminal.departed``.

An unlocked :class:`Session` lets the interface ask for that expert's own
tasks only (:meth:`TerminalService.tasks`): the commitment at step 1, the
candidates they review at step 3, the open ballot round at step 7 if they are
on its roll and have not voted. What they enter goes through the ordinary
services (review, voting); this module never sees a ballot.

The codes live in ``terminal_code`` (:mod:`app.storage.schema`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from typing import Any, Protocol

from sqlalchemy import Connection, Row, insert, or_, select, update

from app.domain import Role, Step
from app.errors import RuleViolation
from app.rules.conflicts import conflict
from app.services.base import Store, fail, meeting_row, member_row
from app.services.staff import StaffService, StaffSession, check_staff_session
from app.storage.schema import (
    ballot_round,
    candidate,
    committee,
    member,
    question,
    rubric_item,
    score,
    step_state,
    terminal_code,
    voter_roll,
)
from app.text import bi, group_zh, in_chinese
from app.views.candidates import score_totals

CODE_DIGITS = 6
CODE_TTL = dt.timedelta(minutes=10)
MAX_TRIES = 5
_SCRYPT = {"n": 2**14, "r": 8, "p": 1, "dklen": 32}

Clock = Callable[[], dt.datetime]


class StaffSource(Protocol):
    """Where the live staff sessions are (:class:`~app.services.staff.StaffService`)."""

    def session(self, token: str) -> StaffSession:
        """The live staff session of ``token``; refused when signed out or unknown (``staff.session``)."""
        ...


def _digest(code: str, salt: bytes) -> str:
    return hashlib.scrypt(code.encode("utf-8"), salt=salt, **_SCRYPT).hex()


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass(frozen=True)
class Session:
    """An unlocked terminal: who it is for. ``token`` is the session's secret handle."""

    token: str
    meeting_id: int
    member_code: str
    member_name: str


@dataclass(frozen=True)
class ReviewItem:
    """A candidate this expert reviews as primary reviewer (主审评委), with their own work so far."""

    code: str
    name: str
    unit: str
    level: str
    specialty: str
    points: dict[str, int]          # this expert's score sheet, empty if not yet scored
    questions: int                  # questions this expert drafted for the candidate


@dataclass(frozen=True)
class BallotItem:
    """One candidate on the ballot, with what the voter weighs beside the name: the group's
    recommendation as stored (:class:`~app.domain.Recommendation` value: ``recommend`` 一致同意推荐,
    ``reject`` 不同意推荐, ``plenary`` 提交大会审议; None before step 5 or for an ineligible
    candidate) and the score summary — the mean of the scorers' sheet totals, as
    :func:`app.views.candidates.score_totals` computes it (None when nobody scored)."""

    code: str
    name: str
    unit: str
    level: str
    specialty: str
    eligible: bool
    group: str | None = None
    score: float | None = None


@dataclass(frozen=True)
class QuestionItem:
    """An interview question this expert may review (审题) at step 4: set by another expert of the
    candidate's group, for a candidate this expert is not in conflict with. ``reviewed``: this
    expert has reviewed it already (questions another expert reviewed are not shown)."""

    id: int
    candidate: str
    candidate_name: str
    text: str
    answer: str
    reviewed: bool
    setter: str = ""          # who set it (命题人), by name: the review is of another expert's question


@dataclass(frozen=True)
class OpenBallot:
    """The open round this expert may still vote in."""

    round_id: int
    number: int
    kind: str
    places: int | None
    candidates: tuple[BallotItem, ...]


@dataclass(frozen=True)
class ExpertTasks:
    """Everything a terminal shows the expert: their own tasks and nothing else."""

    member_code: str
    name: str
    role: str
    step: Step
    committee: str
    meeting: str
    commitment_open: bool           # step 1 is running
    commitment_signed: bool
    review_open: bool               # step 3 is running
    rubric: tuple[tuple[str, int], ...]
    review: tuple[ReviewItem, ...]
    ballot: OpenBallot | None       # a round is open, they are on its roll and have not voted
    voted_round: int | None = None  # the open round's number, if they have already voted in it
    off_roll_round: int | None = None  # the open round's number, if they are not on its roll
    questions_to_review: tuple[QuestionItem, ...] = ()   # step 4 is running


class TerminalService:
    """One-time codes and sessions of expert terminals; ``staff``: where the staff sessions that
    issue codes live (the program's :class:`~app.services.staff.StaffService`; by default one of
    this object's own); ``clock`` is injectable for tests."""

    def __init__(self, store: Store, clock: Clock = _utc_now, ttl: dt.timedelta = CODE_TTL,
                 staff: StaffSource | None = None) -> None:
        self.store = store
        self.staff = staff if staff is not None else StaffService(store)
        self.clock = clock
        self.ttl = ttl
        self._sessions: dict[str, Session] = {}
        self._lock = threading.Lock()

    # -- codes -------------------------------------------------------------------
    def issue_code(self, staff_token: str, meeting_id: int, member_code: str) -> str:
        """A fresh one-time code for ``member_code`` (replaces any earlier one); returned once, never stored.
        Issued by the staff member signed in as ``staff_token`` (``staff.session`` otherwise), for
        their own meeting only (``staff.meeting``); the audit event's actor is that person."""
        clerk = self.staff.session(staff_token)
        if clerk.meeting_id != meeting_id:
            raise fail("staff.meeting", bi(
                f"{clerk.name} is signed in for another meeting: sign in for this one to issue its codes",
                f"{clerk.name}登录的是另一场会议，须登录本场会议后才能发放验证码"))
        code = f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"
        salt = secrets.token_bytes(16)
        expires = (self.clock() + self.ttl).astimezone(dt.UTC)
        with self.store.write(clerk.name, "terminal.issue", meeting_id, member=member_code, staff=clerk.post.value,
                              expires=expires.strftime("%Y-%m-%dT%H:%M:%SZ")) as tx:
            meeting_row(tx.conn, meeting_id)
            check_staff_session(tx.conn, clerk)
            row = member_row(tx.conn, meeting_id, member_code)
            if not row.checked_in or row.departed:
                raise fail("terminal.absent", bi(f"{row.name} is not present at the meeting: no code is issued",
                                                 f"{row.name}不在会场，不能发放验证码"))
            values = {"salt": salt.hex(), "hash": _digest(code, salt), "expires_at": expires.isoformat(),
                      "tries": 0, "status": "active"}
            key = (terminal_code.c.meeting_id == meeting_id, terminal_code.c.member_id == row.id)
            replaced = tx.conn.execute(select(terminal_code.c.status).where(*key)).scalar()
            if replaced is None:
                tx.conn.execute(insert(terminal_code).values(meeting_id=meeting_id, member_id=row.id, **values))
            else:
                tx.conn.execute(update(terminal_code).where(*key).values(**values))
            tx.data["replaced"] = replaced
        return code

    def unlock(self, meeting_id: int, member_code: str, code: str) -> Session:
        """Open a session for ``member_code`` with their one-time code; refusals name a ``terminal.*`` rule."""
        refusal: RuleViolation | None = None
        with self.store.write(member_code, "terminal.unlock", meeting_id, member=member_code) as tx:
            row = member_row(tx.conn, meeting_id, member_code)
            key = (terminal_code.c.meeting_id == meeting_id, terminal_code.c.member_id == row.id)
            rec = tx.conn.execute(select(terminal_code).where(*key)).first()
            result = "ok"
            if row.departed or (rec is not None and rec.status == "revoked"):
                result, refusal = "departed", _departed(row.name)
            elif rec is None:
                result, refusal = "none", fail("terminal.no_code", bi(
                    f"no code has been issued for {row.name}; ask the secretary",
                    f"尚未为{row.name}发放验证码，请向会务工作人员领取"))
            elif rec.status == "used":
                result, refusal = "used", fail("terminal.used", bi(
                    f"this code of {row.name} has already been used; ask the secretary for a new one",
                    f"{row.name}的验证码已使用过，请向会务工作人员重新领取"))
            elif rec.status == "locked":
                result, refusal = "locked", _locked(row.name)
            elif self.clock() >= dt.datetime.fromisoformat(rec.expires_at):
                result, refusal = "expired", fail("terminal.expired", bi(
                    f"the code of {row.name} has expired; ask the secretary for a new one",
                    f"{row.name}的验证码已过期，请向会务工作人员重新领取"))
            elif not hmac.compare_digest(_digest(code.strip(), bytes.fromhex(rec.salt)), rec.hash):
                tries = rec.tries + 1
                left = MAX_TRIES - tries
                if left <= 0:
                    result, refusal = "locked", _locked(row.name)
                else:
                    result, refusal = "wrong", fail("terminal.code", bi(
                        f"wrong code for {row.name}: {left} tries left",
                        f"{row.name}的验证码不正确，还可尝试{left}次"))
                tx.conn.execute(update(terminal_code).where(*key).values(
                    tries=tries, status="locked" if left <= 0 else "active"))
                tx.data["tries"] = tries
            else:
                tx.conn.execute(update(terminal_code).where(*key).values(status="used"))
            tx.data["result"] = result
            name = row.name
        if refusal is not None:     # raised after the commit: the attempt itself is recorded
            raise refusal
        session = Session(secrets.token_urlsafe(24), meeting_id, member_code, name)
        with self._lock:
            self._sessions[session.token] = session
        return session

    # -- sessions ----------------------------------------------------------------
    def session(self, token: str) -> Session:
        """The live session of ``token``; refused once it has been locked."""
        with self._lock:
            found = self._sessions.get(token)
        if found is None:
            raise fail("terminal.session", bi("this terminal is locked: unlock it again with a new code",
                                              "终端已锁定，请重新领取验证码解锁"))
        with self.store.read() as conn:
            departed = conn.execute(select(member.c.departed).where(
                member.c.meeting_id == found.meeting_id, member.c.code == found.member_code)).scalar()
        if departed is None or departed:     # left the meeting (or no longer on the panel): revoked
            self.lock(token)
            raise _departed(found.member_name)
        return found

    def live(self, token: str) -> Session | None:
        """The session of ``token`` if it is open in this process, else None — without the departure
        check of :meth:`session` (for bookkeeping, e.g. which expert a station has signed in)."""
        with self._lock:
            return self._sessions.get(token)

    def lock(self, token: str) -> None:
        """End a session (the expert pressed Lock, or the terminal was idle)."""
        with self._lock:
            self._sessions.pop(token, None)

    # -- what the expert sees ----------------------------------------------------
    def tasks(self, token: str) -> ExpertTasks:
        s = self.session(token)
        mid = s.meeting_id
        with self.store.read() as conn:
            m = meeting_row(conn, mid)
            com = conn.execute(select(committee.c.name).where(committee.c.id == m.committee_id)).scalar_one()
            me = member_row(conn, mid, s.member_code)
            done = set(conn.execute(select(step_state.c.step).where(
                step_state.c.meeting_id == mid, step_state.c.done.is_(True))).scalars())
            step = Step(m.current_step)

            def running(x: Step) -> bool:
                return step == x and int(x) not in done and not m.finished

            rubric = tuple((r.name, r.max_points) for r in conn.execute(
                select(rubric_item).where(rubric_item.c.meeting_id == mid).order_by(rubric_item.c.position)))
            review: list[ReviewItem] = []
            if running(Step.PRIMARY_REVIEW) and not Role(me.role).presides:
                for c in conn.execute(select(candidate).where(
                        candidate.c.meeting_id == mid, candidate.c.reviewer_id == me.id,
                        candidate.c.eligible.is_(True)).order_by(candidate.c.id)):
                    if conflict(me, c) is not None:      # declared after the assignment: never shown
                        continue
                    points = {name: pts for name, pts in conn.execute(
                        select(rubric_item.c.name, score.c.points).join(score, score.c.item_id == rubric_item.c.id)
                        .where(score.c.candidate_id == c.id, score.c.member_id == me.id))}
                    asked = len(conn.execute(select(question.c.id).where(
                        question.c.candidate_id == c.id, question.c.setter_id == me.id)).all())
                    review.append(ReviewItem(c.code, c.name, c.unit, c.level, c.specialty, points, asked))
            to_review = _questions_to_review(conn, mid, me) if running(Step.INTERVIEW) else ()
            ballot, voted, off_roll = None, None, None
            if running(Step.BALLOT):
                rnd = conn.execute(select(ballot_round).where(
                    ballot_round.c.meeting_id == mid, ballot_round.c.status == "open")).first()
                if rnd is not None:
                    has_voted = conn.execute(select(voter_roll.c.member_id).where(
                        voter_roll.c.round_id == rnd.id, voter_roll.c.member_id == me.id)).first()
                    if me.code not in rnd.voters:
                        off_roll = rnd.number
                    elif has_voted:
                        voted = rnd.number
                    else:
                        rows = {c.code: c for c in conn.execute(select(candidate).where(
                            candidate.c.meeting_id == mid, candidate.c.code.in_(rnd.candidates)))}
                        totals = score_totals(self.store, mid)
                        items = tuple(BallotItem(c.code, c.name, c.unit, c.level, c.specialty, bool(c.eligible),
                                                 c.recommendation,
                                                 totals[c.code].total if c.code in totals else None)
                                      for c in (rows[code] for code in rnd.candidates))
                        ballot = OpenBallot(rnd.id, rnd.number, rnd.kind, rnd.places, items)
        return ExpertTasks(
            member_code=me.code, name=me.name, role=me.role, step=step, committee=com, meeting=m.title,
            commitment_open=running(Step.PREPARATORY), commitment_signed=bool(me.commitment_signed),
            review_open=running(Step.PRIMARY_REVIEW), rubric=rubric, review=tuple(review), ballot=ballot,
            voted_round=voted, off_roll_round=off_roll, questions_to_review=to_review)


def question_review_refusal(me: Row[Any], cand: Row[Any]) -> RuleViolation | None:
    """Why expert ``me`` may not review the questions of ``cand`` — a conflict (回避: presiding, same
    unit, declared), or a candidate of another group — or None. The same test decides what
    :meth:`TerminalService.tasks` shows and what :class:`~app.services.desk.ExpertDesk` accepts."""
    why = conflict(me, cand)
    if why is not None:
        return fail(why.rule, bi(f"{why.reason}: {me.name} may not act for candidate {cand.code}",
                                 f"{in_chinese(why.reason)}：{me.name}不得参与申报人{cand.code}的评审"))
    if cand.group_code and me.group_code != cand.group_code:
        return fail("review.group", bi(
            f"{me.name} sits in group {me.group_code}; candidate {cand.code} is deliberated by group {cand.group_code}",
            f"{me.name}属{group_zh(me.group_code)}，申报人{cand.code}由{group_zh(cand.group_code)}评议"))
    return None


def _questions_to_review(conn: Connection, meeting_id: int, me: Row[Any]) -> tuple[QuestionItem, ...]:
    """The questions ``me`` may review: of an eligible candidate of their group they are not in conflict
    with, set by someone else, not yet reviewed by another expert."""
    if Role(me.role).presides:
        return ()
    setter = member.alias("setter")
    rows = conn.execute(select(question, candidate.c.code, candidate.c.name,
                               candidate.c.unit, candidate.c.group_code, setter.c.name.label("setter_name"))
                        .join(candidate, candidate.c.id == question.c.candidate_id)
                        .join(setter, setter.c.id == question.c.setter_id)
                        .where(candidate.c.meeting_id == meeting_id, candidate.c.eligible.is_(True),
                               question.c.setter_id != me.id,
                               or_(question.c.reviewer_id.is_(None), question.c.reviewer_id == me.id))
                        .order_by(candidate.c.id, question.c.id)).all()
    return tuple(QuestionItem(r.id, r.code, r.name, r.text, r.answer, r.reviewer_id is not None, r.setter_name)
                 for r in rows if question_review_refusal(me, r) is None)


def commitment_letter(committee_name: str, meeting_title: str) -> tuple[str, list[str]]:
    """Title and paragraphs of the 评委承诺书 (``resources/texts/commitment_letter.txt``), filled in."""
    raw = resources.files("resources").joinpath("texts", "commitment_letter.txt").read_text("utf-8")
    paras = [p.strip().format(committee=committee_name, meeting=meeting_title) for p in raw.strip().split("\n\n")]
    return paras[0], paras[1:]


def _departed(name: str) -> RuleViolation:
    return fail("terminal.departed", bi(
        f"{name} is recorded as having left the meeting: their codes and sessions are revoked",
        f"{name}已登记中途离会，其验证码和终端会话均已作废"))


def _locked(name: str) -> RuleViolation:
    return fail("terminal.locked", bi(
        f"{MAX_TRIES} wrong codes: the code of {name} is locked; ask the secretary for a new one",
        f"验证码连续输错{MAX_TRIES}次，{name}的验证码已锁定，请向会务工作人员重新领取"))
