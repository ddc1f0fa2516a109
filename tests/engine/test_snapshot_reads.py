"""Views asked inside one read snapshot (``Conclave.reading``) read the meeting's row and its rounds
once; the next snapshot reads them afresh and sees what was written in between."""

from __future__ import annotations

from sqlalchemy import event

from app.domain import Step
from tests.sessions import ROUND_PASSPHRASE

from .conftest import MakeApp


def test_one_snapshot_reads_the_meeting_and_its_rounds_once_and_the_next_sees_a_change(demo_at: MakeApp) -> None:
    app, mid = demo_at(Step.PLENARY)
    statements: list[str] = []
    event.listen(app.store.engine, "before_cursor_execute",
                 lambda _c, _cur, sql, *_a: statements.append(sql))
    with app.reading():                       # as the ballot page's refresh: the panel, the presider, the rounds
        members = app.views.members(mid)
        assert app.views.members(mid) == members and app.views.vote_presider(mid) is None
        assert app.views.rounds(mid) == app.views.rounds(mid) == []
        voters = [m.code for m in members if m.role == "expert"]
    meeting_reads = [s for s in statements if " ".join(s.split()).endswith("FROM meeting WHERE meeting.id = ?")]
    round_reads = [s for s in statements if "FROM ballot_round" in s and "ballot_round.id" in s.split("FROM")[0]]
    assert len(meeting_reads) == 1 and len(round_reads) == 1, statements

    app.voting.open_first_round("M01", mid, voters, passphrase=ROUND_PASSPHRASE)   # a write between snapshots
    with app.reading():
        assert [r.number for r in app.views.rounds(mid)] == [1]
