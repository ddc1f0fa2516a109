"""Killing the program during the ballot loses no ballot, and it reopens at the same step."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from app.domain import Step
from app.storage.audit import verify_chain
from tests.sessions import unlock
from ui.main_window import MainWindow

from .conftest import OpenMeeting

CHILD = """
import sys
from app.services import Conclave
app = Conclave(sys.argv[1])
voters = [m.code for m in app.views.members(1) if m.role == "expert"]
rid = app.voting.open_first_round("M01", 1, voters, passphrase="restart-round-pass-2026")
cands = [c.code for c in app.views.candidates(1)]
clerk = app.staff.sign_in(1, "secretary", "lwj-2026-demo").token     # the demo secretary's own code
for i, voter in enumerate(voters):
    token = app.terminals.unlock(1, voter, app.terminals.issue_code(clerk, 1, voter)).token
    app.voting.cast(token, rid, {c: ("yes" if (i + j) % 3 else "no") for j, c in enumerate(cands)})
    print("cast", i + 1, flush=True)
    if i == 5:
        import time
        time.sleep(60)          # the power cut comes while the ballot is under way
"""


def test_kill_during_ballot_then_restart(qtbot, meeting_at: OpenMeeting) -> None:
    app, mid = meeting_at(Step.PLENARY)
    path = app.store.path
    app.close()
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(path)], stdout=subprocess.PIPE, text=True)
    reported = 0
    deadline = time.monotonic() + 60
    assert child.stdout is not None
    while reported < 6 and time.monotonic() < deadline:
        line = child.stdout.readline()
        if line.startswith("cast"):
            reported = int(line.split()[1])
    os.kill(child.pid, signal.SIGKILL)
    child.wait(timeout=30)
    child.stdout.close()
    assert reported == 6

    from app.services import Conclave

    again = Conclave(Path(path))
    try:
        rnd = again.views.rounds(mid)[0]
        assert rnd.status == "open"
        assert rnd.ballots == len(rnd.voted) == reported       # nothing lost, nothing half-written
        with again.store.read() as conn:
            assert verify_chain(conn).intact
        window = MainWindow(again, mid)
        qtbot.addWidget(window)
        window.show()
        assert window.wizard.currentId() == int(Step.BALLOT)
        # the remaining experts can still vote in the same round
        left = [v for v in rnd.voters if v not in rnd.voted]
        again.voting.cast(unlock(again, mid, left[0]), rnd.id, {"C001": "yes"})
        assert again.views.rounds(mid)[0].ballots == reported + 1
        window.close()
    finally:
        again.close()
