"""The plan's pass-rate caps, one reading everywhere: the allocation, the record file, the documents.

A plan may name no cap for a level; then the default of X§10(七) applies — in the
meeting's own count, in the exported record (which states every cap applied) and
in the minutes' cap table — never "no cap" in one place and the default in another.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest

from app.documents.from_db import build_report
from app.errors import RuleViolation
from app.record.export import export_record
from app.record.recount import recount
from app.services import Conclave
from app.services.setup import CommitteeInput, PlanInput
from tests.sessions import ROUND_PASSPHRASE, Terminals

from .small_meetings import CALENDAR, CHAIR, Candidate, Meetings, Plan, discard


@pytest.fixture(scope="module")
def meetings() -> Iterator[Meetings]:
    yield from Meetings.on_tmpfs()


def _unanimous(app: Conclave, mid: int, voters: list[str]) -> None:
    """Round 1 unanimous for everyone; runoffs decided by one vote between neighbours."""
    terms = Terminals(app, mid)
    rid = app.voting.open_first_round(CHAIR, mid, voters, passphrase=ROUND_PASSPHRASE)
    codes = app.views.rounds(mid)[0].candidates
    for v in voters:
        terms.cast(rid, v, dict.fromkeys(codes, "yes"))
    results = app.voting.close_round(CHAIR, mid, rid, passphrase=ROUND_PASSPHRASE)
    while results.allocation.pending:
        rid = app.voting.open_runoff(CHAIR, mid, voters, passphrase=ROUND_PASSPHRASE)
        tied = app.views.rounds(mid)[-1].candidates
        for i, v in enumerate(voters):
            terms.cast(rid, v, {c: "yes" if j <= i else "no" for j, c in enumerate(tied)})
        results = app.voting.close_round(CHAIR, mid, rid, passphrase=ROUND_PASSPHRASE)


def test_a_plan_without_caps_is_counted_stated_and_printed_with_the_defaults(meetings: Meetings) -> None:
    plan = Plan("intermediate")                                   # caps={}: 中级 0.8 applies
    app, mid = meetings.at_ballot(plan, [Candidate(f"C{i}", "中级") for i in range(1, 6)])
    try:
        terms = Terminals(app, mid)
        first = app.voting.open_first_round(CHAIR, mid, plan.panel, passphrase=ROUND_PASSPHRASE)
        for v in plan.panel:
            terms.cast(first, v, {f"C{i}": "yes" for i in range(1, 6)})
        results = app.voting.close_round(CHAIR, mid, first, passphrase=ROUND_PASSPHRASE)
        assert results.caps == {"中级": {"entered": 5, "max_pass": 4}}
        assert [(p.places, p.limit) for p in results.allocation.pending] == [(4, "pass_rate_cap")]
        rid = app.voting.open_runoff(CHAIR, mid, plan.panel, passphrase=ROUND_PASSPHRASE)
        for i, v in enumerate(plan.panel):
            terms.cast(rid, v, {f"C{j}": "yes" if j <= i + 1 else "no" for j in range(1, 6)})
        app.voting.close_round(CHAIR, mid, rid, passphrase=ROUND_PASSPHRASE)

        record = export_record(app.store, mid)
        assert record["meeting"]["pass_rate_caps"] == {"正高": 0.4, "副高": 0.55, "中级": 0.8}
        outcomes = {c.code: c.outcome for c in app.views.candidates(mid)}
        assert list(outcomes.values()).count("passed") == 4
        assert {c["id"]: c["outcome"] for c in recount(record, CALENDAR)["candidates"]} == outcomes

        [cap] = build_report(app.views, app.calendar, mid).meeting.caps
        assert (cap.level, cap.rate, cap.entered, cap.max_pass, cap.passed) == ("中级", Decimal("0.8"), 5, 4, 4)
    finally:
        discard(app)


@pytest.mark.parametrize(("plan", "stated"), [
    (Plan("senior", caps=(("副高", "0.5"),)), {"正高": 0.4, "副高": 0.5, "中级": 0.8}),
    (Plan("junior", caps=(("初级", "0.34"),)), {"正高": 0.4, "副高": 0.55, "中级": 0.8, "初级": 0.34}),
])
def test_the_record_states_every_cap_the_plan_applies(meetings: Meetings, plan: Plan,
                                                      stated: dict[str, float]) -> None:
    level = "副高" if plan.level == "senior" else "初级"
    app, mid = meetings.at_ballot(plan, [Candidate(f"C{i}", level) for i in range(1, 4)])
    try:
        _unanimous(app, mid, plan.panel)
        record = export_record(app.store, mid)
        assert record["meeting"]["pass_rate_caps"] == stated
        result = recount(record, CALENDAR)
        assert result["caps"] == app.views.results(mid).caps == {level: {"entered": 3, "max_pass": 1}}
    finally:
        discard(app)


def _plan(caps: dict[str, object]) -> PlanInput:
    return PlanInput(year=2026, title="2026年度评审", place="会议室", plan_filed=dt.date(2026, 11, 2),
                     meeting_date=dt.date(2026, 11, 20), rubric=[("业绩", 100)], caps=caps,  # type: ignore[arg-type]
                     secretary="秘书")


def test_create_meeting_refuses_every_bad_cap_and_stores_the_good_ones_exactly(tmp_path: Path) -> None:
    with Conclave(tmp_path / "m.sqlite3", CALENDAR) as app:
        committee = CommitteeInput("测试评委会", "senior", "series", "卫生系列", dt.date(2025, 3, 1))
        with pytest.raises(RuleViolation) as err:
            app.setup.open_meeting(committee, _plan({"正高": "0", "副高": "1.5", "中级": "百分之八十",
                                                       "初级": "0.12345678901234567", "特级": "0.5"}))
        assert [v.rule for v in err.value.violations] == ["plan.caps"] * 5
        assert all(getattr(v.message, "zh", "") for v in err.value.violations)
        assert app.views.meetings() == []                       # nothing stored

        opened = app.setup.open_meeting(committee, _plan({"正高": 0.4, "副高": Decimal("0.550"), "初级": " 1 "}))
        mid = opened.meeting_id
        assert app.views.meeting(mid).caps == {"正高": "0.4", "副高": "0.550", "初级": "1"}
