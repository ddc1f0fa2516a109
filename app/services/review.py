"""Steps 1–6: commitment, eligibility, primary review and scores, questions and
interviews, group recommendations, plenary conclusions.

The rules about who may do what are enforced here, whatever the interface:
the chair and vice-chair never review, score or question (X§8); an expert with
a conflict — same work unit as the candidate, or declared — never reviews,
scores, sets or reviews questions for that candidate (X§10(三)) — both decided by
:func:`app.rules.conflicts.conflict`; a question's reviewer is a different person
from its setter (X§10(四)).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Connection, Row, delete, insert, select, update

from app.domain import INTERVIEW_SECONDS, Recommendation, Step
from app.rules.conflicts import conflict
from app.services.base import Store, candidate_row, candidate_rows, fail, member_row, require_step
from app.services.batch import BatchResult, unique
from app.services.procedure import require_setup
from app.storage.schema import candidate, interview, meeting, member, question, rubric_item, score
from app.storage.store import inserted_id
from app.text import bi, group_zh, in_chinese


def _reviewing_expert(conn: Connection, meeting_id: int, code: str, cand: Row[Any]) -> Row[Any]:
    expert = member_row(conn, meeting_id, code)
    why = conflict(expert, cand)
    if why:
        raise fail(why.rule, bi(f"{why.reason}: {expert.name} may not act for candidate {cand.code}",
                                f"{in_chinese(why.reason)}：{expert.name}不得参与申报人{cand.code}的评审"))
    if not expert.checked_in or expert.departed:
        raise fail("review.absent", bi(f"{expert.name} is not present at the meeting", f"{expert.name}未出席会议"))
    return expert


def _eligible_candidate(conn: Connection, meeting_id: int, code: str) -> Row[Any]:
    cand = candidate_row(conn, meeting_id, code)
    if cand.eligible is not True:
        raise fail("review.ineligible", bi(f"{cand.name} ({code}) did not pass the eligibility re-check "
                                           "and skips steps 3–6",
                                           f"{cand.name}（{code}）资格复审不合格，不进入第3至6步"))
    return cand


class ReviewService:
    def __init__(self, store: Store) -> None:
        self.store = store

    # -- step 1: 预备会 -----------------------------------------------------------
    def sign_commitment(self, actor: str, meeting_id: int, member_code: str) -> None:
        """The expert signs the commitment letter (评委承诺书)."""
        with self.store.write(actor, "commitment.sign", meeting_id, member=member_code) as tx:
            sign_commitment_on(tx.conn, meeting_id, member_code)

    def sign_commitments(self, actor: str, meeting_id: int, member_codes: Sequence[str]) -> BatchResult:
        """Record the commitment of several experts at once (letters signed on paper); those who
        already signed — at the kiosk, say — are skipped. Every one must have checked in."""
        wanted = unique(member_codes)
        with self.store.write(actor, "commitment.sign", meeting_id, members=wanted) as tx:
            require_step(tx.conn, meeting_id, Step.PREPARATORY)
            require_setup(tx.conn, meeting_id)
            rows = [member_row(tx.conn, meeting_id, code) for code in wanted]
            absent = [r.name for r in rows if not r.checked_in]
            if absent:
                names = "、".join(absent)
                raise fail("commitment.absent", bi(f"not checked in: {names}", f"尚未签到：{names}"))
            done = tuple(r.code for r in rows if not r.commitment_signed)
            skipped = tuple(r.code for r in rows if r.commitment_signed)
            if done:
                tx.conn.execute(update(member).where(member.c.meeting_id == meeting_id,
                                                     member.c.code.in_(done)).values(commitment_signed=True))
            tx.data.update(members=list(done), skipped=list(skipped))
        return BatchResult(done, skipped)

    def record_commitment_reading(self, actor: str, meeting_id: int, member_code: str) -> None:
        """Name the representative who read the commitment aloud."""
        with self.store.write(actor, "commitment.read", meeting_id, member=member_code) as tx:
            require_step(tx.conn, meeting_id, Step.PREPARATORY)
            require_setup(tx.conn, meeting_id)
            row = member_row(tx.conn, meeting_id, member_code)
            tx.conn.execute(update(meeting).where(meeting.c.id == meeting_id).values(
                commitment_reader=row.code))

    # -- step 2: 资格复审 ---------------------------------------------------------
    def record_eligibility(self, actor: str, meeting_id: int, code: str, eligible: bool,
                           reason: str = "") -> None:
        if not eligible and not reason.strip():
            raise fail("eligibility.reason", bi(f"candidate {code}: an ineligible decision needs its reason",
                                                f"申报人{code}：资格复审不合格须写明理由"))
        with self.store.write(actor, "eligibility.record", meeting_id, candidate=code,
                              eligible=eligible, reason=reason) as tx:
            require_step(tx.conn, meeting_id, Step.ELIGIBILITY)
            cand = candidate_row(tx.conn, meeting_id, code)
            tx.conn.execute(update(candidate).where(candidate.c.id == cand.id).values(
                eligible=eligible, eligibility_reason=reason.strip() or None))

    def record_eligibility_many(self, actor: str, meeting_id: int, codes: Sequence[str], eligible: bool,
                                reason: str = "") -> BatchResult:
        """The same eligibility decision for several candidates; those it is already recorded for
        (same decision, same reason) are skipped."""
        if not eligible and not reason.strip():
            raise fail("eligibility.reason", bi("an ineligible decision needs its reason",
                                                "资格复审不合格须写明理由"))
        wanted = unique(codes)
        note = reason.strip() or None
        with self.store.write(actor, "eligibility.record", meeting_id, candidates=wanted,
                              eligible=eligible, reason=reason) as tx:
            require_step(tx.conn, meeting_id, Step.ELIGIBILITY)
            rows = candidate_rows(tx.conn, meeting_id, wanted)
            same = {r.code for r in rows if r.eligible is eligible and r.eligibility_reason == note}
            done = tuple(r.code for r in rows if r.code not in same)
            if done:
                tx.conn.execute(update(candidate).where(candidate.c.meeting_id == meeting_id,
                                                        candidate.c.code.in_(done)).values(
                    eligible=eligible, eligibility_reason=note))
            tx.data.update(candidates=list(done), skipped=sorted(same))
        return BatchResult(done, tuple(r.code for r in rows if r.code in same))

    # -- step 3: 分工初评 ---------------------------------------------------------
    def assign_reviewer(self, actor: str, meeting_id: int, code: str, member_code: str) -> None:
        """Make ``member_code`` the primary reviewer (主审评委) of candidate ``code``."""
        with self.store.write(actor, "review.assign", meeting_id, candidate=code,
                              reviewer=member_code) as tx:
            require_step(tx.conn, meeting_id, Step.PRIMARY_REVIEW)
            cand = _eligible_candidate(tx.conn, meeting_id, code)
            expert = _reviewing_expert(tx.conn, meeting_id, member_code, cand)
            if cand.group_code and expert.group_code != cand.group_code:
                raise fail("review.group", bi(f"{expert.name} sits in group {expert.group_code}, "
                                              f"candidate {code} is reviewed by group {cand.group_code}",
                                              f"{expert.name}属{group_zh(expert.group_code)}，申报人{code}由{group_zh(cand.group_code)}评议"))
            tx.conn.execute(update(candidate).where(candidate.c.id == cand.id).values(
                reviewer_id=expert.id))

    def record_scores(self, actor: str, meeting_id: int, code: str, member_code: str,
                      points: Mapping[str, int]) -> None:
        """One expert's full score sheet for one candidate (量化评分), replacing an earlier one."""
        with self.store.write(actor, "review.score", meeting_id, candidate=code,
                              scorer=member_code, points=dict(points)) as tx:
            record_scores_on(tx.conn, meeting_id, code, member_code, points)

    def add_question(self, actor: str, meeting_id: int, code: str, setter_code: str,
                     text: str, answer: str) -> int:
        """An interview question with its standard answer, set by an expert (命题)."""
        check_question_text(text, answer)
        with self.store.write(actor, "question.add", meeting_id, candidate=code,
                              setter=setter_code) as tx:
            qid = add_question_on(tx.conn, meeting_id, code, setter_code, text, answer)
            tx.data["question"] = qid
        return qid

    # -- step 4: 面试 -------------------------------------------------------------
    def review_question(self, actor: str, meeting_id: int, question_id: int, reviewer_code: str) -> None:
        """The question is checked before use by a second, named expert (审题, 实名签字)."""
        with self.store.write(actor, "question.review", meeting_id, question=question_id,
                              reviewer=reviewer_code) as tx:
            review_question_on(tx.conn, meeting_id, question_id, reviewer_code)

    def record_interview(self, actor: str, meeting_id: int, code: str, seconds: int,
                         result_told: bool, note: str = "", result: str = "") -> None:
        """The interview held (面试): its duration (5–10 minutes), the result as told to the candidate
        (X§10(四) 面试结果应及时告知参评人员本人) and whether it was told, and a note. Recording it again
        replaces it; the minutes print the duration and the result."""
        low, high = INTERVIEW_SECONDS
        if not low <= seconds <= high:
            raise fail("interview.duration", bi(f"candidate {code}: an interview lasts 5–10 minutes; "
                                                f"this one lasted {seconds // 60} min {seconds % 60} s",
                                                f"申报人{code}：面试时间应为5至10分钟，"
                                                f"本次为{seconds // 60}分{seconds % 60}秒"), ref="X§10(四)")
        told = (result or "").strip()
        with self.store.write(actor, "interview.record", meeting_id, candidate=code,
                              seconds=seconds, result_told=result_told, result=told) as tx:
            require_step(tx.conn, meeting_id, Step.INTERVIEW)
            cand = _eligible_candidate(tx.conn, meeting_id, code)
            tx.conn.execute(delete(interview).where(interview.c.candidate_id == cand.id))
            tx.conn.execute(insert(interview).values(candidate_id=cand.id, seconds=seconds,
                                                     result_told=result_told, note=note or None,
                                                     result=told or None))

    # -- step 5: 小组评议 ---------------------------------------------------------
    def record_recommendation(self, actor: str, meeting_id: int, code: str,
                              value: Recommendation | str, note: str = "") -> None:
        """The group's opinion (小组推荐意见) on a candidate, one of three (X§10(五)), with its reason
        (``note``). 不同意推荐 and 提交大会审议 need their reason: the minutes give the reason of every
        opinion that leads to a failure (X§10(九) 评议意见（未通过人员写明原因）), and the plenary
        deliberates on what the group disputed (X§10(六)). 一致同意推荐 may go without."""
        try:
            rec = Recommendation(value)
        except ValueError:
            raise fail("recommendation.value", bi(f"candidate {code}: the group's opinion is one of "
                                                  "一致同意推荐, 不同意推荐, 提交大会审议",
                                                  f"申报人{code}：评议组意见只能是“一致同意推荐”“不同意推荐”"
                                                  "或“提交大会审议”"), ref="X§10(五)") from None
        reason = (note or "").strip()
        if rec is not Recommendation.RECOMMEND and not reason:
            raise fail("recommendation.reason", bi(f"candidate {code}: the group's opinion {rec.zh} needs its "
                                                   "reason — the minutes give it",
                                                   f"申报人{code}：小组意见为“{rec.zh}”的，须写明理由（记入会议记录）"),
                       field="note", ref="X§10(五)")
        with self.store.write(actor, "group.recommend", meeting_id, candidate=code,
                              recommendation=rec.value, note=reason) as tx:
            require_step(tx.conn, meeting_id, Step.GROUP)
            cand = _eligible_candidate(tx.conn, meeting_id, code)
            tx.conn.execute(update(candidate).where(candidate.c.id == cand.id).values(
                recommendation=rec.value, recommendation_note=reason or None))

    # -- step 6: 大会审议 ---------------------------------------------------------
    def record_plenary(self, actor: str, meeting_id: int, code: str, conclusion: str,
                       presenter: str) -> None:
        if not conclusion.strip() or not presenter.strip():
            raise fail("plenary.conclusion", bi(f"candidate {code}: record the conclusion and who presented",
                                                 f"申报人{code}：须记录大会审议结论和介绍人"))
        with self.store.write(actor, "plenary.record", meeting_id, candidate=code,
                              presenter=presenter) as tx:
            require_step(tx.conn, meeting_id, Step.PLENARY)
            cand = _eligible_candidate(tx.conn, meeting_id, code)
            tx.conn.execute(update(candidate).where(candidate.c.id == cand.id).values(
                plenary_conclusion=conclusion.strip(), plenary_presenter=presenter.strip()))


