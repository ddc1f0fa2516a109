"""Who acts is taken from a session, never from a name: a departed expert, one clerk typing both
copies of a paper batch, a ballot cast without a session (issue 10, points 1 and 2)."""

from __future__ import annotations

import secrets

from app.services import Conclave
from app.services.voting import VotingService
from tests.attacks import Lab, Outcome, attack
from tests.sessions import ROUND_PASSPHRASE, SECRETARY, STAFF_CODES, Staff, unlock


def _voting(lab: Lab) -> tuple[Conclave, int, int, list[str]]:
    app = Conclave(lab.demo())
    mid = app.views.only_meeting(None)
    voters = [m.code for m in app.views.members(mid) if m.role == "expert"]
    return app, mid, app.voting.open_first_round("M01", mid, voters, passphrase=ROUND_PASSPHRASE), voters


@attack("a departed expert's earlier code and open session cast after the departure")
def departed(lab: Lab) -> Outcome:
    out = Outcome()
    app, mid, rid, voters = _voting(lab)
    try:
        staff = Staff(app, mid)
        candidate = app.views.rounds(mid)[0].candidates[0]
        early = {v: app.terminals.issue_code(staff.token("secretary"), mid, v) for v in voters[:3]}   # issued, not used
        sessions = {v: unlock(app, mid, v) for v in voters[3:6]}                       # terminals unlocked
        held_by_another = app.terminals.session(sessions[voters[5]])               # a session object kept

        class Stale:            # a session source that does not look at the database again
            def session(self, _token: str) -> object:
                return held_by_another

        for v in voters[:6]:
            app.setup.record_departure(SECRETARY, mid, v, "因急诊返回单位")
        for v, code in early.items():
            out.refused(lambda v=v, code=code: app.terminals.unlock(mid, v, code), "terminal.departed",
                        f"{v} unlocks with the code issued before leaving", "离会")
            out.refused(lambda v=v: app.terminals.issue_code(staff.token("secretary"), mid, v), "terminal.absent",
                        f"a new code is issued for {v}")
            out.refused(lambda v=v: app.voting.mark_paper_vote(staff.token("secretary"), rid, v), "ballot.departed",
                        f"a paper ballot is ticked for {v}", "离会")
        for v, token in sessions.items():
            out.refused(lambda token=token: app.voting.cast(token, rid, {candidate: "yes"}),
                        ("terminal.departed", "terminal.session"), f"{v} casts from the terminal opened before")
            out.refused(lambda token=token: app.terminals.tasks(token), "terminal.session",
                        f"{v}'s terminal still shows the tasks")
        stale = VotingService(app.store, Stale(), app.staff)  # type: ignore[arg-type]
        out.refused(lambda: stale.cast("stale", rid, {candidate: "yes"}), "ballot.departed",
                    "a session that slipped through casts (the roll is checked in the transaction)")
        rnd = app.views.rounds(mid)[0]
        out.check(rnd.ballots == 0 and rnd.voted == (), f"ballots in the box: {rnd.ballots}, voted {rnd.voted}")
    finally:
        app.close()
    return out


@attack("paper ballots: one person types both copies (same session, same post, a name, trailing space)")
def paper_same_clerk(lab: Lab) -> Outcome:
    out = Outcome()
    app, mid, rid, voters = _voting(lab)
    try:
        staff = Staff(app, mid)
        candidate = app.views.rounds(mid)[0].candidates[0]
        for v in voters[:2]:
            app.voting.mark_paper_vote(staff.token("secretary"), rid, v)
        batch = [{candidate: "yes"}, {candidate: "no"}]
        app.voting.enter_paper_batch(staff.token("secretary"), rid, "B1", batch)
        out.refused(lambda: app.voting.enter_paper_batch(staff.token("secretary"), rid, "B1", batch),
                    "paper.same_clerk", "the same session types the second copy", "另一名工作人员")
        for _ in range(3):      # the same post signing in again, each time a new session
            again = app.staff.sign_in(mid, "secretary", STAFF_CODES["secretary"]).token
            out.refused(lambda again=again: app.voting.enter_paper_batch(again, rid, "B1", batch),
                        "paper.same_clerk", "the same post, signed in anew, types the second copy")
        secretary = app.views.meeting(mid).secretary or ""
        for name in (secretary, secretary + " ", secretary + "\u200b", "王海", "supervisor", ""):
            out.refused(lambda name=name: app.voting.enter_paper_batch(name, rid, "B1", batch), "staff.session",
                        f"a name given as the clerk ({name!r})")
        for post in ("secretary ", "Secretary", "supervisor\u200b"):
            out.refused(lambda post=post: app.staff.sign_in(mid, post, STAFF_CODES["secretary"]),
                        ("staff.post", "staff.code"), f"signing in to the post {post!r}")
        out.check(app.views.rounds(mid)[0].ballots == 0, "a batch typed by one person reached the box")
    finally:
        app.close()
    for spelling in ("{} ", "{}\u200b", "\u3000{}", "{}\ufeff"):      # one person named on both posts
        app, mid, rid, voters = _voting(lab)
        try:
            name = app.views.meeting(mid).secretary or ""
            candidate = app.views.rounds(mid)[0].candidates[0]
            app.setup.set_staff(SECRETARY, mid, supervisor=spelling.format(name), secretary=name)
            staff = Staff(app, mid)
            app.voting.mark_paper_vote(staff.token("secretary"), rid, voters[0])
            app.voting.enter_paper_batch(staff.token("secretary"), rid, "B1", [{candidate: "yes"}])
            second = staff.token("supervisor")
            ballot = [{candidate: "yes"}]
            out.refused(lambda app=app, rid=rid, second=second, ballot=ballot: app.voting.enter_paper_batch(
                second, rid, "B1", ballot), "paper.same_clerk",
                f"the same person on both posts, the supervisor written {spelling.format(name)!r}", "同一人")
        finally:
            app.close()
    return out


@attack("VotingService.cast with no session or a made-up token")
def cast_without_session(lab: Lab) -> Outcome:
    out = Outcome()
    app, mid, rid, voters = _voting(lab)
    try:
        candidate = app.views.rounds(mid)[0].candidates[0]
        staff = Staff(app, mid)
        code = app.terminals.issue_code(staff.token("secretary"), mid, voters[0])        # a code is not a session
        made_up = ["", " ", "0" * 64, secrets.token_hex(32), secrets.token_urlsafe(32), secrets.token_hex(16),
                   voters[0], code, staff.token("secretary"), staff.token("supervisor"),
                   "' OR 1=1 --", "\u200b", "x" * 100_000]
        for token in made_up:
            out.refused(lambda token=token: app.voting.cast(token, rid, {candidate: "yes"}),
                        ("terminal.session", "terminal.token"), f"cast with the token {token[:20]!r}")
        for token in (None, 0, b"token"):
            out.refused(lambda token=token: app.voting.cast(token, rid, {candidate: "yes"}),  # type: ignore[arg-type]
                        ("terminal.session", "terminal.token"), f"cast with {token!r} as the session")
        rnd = app.views.rounds(mid)[0]
        out.check(rnd.ballots == 0 and rnd.voted == (), f"ballots in the box: {rnd.ballots}")
    finally:
        app.close()
    return out
