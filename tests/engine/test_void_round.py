"""A round voided unopened (its passphrase lost, say): nothing of it is counted, it is held again
under the same number, and what it was stays in the record — the minutes print it, the trail
replays it, the export and `conclave recount` agree on the round held again."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import func, select

from app.documents import make_minutes
from app.documents.from_db import build_report
from app.domain import Step
from app.record.export import export_record
from app.record.recount import recount
from app.services import Conclave
from app.storage.health import check_file
from app.storage.schema import audit_event, paper_batch, sealed_ballot, voter_roll
from tests.documents.helpers import flat, pdftotext
from tests.sessions import ROUND_PASSPHRASE, Staff, Terminals

from .conftest import MakeApp
from .events import refused
from .small_meetings import CALENDAR

LOST = "Kettle-7-orbit-lantern-forgotten"      # what the supervisor would have typed: never the one set


def _rule(app: Conclave, call: Callable[[], object]) -> str:
    """The call is refused, writing nothing: its rule."""
    return refused(app, call).rule


def _rows(app: Conclave, table: object) -> int:
    with app.store.read() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())  # type: ignore[arg-type]


def _deep_check(app: Conclave) -> None:
    """`conclave verify-db --deep` of the file: the chain, and every table replayed from it."""
    health = check_file(app.store.path, deep=True)
    assert not health.problems, [p.en for p in health.problems]


def test_a_round_whose_passphrase_is_lost_is_voided_unopened_and_held_again(demo_at: MakeApp,
                                                                            tmp_path: Path) -> None:
    app, mid = demo_at(Step.PLENARY)
    voters = [m.code for m in app.views.members(mid) if m.role == "expert"]
    cands = [c.code for c in app.views.candidates(mid)]
    rid = app.voting.open_first_round("M01", mid, voters, passphrase=ROUND_PASSPHRASE)
    terms, staff = Terminals(app, mid), Staff(app, mid)
    for v in voters[:5]:
        terms.cast(rid, v, {c: "no" for c in cands})
    # the supervisor cannot open the box: nothing changes, and the meeting would be stuck at step 7
    assert _rule(app, lambda: app.voting.close_round("M01", mid, rid, LOST)) == "ballot.passphrase"
    app.voting.mark_paper_votes(staff.token("secretary"), rid, voters[5:7])
    app.voting.enter_paper_batch(staff.token("secretary"), rid, "B1", [{c: "no" for c in cands}] * 2)
    sup = staff.supervisor                     # who set the round passphrase attests, with their own code
    assert _rule(app, lambda: app.voting.void_round(staff.secretary, mid, rid, "M01", "口令遗失，无法开启")) == \
        "ballot.void_witness"
    assert _rule(app, lambda: app.voting.void_round(sup, mid, rid, "P004", "口令遗失，无法开启")) == \
        "ballot.void_chair"
    assert _rule(app, lambda: app.voting.void_round(sup, mid, rid, "M01", "  遗失 ")) == "ballot.void_reason"
    assert app.views.rounds(mid)[0].ballots == 5

    with app.store.read() as conn:
        sealed = [bytes(b) for b in conn.execute(select(sealed_ballot.c.sealed)).scalars()]
    discarded = app.voting.void_round(sup, mid, rid, "M01", "纪检监察人员遗失本轮表决口令，选票无法开启")
    assert discarded == 5 and app.voting.last_compacted is True
    on_disk = b"".join(p.read_bytes() for p in Path(app.store.path).parent.glob(Path(app.store.path).name + "*"))
    # the 5 sealed ballots (the waiting paper copy is erased unopened too) are gone from the file: not even
    # in a free page or the WAL
    assert len(sealed) == 5 and not any(s[:64] in on_disk for s in sealed)
    assert app.views.rounds(mid) == [] and all(_rows(app, t) == 0 for t in (sealed_ballot, voter_roll,
                                                                              paper_batch))
    (void,) = app.views.voided_rounds(mid)
    assert (void.number, void.kind, void.discarded, void.chair) == (1, "first", 5, "M01")
    assert void.voters == tuple(sorted(voters)) and void.voted == tuple(sorted(voters[:7]))
    assert void.reason == "纪检监察人员遗失本轮表决口令，选票无法开启"
    with app.store.read() as conn:
        last = conn.execute(select(audit_event).order_by(audit_event.c.seq.desc())).first()
    data = json.loads(last.data)
    assert (last.action, data["round"], data["number"], data["discarded"], data["voted"], data["chair"]) == \
        ("ballot.void", rid, 1, 5, 7, "M01")
    assert (last.actor, data["staff"]) == (app.views.meeting(mid).supervisor, "supervisor")
    _deep_check(app)              # the trail replays the void: the file is intact

    # held again under the same number, with a new passphrase; those who voted vote again
    again = app.voting.open_first_round("M01", mid, voters, passphrase=ROUND_PASSPHRASE + "-2")
    assert [r.number for r in app.views.rounds(mid)] == [1] and app.views.rounds(mid)[0].voted == ()
    # a ballot a terminal kept for the voided round (its link down) arrives now: refused, never counted
    # in the round held again — which has another id
    token = terms.token(voters[7])                 # signed in (an audited unlock) before the ballot arrives
    assert again != rid and _rule(app, lambda: app.voting.cast(token, rid, {})) == "ballot.voided"
    assert app.views.rounds(mid)[0].voted == ()
    for v in voters:
        terms.cast(again, v, {c: "yes" for c in cands})
    results = app.voting.close_round("M01", mid, again, ROUND_PASSPHRASE + "-2")
    assert results.counts[1][cands[0]].yes == len(voters)       # the voided ballots (all "no") count nowhere
    _deep_check(app)
    record = json.loads(json.dumps(export_record(app.store, mid), ensure_ascii=False))
    assert len(record["ballots"]) == len(voters)
    recounted = recount(record, CALENDAR)
    assert recounted["errors"] == []
    assert {c["id"]: c["outcome"] for c in recounted["candidates"]} == {
        code: out.outcome for code, out in results.allocation.outcomes.items()}
    # the minutes say what happened to the first round 1, and count the one held again
    minutes = make_minutes(build_report(app.views, app.calendar, mid), tmp_path / "minutes.pdf")
    text = flat(pdftotext(minutes.path))
    assert "第1轮表决（已作废，重新进行）" in text
    assert ("出席表决评委13人，作废时已投票7人。经主任委员欧阳立群决定，本轮表决作废，已投入票箱的5张选票未经开启、"
            "未予计票，一律作废") in text and "作废理由：纪检监察人员遗失本轮表决口令，选票无法开启" in text
    # a counted round is never voided
    assert _rule(app, lambda: app.voting.void_round(sup, mid, again, "M01", "结果不理想，重新投票")) == \
        "ballot.void_closed"


def test_a_voided_runoff_is_held_again_as_the_same_round(demo_at: MakeApp) -> None:
    app, mid = demo_at(Step.PLENARY)
    voters = [m.code for m in app.views.members(mid) if m.role == "expert"]
    cands = [c.code for c in app.views.candidates(mid)]
    rid = app.voting.open_first_round("M01", mid, voters, passphrase=ROUND_PASSPHRASE)
    terms = Terminals(app, mid)
    for v in voters:                                  # everybody passes the mark: the cap sends them to a runoff
        terms.cast(rid, v, {c: "yes" for c in cands})
    results = app.voting.close_round("M01", mid, rid, ROUND_PASSPHRASE)
    assert results.allocation.pending
    runoff = app.voting.open_runoff("M01", mid, voters, passphrase=ROUND_PASSPHRASE)
    terms.cast(runoff, voters[0], {})
    assert app.voting.void_round(Staff(app, mid).supervisor, mid, runoff, "M02", "再次投票口令设定时输入有误") == 1
    assert [r.number for r in app.views.rounds(mid)] == [1]
    assert [(v.number, v.kind, v.chair) for v in app.views.voided_rounds(mid)] == [(2, "runoff", "M02")]
    held = app.voting.open_runoff("M01", mid, voters, passphrase=ROUND_PASSPHRASE)
    assert [r.number for r in app.views.rounds(mid)] == [1, 2] and held != runoff
    assert app.views.rounds(mid)[1].voted == ()


def test_an_older_file_gains_the_voided_rounds_table(demo_at: MakeApp) -> None:
    from app.storage import db

    app, _mid = demo_at(Step.PLENARY)
    path = Path(app.store.path)
    app.store.close()
    raw = sqlite3.connect(path)
    with raw:
        raw.execute("DROP TABLE voided_round")
        raw.execute("UPDATE meta SET value = '7' WHERE key = 'schema_version'")
    raw.close()
    engine = db.open_engine(path)
    try:
        with engine.connect() as conn:
            assert db.schema_version(conn) == db.SCHEMA_VERSION == 8
            assert conn.exec_driver_sql("SELECT count(*) FROM voided_round").scalar_one() == 0
    finally:
        engine.dispose()
