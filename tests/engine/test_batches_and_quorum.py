"""Batch actions skip what is already done and say so; a ballot round needs the plan's quorum."""

from __future__ import annotations

import dataclasses

from app.domain import Step
from app.services import Conclave
from tests.sessions import ROUND_PASSPHRASE

from .conftest import MakeApp
from .events import events, last_event, refused, statements
from .test_setup_corrections import SET_UP, WHO, _edit


def _codes(app: Conclave, mid: int, role: str | None = None) -> list[str]:
    return [m.code for m in app.views.members(mid) if role is None or m.role == role]


def test_checking_in_everybody_skips_who_checked_in_already(demo_at: MakeApp) -> None:
    app, mid = demo_at(SET_UP)
    everybody = _codes(app, mid)
    app.setup.check_in(WHO, mid, everybody[0])
    before = events(app)
    result = app.setup.check_in_many(WHO, mid, everybody)
    assert result.done == tuple(everybody[1:]) and result.skipped == (everybody[0],)
    assert "skipped (already done)" in result.summary and "跳过1项" in result.summary.zh
    assert events(app) == before + 1                       # one call, one audit event
    assert last_event(app)[1:] == ("panel.check_in", {"members": everybody[1:], "skipped": [everybody[0]]})
    assert all(m.checked_in for m in app.views.members(mid))
    again = app.setup.check_in_many(WHO, mid, everybody)
    assert again.done == () and len(again.skipped) == len(everybody)


def test_checking_in_the_whole_panel_costs_what_checking_in_one_does(demo_at: MakeApp) -> None:
    """The members of a batch are read in one statement, not one each."""
    app, mid = demo_at(SET_UP)
    everybody = _codes(app, mid)
    with statements(app) as one:
        app.setup.check_in_many(WHO, mid, everybody[:1])
    with statements(app) as rest:
        app.setup.check_in_many(WHO, mid, everybody[1:])
    assert len(everybody) > 10 and len(rest) == len(one)


def test_a_batch_with_an_unknown_member_stores_nothing(demo_at: MakeApp) -> None:
    app, mid = demo_at(SET_UP)
    err = refused(app, lambda: app.setup.check_in_many(WHO, mid, [*_codes(app, mid)[:3], "X99"]))
    assert err.rule == "member.unknown" and not any(m.checked_in for m in app.views.members(mid))


def test_signing_for_all_after_one_signed_at_the_kiosk(demo_at: MakeApp) -> None:
    """The bug: one expert signed at the kiosk, then "sign for the selected" failed for everyone."""
    app, mid = demo_at(SET_UP)
    everybody = _codes(app, mid)
    app.setup.check_in_many(WHO, mid, everybody)
    at_kiosk = everybody[2]
    app.review.sign_commitment(at_kiosk, mid, at_kiosk)      # the expert's own signature at the terminal
    result = app.review.sign_commitments(WHO, mid, everybody)
    assert result.skipped == (at_kiosk,) and len(result.done) == len(everybody) - 1
    assert all(m.commitment_signed for m in app.views.members(mid))


def test_signing_for_someone_not_checked_in_refuses_the_whole_batch(demo_at: MakeApp) -> None:
    app, mid = demo_at(SET_UP)
    everybody = _codes(app, mid)
    app.setup.check_in_many(WHO, mid, everybody[1:])
    err = refused(app, lambda: app.review.sign_commitments(WHO, mid, everybody))
    assert err.rule == "commitment.absent" and not any(m.commitment_signed for m in app.views.members(mid))


def test_eligibility_for_the_selected_skips_those_already_decided_alike(demo_at: MakeApp) -> None:
    app, mid = demo_at(Step.PREPARATORY)
    codes = [c.code for c in app.views.candidates(mid)][:4]
    app.review.record_eligibility(WHO, mid, codes[0], True)
    app.review.record_eligibility(WHO, mid, codes[1], False, "学历不符")
    result = app.review.record_eligibility_many(WHO, mid, codes, True)
    assert result.skipped == (codes[0],) and result.done == tuple(codes[1:])
    assert [c.eligible for c in app.views.candidates(mid)][:4] == [True, True, True, True]
    assert refused(app, lambda: app.review.record_eligibility_many(WHO, mid, codes, False, " ")).rule == \
        "eligibility.reason"


# -- the quorum --------------------------------------------------------------------------------------
def test_a_ballot_below_the_quorum_is_refused(demo_at: MakeApp) -> None:
    app, mid = demo_at(Step.PLENARY)
    quorum = app.views.quorum(mid)
    assert (quorum.share, quorum.panel, quorum.needed, quorum.minimum) == ("2/3", 13, 9, 13)
    experts = _codes(app, mid, "expert")
    err = refused(app, lambda: app.voting.open_first_round("M01", mid, experts[:8], passphrase=ROUND_PASSPHRASE))
    assert err.rule == "ballot.quorum"
    assert "at least 9" in err.violations[0].message and "至少9人" in err.violations[0].message.zh  # type: ignore[attr-defined]
    assert app.views.rounds(mid) == []
    assert quorum.below_minimum(9) and not quorum.below_minimum(13)
    app.voting.open_first_round("M01", mid, experts[:9],
                                passphrase=ROUND_PASSPHRASE)       # exactly the quorum: the vote opens
    assert len(app.views.rounds(mid)[0].voters) == 9


def test_the_plans_quorum_decides(demo_at: MakeApp) -> None:
    app, mid = demo_at(SET_UP)
    app.setup.edit_plan(WHO, mid, dataclasses.replace(_edit(app, mid), quorum="4/5"), "方案规定五分之四到会")
    assert app.views.plan(mid).quorum == "4/5" and app.views.quorum(mid).needed == 11   # ceil(4/5 × 13)
