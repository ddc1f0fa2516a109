"""The live board (表决进度) for the host screen and the projector: who has voted in the round, who
has not yet, and how many LAN terminals are connected — never how anyone voted.

It reads only the voter roll (``voter_roll``: who has voted), never a ballot. The round shown is the
open one; between rounds, the last one (``open`` False), so the screen does not go blank while the
chair reads the result. The number of connected terminals is not in the database (the host keeps it
in memory, :meth:`app.services.stations.StationService.connected`): :class:`~app.views.Views` passes
it in.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from app.storage.schema import ballot_round, member, voter_roll
from app.storage.store import Store


@dataclass(frozen=True)
class Board:
    round_number: int | None           # None: no round has been opened
    voted: tuple[str, ...]             # names, in the panel's order of codes (never the order of voting)
    waiting: tuple[str, ...]           # on the round's roll, not voted yet, not departed
    stations_connected: int
    open: bool = False                 # the round shown is open (else: the last round, closed)


def board(store: Store, meeting_id: int, stations_connected: int = 0) -> Board:
    with store.read() as conn:
        rnd = conn.execute(select(ballot_round).where(ballot_round.c.meeting_id == meeting_id)
                           .order_by((ballot_round.c.status == "open").desc(), ballot_round.c.number.desc())
                           ).first()
        if rnd is None:
            return Board(None, (), (), stations_connected)
        people = {r.code: r for r in conn.execute(select(member.c.id, member.c.code, member.c.name, member.c.departed)
                                                  .where(member.c.meeting_id == meeting_id))}
        done = set(conn.execute(select(voter_roll.c.member_id).where(voter_roll.c.round_id == rnd.id)).scalars())
    roll = sorted(code for code in rnd.voters if code in people)
    voted = tuple(people[c].name for c in roll if people[c].id in done)
    waiting = tuple(people[c].name for c in roll if people[c].id not in done and not people[c].departed)
    return Board(int(rnd.number), voted, waiting, stations_connected, rnd.status == "open")
