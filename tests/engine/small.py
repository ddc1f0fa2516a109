"""A small junior meeting built through the services, for engine tests that need their own
candidates, units and panel (the demo's are fixed once its step 1 is over)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from app.domain import Role, Step
from app.services import Conclave
from app.services.setup import CandidateInput, CommitteeInput, MemberInput, PlanInput

SECRETARY = "人事科 李文静"
SUPERVISOR = "纪检监察组 周强"
CHAIR = MemberInput("M01", "赵主任", "县卫生健康局", "正高", Role.CHAIR)
COMMITTEE = CommitteeInput("某县卫生系列初级职称评审委员会", "junior", "series", "卫生系列", dt.date(2025, 1, 6))


def open_small(app: Conclave, candidates: Sequence[tuple[str, str, str]], *, supervisor: str = SUPERVISOR) -> int:
    """A meeting with ``candidates`` (code, name, unit) on the agenda and nobody on the panel yet."""
    mid = app.setup.open_meeting(COMMITTEE, PlanInput(
        year=2026, title="2026年度卫生系列初级职称评审", place="县人社局会议室", plan_filed=dt.date(2026, 11, 2),
        meeting_date=dt.date(2026, 11, 20), rubric=[("工作业绩", 100)], secretary=SECRETARY,
        supervisor=supervisor)).meeting_id
    if candidates:
        app.setup.add_candidates(SECRETARY, mid, [CandidateInput(code, name, unit, "初级", "内科")
                                                  for code, name, unit in candidates])
    return mid


def seat(app: Conclave, mid: int, experts: Sequence[tuple[str, str]], *, chair: bool = True) -> None:
    """Seat experts (code, unit) without a draw, and the chair."""
    rows = [MemberInput(code, f"评委{code}", unit, "副高") for code, unit in experts]
    app.setup.add_members(SECRETARY, mid, [*rows, CHAIR] if chair else rows)


def hold_preparatory(app: Conclave, mid: int) -> None:
    """Step 1 for everybody seated: check-in, commitments, the reader; then step 1 is finished."""
    members = app.views.members(mid)
    for m in members:
        app.setup.check_in(SECRETARY, mid, m.code)
        app.review.sign_commitment(m.code, mid, m.code)
    app.review.record_commitment_reading(SECRETARY, mid, next(m.code for m in members if m.role == "expert"))
    app.procedure.complete(SECRETARY, mid, Step.PREPARATORY)


def pass_eligibility(app: Conclave, mid: int) -> None:
    for c in app.views.candidates(mid):
        app.review.record_eligibility(SECRETARY, mid, c.code, True)
    app.procedure.complete(SECRETARY, mid, Step.ELIGIBILITY)