# -- the expert's own acts, on the caller's transaction -------------------------
# ReviewService (the secretary records for an expert) and ExpertDesk (the expert at a terminal,
# app.services.desk) write through the same functions, so the rules are checked once, the same way.
def sign_commitment_on(conn: Connection, meeting_id: int, member_code: str) -> Row[Any]:
    """Record ``member_code``'s signature on the commitment letter; returns their member row."""
    require_step(conn, meeting_id, Step.PREPARATORY)
    require_setup(conn, meeting_id)
    row = member_row(conn, meeting_id, member_code)
    if not row.checked_in:
        raise fail("commitment.absent", bi(f"{row.name} has not checked in",
                                           f"{row.name}尚未签到，不能签署评委承诺书"))
    if row.commitment_signed:
        raise fail("commitment.signed", bi(f"{row.name} has already signed the commitment",
                                           f"{row.name}已签署评委承诺书"))
    conn.execute(update(member).where(member.c.id == row.id).values(commitment_signed=True))
    return row


def record_scores_on(conn: Connection, meeting_id: int, code: str, member_code: str,
                     points: Mapping[str, int]) -> None:
    """One expert's full score sheet for one candidate, replacing an earlier one: every rubric
    item, each an integer from 0 to the item's maximum."""
    require_step(conn, meeting_id, Step.PRIMARY_REVIEW)
    cand = _eligible_candidate(conn, meeting_id, code)
    expert = _reviewing_expert(conn, meeting_id, member_code, cand)
    items = {r.name: r for r in conn.execute(select(rubric_item).where(
        rubric_item.c.meeting_id == meeting_id))}
    unknown = sorted(set(points) - set(items))
    if unknown:
        raise fail("score.item", bi(f"candidate {code}: not in the rubric: {', '.join(unknown)}",
                                    f"申报人{code}：量化评分细则中没有以下评分项：{'、'.join(unknown)}"))
    missing = sorted(set(items) - set(points))
    if missing:
        raise fail("score.incomplete", bi(f"score sheet for {code} misses: {', '.join(missing)}",
                                          f"申报人{code}的评分表缺少以下评分项：{'、'.join(missing)}"))
    for name, value in points.items():
        if not isinstance(value, int) or isinstance(value, bool) or not (
                0 <= value <= items[name].max_points):
            raise fail("score.range", bi(f"candidate {code}, {name}: {value!r} is outside 0–{items[name].max_points}",
                                         f"申报人{code}，{name}：{value!r}超出0至{items[name].max_points}分"),
                       field=name)
    conn.execute(delete(score).where(score.c.candidate_id == cand.id, score.c.member_id == expert.id))
    conn.execute(insert(score), [{"candidate_id": cand.id, "member_id": expert.id,
                                  "item_id": items[n].id, "points": v} for n, v in points.items()])


