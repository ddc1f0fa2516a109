"""The meeting's vocabulary: the ten steps, roles, recommendations, outcomes.

Plain Python, no storage and no Qt. Chinese is the product's first language;
each term carries its English name for the English interface and the logs.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from enum import IntEnum, StrEnum


class Step(IntEnum):
    """The ten steps of the meeting, X§10 (综合评审会议程序)."""

    PREPARATORY = 1       # 预备会
    ELIGIBILITY = 2       # 资格复审
    PRIMARY_REVIEW = 3    # 分工初评
    INTERVIEW = 4         # 面试
    GROUP = 5             # 小组评议
    PLENARY = 6           # 大会审议
    BALLOT = 7            # 表决
    SIGNING = 8           # 签字确认
    ARCHIVE = 9           # 归档保密
    PUBLICITY = 10        # 结果公示

    @property
    def zh(self) -> str:
        return _STEP_ZH[self]

    @property
    def en(self) -> str:
        return _STEP_EN[self]


_STEP_ZH = {
    Step.PREPARATORY: "预备会", Step.ELIGIBILITY: "资格复审", Step.PRIMARY_REVIEW: "分工初评",
    Step.INTERVIEW: "面试", Step.GROUP: "小组评议", Step.PLENARY: "大会审议", Step.BALLOT: "表决",
    Step.SIGNING: "签字确认", Step.ARCHIVE: "归档保密", Step.PUBLICITY: "结果公示",
}
_STEP_EN = {
    Step.PREPARATORY: "Preparatory meeting", Step.ELIGIBILITY: "Eligibility re-check",
    Step.PRIMARY_REVIEW: "Primary review", Step.INTERVIEW: "Interview",
    Step.GROUP: "Group deliberation", Step.PLENARY: "Plenary", Step.BALLOT: "Secret ballot",
    Step.SIGNING: "Signing", Step.ARCHIVE: "Archive", Step.PUBLICITY: "Publicity",
}


class Role(StrEnum):
    EXPERT = "expert"            # 评审专家
    CHAIR = "chair"              # 主任委员: presides, never reviews, scores or votes
    VICE_CHAIR = "vice_chair"    # 副主任委员: likewise

    @property
    def presides(self) -> bool:
        return self is not Role.EXPERT


class Recommendation(StrEnum):
    """Step 5: exactly one of three (小组评议意见)."""

    RECOMMEND = "recommend"      # 一致同意推荐
    REJECT = "reject"            # 不同意推荐
    PLENARY = "plenary"          # 提交大会审议

    @property
    def zh(self) -> str:
        return {"recommend": "一致同意推荐", "reject": "不同意推荐", "plenary": "提交大会审议"}[self.value]


class Choice(StrEnum):
    YES = "yes"          # 赞成
    NO = "no"            # 反对
    ABSTAIN = "abstain"  # 弃权 (a blank is an abstention)


REASON_ZH = {
    "below_threshold": "赞成票未达到出席评委人数的三分之二",
    "ineligible": "资格复审不合格",
    "pass_rate_cap": "超过通过率控制比例",
    "quota": "超出评审职数",
}
OUTCOME_ZH = {"passed": "通过", "failed": "未通过", "runoff_pending": "待再次投票"}

INTERVIEW_SECONDS = (5 * 60, 10 * 60)  # X§10(四): 5–10 minutes

#: The meeting's local time, China Standard Time (Asia/Shanghai, UTC+8 all year: no daylight saving
#: since 1991). Stored times are UTC; what a person reads on a screen or a paper is this. A fixed
#: offset, not the laptop's time-zone setting (often left at UTC) nor a time-zone database (Windows
#: has none Python can read without the tzdata package).
LOCAL_TIME = dt.timezone(dt.timedelta(hours=8), "北京时间")


def local_time(utc: str | None) -> dt.datetime | None:
    """A stored ISO 8601 UTC time (``2026-11-19T01:30:00Z``) in :data:`LOCAL_TIME`; None stays None."""
    if not utc:
        return None
    when = dt.datetime.fromisoformat(utc.replace("Z", "+00:00"))
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return when.astimezone(LOCAL_TIME)


@dataclass(frozen=True)
class StepStatus:
    """Where one step stands: done (locked), current, or not reached; and what its gate misses."""

    step: Step
    done: bool
    current: bool
    missing: tuple[str, ...] = ()
    summary: str = ""
    reopenable: bool = True          # False once a ballot round has closed: results are never edited


@dataclass(frozen=True)
class MeetingInfo:
    id: int
    committee: str
    level: str
    organized_by: str
    field: str
    year: int
    title: str
    place: str
    meeting_date: dt.date
    current_step: Step
    finished: bool
    vote_date: dt.date | None = None
    publicity_start: dt.date | None = None
    caps: dict[str, str] = dataclasses.field(default_factory=dict)
    committee_id: int = 0
    supervisor: str | None = None     # 纪检监察, witness of the draw and the count
    secretary: str | None = None      # 办事机构工作人员, who drives the wizard
    archived_path: str | None = None
    publicity_objections: str | None = None   # None: publicity outcome not recorded yet; "": no objection
    supervisor_unit: str = ""         # the supervisor's unit (纪检监察机构), "" when not recorded
    secretary_unit: str = ""          # the secretary's unit (办事机构), "" when not recorded
