"""Small meetings through the real services, quickly: for property tests over many meetings.

Each service call is one audited transaction of a few milliseconds, so a test that
runs hundreds of meetings saves where nothing it checks is at stake:

- the databases live on a tmpfs (``/dev/shm``) when there is one;
- the part of a meeting fixed by its plan — committee, plan, staff and their codes (set at a low
  scrypt cost: a paper ballot's double entry signs both staff in, in every meeting) and the
  panel — is built once per plan through the services and copied for each meeting
  (:class:`Meetings`); the check-in follows the candidates (the setup is complete with them);
- the steps' bookkeeping — finishing steps 1–6 — and what of steps 1–6 neither the count nor the
  exported record holds (the commitment letters and their reading; reviews, scores, questions,
  interviews, group and plenary opinions, six calls per candidate) decide nothing the ballot
  counts: the meeting is moved on by marking the steps finished (:func:`move_to`). The panel the
  step-1 gate would check is legal by construction (odd, the X§8 minimum), and ``conclave
  recount`` checks it;
- the batch calls a secretary has for it: one check-in of the panel, one eligibility decision per
  verdict (:meth:`~app.services.review.ReviewService.record_eligibility_many`).

Everything a result depends on goes through the services: the plan's caps and
quotas, the candidates, the panel and its check-in, eligibility (step 2), presence
at the vote, the ballots and the rounds.
"""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import update

from app.domain import Role, Step
from app.rules.calendar import WorkCalendar
from app.rules.levels import CommitteeLevel
from app.rules.panel import NORMAL_MINIMUM
from app.services import Conclave
from app.services.setup import CandidateInput, CommitteeInput, MemberInput, PlanInput
from app.storage.schema import meeting, step_state
from tests.sessions import set_staff_codes

ACTOR = "秘书"
CHAIR = "M01"
CALENDAR = WorkCalendar()


@dataclass(frozen=True)
class Plan:
    """What is fixed before the candidates: the committee's level and the filed plan."""

    level: CommitteeLevel
    caps: tuple[tuple[str, str], ...] = ()          # the plan's overrides only
    quotas: tuple[tuple[str, int], ...] = ()

    @property
    def panel(self) -> list[str]:
        """The smallest legal panel of a committee organised by specialty (X§8)."""
        return [f"E{i:02d}" for i in range(1, NORMAL_MINIMUM[(self.level, "specialty")] + 1)]


@dataclass(frozen=True)
class Candidate:
    code: str
    level: str
    quota_key: str | None = None
    eligible: bool = True


class Meetings:
    """Meeting databases in one folder; a template per plan, built on first use."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.templates: dict[Plan, tuple[Path, int]] = {}
        self.count = 0

    @classmethod
    def on_tmpfs(cls) -> Iterator[Meetings]:
        """A folder on ``/dev/shm`` (else the system's temporary folder), removed afterwards."""
        shm = Path("/dev/shm")
        root = Path(tempfile.mkdtemp(prefix="conclave-meetings-", dir=shm if shm.is_dir() else None))
        try:
            yield cls(root)
        finally:
            shutil.rmtree(root, ignore_errors=True)

    def at_ballot(self, plan: Plan, candidates: Sequence[Candidate]) -> tuple[Conclave, int]:
        """A new meeting under ``plan`` with ``candidates``, eligibility decided, at step 7 (表决)."""
        template, mid = self._template(plan)
        self.count += 1
        path = self.root / f"meeting-{self.count}.sqlite3"
        shutil.copyfile(template, path)
        app = Conclave(path, CALENDAR)
        try:
            app.setup.add_candidates(ACTOR, mid, [
                CandidateInput(c.code, f"申报人{c.code}", f"单位{c.code}", c.level, "内科", quota_key=c.quota_key)
                for c in candidates])
            # the setup is complete once candidates are on the agenda: the panel checks in
            app.setup.check_in_many(ACTOR, mid, [*plan.panel, CHAIR])
            move_to(app, mid, Step.ELIGIBILITY)
            for eligible, reason in ((True, ""), (False, "任职年限不足")):
                codes = [c.code for c in candidates if c.eligible is eligible]
                if codes:
                    app.review.record_eligibility_many(ACTOR, mid, codes, eligible, reason)
            move_to(app, mid, Step.BALLOT)
        except BaseException:
            discard(app)
            raise
        return app, mid

    def _template(self, plan: Plan) -> tuple[Path, int]:
        if plan not in self.templates:
            n = len(self.templates)
            with Conclave(self.root / f"build-{n}.sqlite3", CALENDAR) as app:
                mid = app.setup.open_meeting(
                    CommitteeInput("测试评委会", plan.level, "specialty", "卫生系列", dt.date(2025, 3, 1)),
                    PlanInput(year=2026, title="2026年度评审", place="会议室", plan_filed=dt.date(2026, 11, 2),
                              meeting_date=dt.date(2026, 11, 20), rubric=[("业绩", 100)], caps=dict(plan.caps),
                              quotas=dict(plan.quotas), secretary=ACTOR, supervisor="纪检监察组")).meeting_id
                members = [MemberInput(code, f"评委{code}", f"评委单位{code}", "正高") for code in plan.panel]
                members.append(MemberInput(CHAIR, "主任委员", "主管部门", "正高", Role.CHAIR))
                app.setup.add_members(ACTOR, mid, members)
                set_staff_codes(app, mid)
                self.templates[plan] = (app.snapshot(self.root / f"template-{n}.sqlite3"), mid)
        return self.templates[plan]


def move_to(app: Conclave, mid: int, step: Step) -> None:
    """Mark the steps before ``step`` finished and make ``step`` the current one (see the module docstring)."""
    with app.store.engine.begin() as conn:
        conn.execute(update(step_state).where(step_state.c.meeting_id == mid,
                                              step_state.c.step < int(step)).values(done=True))
        conn.execute(update(meeting).where(meeting.c.id == mid).values(current_step=int(step)))


def discard(app: Conclave) -> None:
    """Close a meeting's database and delete its files."""
    app.close()
    for suffix in ("", "-wal", "-shm"):
        Path(f"{app.store.path}{suffix}").unlink(missing_ok=True)