def check_question_text(text: str, answer: str) -> None:
    """Refuse a question without its text or its standard answer."""
    if not text.strip() or not answer.strip():
        raise fail("question.text", bi("a question needs its text and its standard answer",
                                       "面试题须写明题目和参考答案"))


def add_question_on(conn: Connection, meeting_id: int, code: str, setter_code: str,
                    text: str, answer: str) -> int:
    """An interview question with its standard answer set by ``setter_code``; its id."""
    check_question_text(text, answer)
    require_step(conn, meeting_id, Step.PRIMARY_REVIEW)
    cand = _eligible_candidate(conn, meeting_id, code)
    setter = _reviewing_expert(conn, meeting_id, setter_code, cand)
    return int(inserted_id(conn.execute(insert(question).values(
        candidate_id=cand.id, text=text.strip(), answer=answer.strip(), setter_id=setter.id))))


def question_on(conn: Connection, meeting_id: int, question_id: int) -> tuple[Row[Any], Row[Any]]:
    """The question ``question_id`` of this meeting and its candidate; refused when there is none."""
    q = conn.execute(select(question).where(question.c.id == question_id)).first()
    cand = conn.execute(select(candidate).where(candidate.c.id == q.candidate_id)).first() if q else None
    if q is None or cand is None or cand.meeting_id != meeting_id:
        raise fail("question.unknown", bi(f"no question {question_id} in this meeting",
                                          f"本次会议没有编号为{question_id}的面试题"))
    return q, cand


def review_question_on(conn: Connection, meeting_id: int, question_id: int, reviewer_code: str) -> None:
    """``reviewer_code`` checks the question (审题): not its setter, not in conflict with its candidate."""
    require_step(conn, meeting_id, Step.INTERVIEW)
    q, cand = question_on(conn, meeting_id, question_id)
    reviewer = _reviewing_expert(conn, meeting_id, reviewer_code, cand)
    if reviewer.id == q.setter_id:
        raise fail("question.same_person", bi(f"{reviewer.name} set this question and cannot also review it",
                                              f"{reviewer.name}是命题人，不能同时审题"))
    conn.execute(update(question).where(question.c.id == q.id).values(reviewer_id=reviewer.id))
