"""``conclave demo``: the sample meeting, run through all ten steps headlessly.

The data (committee, plan, expert pool, candidates, and how the demo votes go)
is ``resources/sample/demo_meeting.json``. Everything happens through the same
services the wizard uses, so the demo is also the engine's end-to-end check:
a witnessed draw, group leaders chosen by the chair, check-in and commitments, an
ineligible candidate, a declared conflict refused, scores, questions reviewed by a
second expert, interviews with the result told to each candidate, group opinions
with their reasons and plenary conclusions, terminal and paper ballots under the
chair's presidency (with a typing mismatch caught by double entry), a tie at the
pass-rate cap settled by a runoff, signing, archiving, publicity, the work
summary's texts and the filing report's 发文字号 and 成文日期.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Any

from app.domain import LOCAL_TIME, OUTCOME_ZH, REASON_ZH, Recommendation, Role, Step
from app.errors import RuleViolation, Violation
from app.rules.draw import PoolExpert
from app.sealing.keys import DEMO_PASSPHRASE
from app.services import Conclave
from app.services.setup import CandidateInput, CommitteeInput, MemberInput, PlanInput, QuotaInput
from app.storage.db import default_db_path
from app.text import bi, group_zh, in_chinese

Printer = Callable[[str], None]

#: The personal codes the demo's two staff members set at setup (:mod:`app.services.staff`): the
#: secretary and the supervisor each sign in with their own to type a copy of the paper ballots.
#: The demo's round passphrase (监督人员 sets one per round at opening, enters it again at close).
DEMO_ROUND_PASSPHRASE = "demo-round-2026-seal"
DEMO_STAFF_CODES = {"secretary": "lwj-2026-demo", "supervisor": "zz-2026-demo"}


def load_demo_data(vote_date: dt.date | None = None) -> dict[str, Any]:
    """The sample meeting; with ``vote_date``, moved to vote on that day (see :func:`move_demo`)."""
    text = resources.files("resources").joinpath("sample/demo_meeting.json").read_text("utf-8")
    data = json.loads(text)
    return move_demo(data, vote_date) if vote_date is not None else data


def move_demo(d: dict[str, Any], vote_date: dt.date) -> dict[str, Any]:
    """The demo meeting held (and voted) on ``vote_date`` instead of its own day: the plan's
    filing, the meeting's days, the committee's filing and the draw (the day before, its seed
    naming it) move by the same number of days; the review year, the title and the years the pool experts served
    move by the same number of years — so the meeting is the same, on the user's dates."""
    d = json.loads(json.dumps(d))
    plan = d["plan"]
    old = dt.date.fromisoformat(plan["meeting_date"])
    days, years = vote_date - old, vote_date.year - old.year

    def moved(iso: str) -> str:
        return (dt.date.fromisoformat(iso) + days).isoformat()

    plan["meeting_date"] = vote_date.isoformat()
    plan["days"] = [[moved(day), starts, ends] for day, starts, ends in plan.get("days", ())]
    plan["plan_filed"] = moved(plan["plan_filed"])
    plan["title"] = plan["title"].replace(str(plan["year"]), str(vote_date.year))
    plan["year"] = vote_date.year
    d["committee"]["filing_date"] = moved(d["committee"]["filing_date"])
    d["draw"]["seed"] = f"demo-{vote_date - dt.timedelta(days=1)}-witnessed"
    for expert in d["pool"]:
        expert["served"] = [y + years for y in expert["served"]]
    for c in d["candidates"]:       # the titles held move with the meeting: the years in post stay true
        if c.get("current_title_date"):
            c["current_title_date"] = moved(c["current_title_date"])
    return d


def demo_quotas(plan: dict[str, Any]) -> dict[str, QuotaInput]:
    """The demo plan's quotas (评审职数), each bound to its unit and post."""
    return {key: QuotaInput(q["places"], q["unit"], q["post"]) for key, q in plan["quotas"].items()}


def demo_candidates(d: dict[str, Any]) -> list[CandidateInput]:
    """The demo's candidates with the facts the eligibility re-check and the papers need."""
    return [CandidateInput(
        code=c["code"], name=c["name"], unit=c["unit"], level=c["level"], specialty=c["specialty"],
        id_number=c["id_number"], group=c["group"], quota_key=c.get("quota_key"),
        applied_title=c.get("applied_title"), education=c.get("education"), current_title=c.get("current_title"),
        current_title_date=dt.date.fromisoformat(c["current_title_date"]) if c.get("current_title_date") else None,
        years_in_post=c.get("years_in_post"), exceptional=c.get("exceptional")) for c in d["candidates"]]


def demo_pool(d: dict[str, Any]) -> list[PoolExpert]:
    """The demo's expert pool, with each expert's telephone and honoraria category."""
    return [PoolExpert(
        id=p["id"], name=p["name"], unit=p["unit"], specialty=p["specialty"], title=p["title"],
        title_years=p["title_years"], served=tuple(p["served"]), blacklisted=p["blacklisted"],
        conflict_units=tuple(p["conflict_units"]), phone=p.get("phone"), category=p.get("category"))
        for p in d["pool"]]


def build_demo(app: Conclave, out: Printer = print, archive_dir: Path | None = None,
               until: int = Step.PUBLICITY, vote_date: dt.date | None = None,
               after_step: Callable[[int], None] | None = None) -> int:
    """Create the demo meeting in ``app`` and run it up to and including step ``until``
    (0: only the setup — plan, candidates, draw, panel and groups — step 1 not begun).

    ``vote_date`` moves the meeting to another day (:func:`move_demo`). When the archive and the
    publicity (steps 9–10) need a year the working-day calendar does not know, the demo stops
    after step 8 with ``calendar.unknown_year`` — the meeting stays stored up to there. Step 9 archives
    the meeting's confidential materials; once step 10 is finished the final archive is written
    (``<archive>/meeting-<id>-<year>-final``), holding every final paper, the filing report included.
    ``after_step(n)`` is called once the setup (0) and each step ``n`` are done — e.g. to
    keep a copy of the meeting at every stage from one run."""
    reached = after_step or (lambda _n: None)
    d = load_demo_data(vote_date)
    secretary = d["staff"]["secretary"]
    rng = random.Random(20261120)
    com, plan = d["committee"], d["plan"]
    staff = d["staff"]
    opened = app.setup.open_meeting(CommitteeInput(
        name=com["name"], level=com["level"], organized_by=com["organized_by"], field=com["field"],
        filing_date=dt.date.fromisoformat(com["filing_date"]), filing_number=com["filing_number"],
        **{k: com.get(k, "") for k in ("organizer", "office", "hr_department")}), PlanInput(
        year=plan["year"], title=plan["title"], place=plan["place"],
        plan_filed=dt.date.fromisoformat(plan["plan_filed"]),
        meeting_date=dt.date.fromisoformat(plan["meeting_date"]),
        rubric=[tuple(x) for x in plan["rubric"]], caps=plan["caps"], quotas=demo_quotas(plan),
        secretary=secretary, supervisor=staff["supervisor"],
        secretary_unit=staff.get("secretary_unit", ""), supervisor_unit=staff.get("supervisor_unit", ""),
        days=[(dt.date.fromisoformat(day), starts, ends) for day, starts, ends in plan.get("days", ())],
        **{k: plan.get(k, "") for k in ("plan_filing_number", "publicity_where", "objection_contact",
                                        "objection_phone")}))
    cid, mid = opened.committee_id, opened.meeting_id
    # the committee key, made at setup as the window offers it: any paper can be sealed from then on
    app.documents.create_key(secretary, mid, DEMO_PASSPHRASE)
    for post, code in DEMO_STAFF_CODES.items():     # each staff member sets a code of their own
        app.staff.set_code(mid, post, code)
    app.setup.add_candidates(secretary, mid, demo_candidates(d))
    app.setup.add_pool(secretary, cid, demo_pool(d))
    out(f"会议 Meeting: {plan['title']} — {com['name']} ({plan['meeting_date']}, {plan['place']})")

    dr = d["draw"]
    # the demo meeting keeps its own dates: its draw runs the day before the meeting, at 09:30 北京时间
    the_day_before = dt.date.fromisoformat(plan["meeting_date"]) - dt.timedelta(days=1)
    clock, app.setup.clock = app.setup.clock, lambda: dt.datetime.combine(the_day_before, dt.time(9, 30),
                                                                          LOCAL_TIME)
    try:
        drawn = app.setup.run_draw(secretary, mid, witness=d["staff"]["supervisor"], needs=dr["needs"],
                                   alternates=dr["alternates"], seed=dr["seed"])
    finally:
        app.setup.clock = clock
    out(f"抽取 Draw (seed {drawn['seed']}, pool sha256 {drawn['pool_sha256'][:12]}…): "
        + "; ".join(f"{sp} {', '.join(ids)}" for sp, ids in drawn["drawn"].items())
        + f"; excluded {', '.join(x['id'] + ' ' + x['rule'] for x in drawn['excluded'])}")
    app.setup.add_members(secretary, mid, [MemberInput(p["code"], p["name"], p["unit"], p["title"],
                                                       Role(p["role"])) for p in d["presiding"]])
    app.setup.set_groups(secretary, mid, {dr["groups"][sp]: ids for sp, ids in drawn["drawn"].items()})
    for g, leader in _leaders(app, mid, d).items():
        app.setup.set_group_leader(secretary, mid, g, leader)
    members = app.views.members(mid)
    experts = [m for m in members if m.role == Role.EXPERT.value]
    reached(0)
    if until < Step.PREPARATORY:
        return mid

    def step(s: Step, note: str = "", then: Callable[[], str] | None = None) -> bool:
        app.procedure.complete(secretary, mid, s)
        if then is not None:          # what is done once the step is finished, before it is kept
            note += then()
        out(f"第{int(s)}步 Step {int(s):>2} {s.zh} {s.en}: done{' — ' + note if note else ''}")
        reached(int(s))
        return s >= until

    # 1 预备会
    for m in members:
        app.setup.check_in(secretary, mid, m.code)
    missing = app.procedure.gate(mid, Step.PREPARATORY)
    out(f"  gate refuses before commitments: {missing[0][:60]}…")
    for m in members:
        app.review.sign_commitment(m.code, mid, m.code)
    app.review.record_commitment_reading(secretary, mid, experts[0].code)
    if step(Step.PREPARATORY, f"{len(experts)} experts in groups "
            f"{', '.join(sorted({e.group or '' for e in experts}))}, chair {d['presiding'][0]['name']}"):
        return mid

    # 2 资格复审
    for c in d["candidates"]:
        reason = d["ineligible"].get(c["code"], "")
        app.review.record_eligibility(secretary, mid, c["code"], not reason, reason)
    if step(Step.ELIGIBILITY, f"ineligible: {', '.join(d['ineligible'])}"):
        return mid

    # 3 分工初评
    conflict = d["declared_conflict"]
    group_of = {c["code"]: c["group"] for c in d["candidates"]}
    by_group: dict[str, list[str]] = {}
    for e in experts:
        by_group.setdefault(e.group or "", []).append(e.code)
    conflicted = by_group[group_of[conflict["candidate"]]][0]
    app.setup.declare_conflict(conflicted, mid, conflicted, conflict["candidate"], conflict["reason"])
    try:
        app.review.assign_reviewer(secretary, mid, conflict["candidate"], conflicted)
    except RuleViolation as exc:
        out(f"  refused: {exc}")
    try:
        app.review.assign_reviewer(secretary, mid, conflict["candidate"], d["presiding"][0]["code"])
    except RuleViolation as exc:
        out(f"  refused: {exc}")
    items = [name for name, _ in plan["rubric"]]
    maxima = dict((name, pts) for name, pts in plan["rubric"])
    reviewers: dict[str, str] = {}
    for i, c in enumerate(d["candidates"]):
        if c["code"] in d["ineligible"]:
            continue
        group = by_group[c["group"]]
        options = [e for e in group if not (e == conflicted and c["code"] == conflict["candidate"])]
        reviewer = options[i % len(options)]
        reviewers[c["code"]] = reviewer
        app.review.assign_reviewer(secretary, mid, c["code"], reviewer)
        app.review.record_scores(reviewer, mid, c["code"], reviewer,
                                 {it: rng.randint(maxima[it] // 2, maxima[it]) for it in items})
        app.review.add_question(reviewer, mid, c["code"], reviewer,
                                f"请结合{c['specialty']}临床实际，谈谈{c['name']}申报材料中所述技术的适应证与风险防范。",
                                "要点：适应证的把握；并发症的识别与处置；质量控制与随访。")
    if step(Step.PRIMARY_REVIEW, f"{len(reviewers)} candidates assigned, scored and given questions"):
        return mid

    # 4 面试
    questions = _questions(app, mid)
    for qid, code, setter in questions:
        other = next(e for e in by_group[group_of[code]] if e != setter and not (
            e == conflicted and code == conflict["candidate"]))
        app.review.review_question(secretary, mid, qid, other)
    try:
        app.review.record_interview(secretary, mid, next(iter(reviewers)), 200, True)
    except RuleViolation as exc:
        out(f"  refused: {exc}")
    told = d["interview_results"]
    for code in reviewers:
        yes_votes = d["votes"]["yes"][code]
        result = told["good"] if yes_votes >= 11 else told["fair"] if yes_votes >= 9 else told["weak"]
        app.review.record_interview(secretary, mid, code, rng.randint(300, 600), True, result=result)
    if step(Step.INTERVIEW, f"{len(questions)} questions reviewed by a second expert, "
            f"{len(reviewers)} interviews"):
        return mid

    # 5 小组评议 and 6 大会审议
    yes = d["votes"]["yes"]
    threshold_guess = 9
    for code in reviewers:
        rec = Recommendation.RECOMMEND if yes[code] >= threshold_guess else (
            Recommendation.REJECT if yes[code] < 7 else Recommendation.PLENARY)
        app.review.record_recommendation(secretary, mid, code, rec, d["group_reasons"].get(code, ""))
    if step(Step.GROUP):
        return mid
    leader_of = {m.group: m.name for m in members if m.leader}
    for code in reviewers:
        if yes[code] in (7, 8):      # the group's leader presents its candidates (X§10(六))
            app.review.record_plenary(secretary, mid, code, "经大会集体审议，业绩材料支撑不足，提交表决。",
                                      f"{leader_of[group_of[code]]}（{group_zh(group_of[code])}组长）")
    if step(Step.PLENARY):
        return mid

    # 7 表决
    _run_ballot(app, mid, d, experts, rng, out)
    if step(Step.BALLOT):
        return mid

    # 8–10
    app.closing.sign_conclusions(d["presiding"][0]["code"], mid, d["presiding"][0]["code"])
    if step(Step.SIGNING, f"signed by {d['presiding'][0]['name']} (主任委员)"):
        return mid
    unknown = app.closing.missing_calendar(app.closing.deadlines(mid))
    if unknown is not None:        # nothing after the signing is done on dates nobody knows
        raise RuleViolation(Violation(unknown.rule, bi(
            f"the demo meeting stopped after step 8 (signing), stored in {app.path}: {unknown.message}",
            f"演示会议在第8步（签字确认）后停止（已保存在{app.path}）：{in_chinese(unknown.message)}")))
    key = app.documents.key_status(mid)
    archive_root = archive_dir or app.store.path.parent / "archive"
    archived = app.documents.archive(secretary, mid, archive_root, documents=True, passphrase=DEMO_PASSPHRASE)
    written = len(archived.documents.written) if archived.documents else 0
    if step(Step.ARCHIVE, f"archived in {archived.path} with {written} documents (minutes and result "
            f"sheets sealed with the demo key {key.path.name}, passphrase {DEMO_PASSPHRASE})"):
        return mid
    dates, due = app.closing.publicity(mid)
    app.closing.set_publicity(secretary, mid, dates.start)
    app.closing.record_publicity_outcome(secretary, mid, "")      # the demo's publicity raised no objection
    summary = d["work_summary"]
    app.closing.record_work_summary(secretary, mid, experience=summary["experience"],
                                    improvements=summary["improvements"], suggestions=summary["suggestions"])
    filing = d["filing_report"]                  # the office numbers and dates its report once the publicity ends
    app.closing.record_filing_report(secretary, mid, number=filing["number"], date=app.calendar.add_workdays(
        dates.end, filing["working_days_after_publicity"]))

    def final_archive() -> str:
        """The meeting finished: the final archive, with the filing report and every final paper."""
        final = app.documents.final_archive(secretary, mid, archive_root, passphrase=DEMO_PASSPHRASE)
        documents = final.documents
        assert documents is not None
        revised = f"; new revisions: {', '.join(documents.revised)}" if documents.revised else ""
        return (f"; final archive in {final.path} with {len(documents.written)} documents, the filing "
                f"report included{revised}")
    step(Step.PUBLICITY, f"publicity {dates.start} – {dates.end} (start by {dates.start_by}), "
         f"filing due {due}", then=final_archive)
    return mid


def _leaders(app: Conclave, mid: int, d: dict[str, Any]) -> dict[str, str]:
    """The leader (组长) the chair chose for each group: the demo's own, or — on a moved demo, whose
    draw took other experts — the group's most senior expert (正高 first, then years in the title)."""
    pool = {p.code: p for p in app.views.pool(mid)}
    seated: dict[str, list[str]] = {}
    for m in app.views.members(mid):
        if m.group:
            seated.setdefault(m.group, []).append(m.code)
    chosen = d["group_leaders"]

    def seniority(code: str) -> tuple[int, int, str]:
        p = pool.get(code)
        return (0 if p and p.title == "正高" else 1, -(p.title_years if p else 0), code)
    return {g: chosen[g] if chosen.get(g) in codes else min(codes, key=seniority) for g, codes in seated.items()}


def _questions(app: Conclave, mid: int) -> list[tuple[int, str, str]]:
    return [(q.id, q.candidate, q.setter) for q in app.views.questions(mid)]


def _ballots(yes: dict[str, int], voters: int, rng: random.Random) -> list[dict[str, str]]:
    """Ballots that give each candidate exactly its planned number of yes votes."""
    ballots: list[dict[str, str]] = [{} for _ in range(voters)]
    for code, n in yes.items():
        order = list(range(voters))
        rng.shuffle(order)
        for rank, i in enumerate(order):
            ballots[i][code] = "yes" if rank < n else rng.choice(["no", "no", "abstain"])
    return ballots


def _run_ballot(app: Conclave, mid: int, d: dict[str, Any], experts: list[Any],
                rng: random.Random, out: Printer) -> None:
    chair = d["presiding"][0]["code"]
    present = [e.code for e in experts]
    rid = app.voting.open_first_round(chair, mid, present, presider=d["vote_presider"],
                                      passphrase=DEMO_ROUND_PASSPHRASE)
    # the staff sign in with their own codes: the secretary issues the terminal codes, ticks the roll
    # for the paper ballots and types the batch (it waits sealed), the supervisor types it again and
    # enters the round passphrase that opens the first copy for the comparison
    secretary, supervisor = (app.staff.sign_in(mid, post, DEMO_STAFF_CODES[post]).token
                             for post in ("secretary", "supervisor"))
    sessions = _unlock_terminals(app, mid, secretary, present)
    ballots = _ballots(d["votes"]["yes"], len(present), rng)
    paper = d["votes"]["paper_voters"]
    for voter, b in zip(present[:-paper], ballots[:-paper], strict=True):
        app.voting.cast(sessions[voter], rid, b)
    for voter in present[-paper:]:
        app.voting.mark_paper_vote(secretary, rid, voter)
    batch = ballots[-paper:]
    app.voting.enter_paper_batch(secretary, rid, "B1", batch)
    typo = [dict(b) for b in batch]
    typo[1]["C002"] = "no" if typo[1]["C002"] == "yes" else "yes"
    check = app.voting.enter_paper_batch(supervisor, rid, "B1", typo, passphrase=DEMO_ROUND_PASSPHRASE)
    out(f"  paper batch B1 second entry: {check['status']} — {'; '.join(check['differences'])}")
    check = app.voting.enter_paper_batch(supervisor, rid, "B1", batch, passphrase=DEMO_ROUND_PASSPHRASE)
    out(f"  paper batch B1 re-typed after checking the paper: {check['status']}")
    for token in (secretary, supervisor):
        app.staff.sign_out(token)
    results = app.voting.close_round(chair, mid, rid, passphrase=DEMO_ROUND_PASSPHRASE)
    out(f"  round 1: {results.attending_voters} voters, threshold {results.threshold}; "
        f"runoff needed: {[sorted(p.candidates) for p in results.allocation.pending]}")
    while results.allocation.pending:
        pending = results.allocation.pending[0]
        rid = app.voting.open_runoff(chair, mid, present, passphrase=DEMO_ROUND_PASSPHRASE)
        runoff_yes = {c: d["votes"]["runoff_yes"][c] for c in sorted(pending.candidates)}
        for voter, b in zip(present, _ballots(runoff_yes, len(present), rng), strict=True):
            app.voting.cast(sessions[voter], rid, b)
        results = app.voting.close_round(chair, mid, rid, passphrase=DEMO_ROUND_PASSPHRASE)
        out(f"  runoff among {', '.join(sorted(pending.candidates))} for {pending.places} place(s): "
            + ", ".join(f"{c} {runoff_yes[c]} yes" for c in sorted(pending.candidates)))
    for token in sessions.values():
        app.terminals.lock(token)


def _unlock_terminals(app: Conclave, mid: int, secretary: str, voters: list[str]) -> dict[str, str]:
    """Each voter unlocks a terminal with the one-time code the secretary (signed in, ``secretary`` is
    their staff token) issued: voter → session token. The ballot is cast with the token; the engine
    takes the voter from the session."""
    return {v: app.terminals.unlock(mid, v, app.terminals.issue_code(secretary, mid, v)).token for v in voters}


def print_results(app: Conclave, mid: int, out: Printer = print) -> None:
    results = app.views.results(mid)
    first = results.counts.get(1, {})
    out(f"结果 Results: {results.attending_voters} voting experts, pass threshold {results.threshold} yes; "
        + "; ".join(f"{lvl} cap {v['max_pass']} of {v['entered']}" for lvl, v in results.caps.items()))
    for c in app.views.candidates(mid):
        t = first.get(c.code)
        counts = f"{t.yes:>2} yes {t.no:>2} no {t.abstain:>2} abstain" if t else ""
        out(f"  {c.code} {c.name:<5} {counts}  {OUTCOME_ZH.get(c.outcome or '', '—')} {c.outcome or ''}"
            + (f" ({c.reason}: {REASON_ZH[c.reason]})" if c.reason else ""))
    passed = sum(1 for c in app.views.candidates(mid) if c.outcome == "passed")
    out(f"  passed {passed} of {len(app.views.candidates(mid))}")


def remove_demo(path: Path) -> None:
    """Delete a demo database with its WAL files, its heads file and its committee key (and the key's
    public root), so that the demo can be built again: the demo makes its key explicitly, and never over one."""
    from app.services.documents import key_path_for

    key = key_path_for(path)
    for file in (path, Path(f"{path}-wal"), Path(f"{path}-shm"), Path(f"{path}.heads"), key,
                 key.with_name(key.name + ".root.pem")):
        file.unlink(missing_ok=True)


def run(ns: argparse.Namespace) -> int:
    from app.commands.calendar import parse_date, run_calendar

    path = Path(ns.db) if ns.db else default_db_path().with_name("demo.sqlite3")
    calendar = run_calendar(ns)                  # bad input is refused before anything is written
    vote_date = parse_date(ns.vote_date, "--vote-date") if getattr(ns, "vote_date", None) else None
    if path.exists():
        if not ns.force:
            print(f"conclave demo: {path} exists; use --force to rebuild it, or --db for another file")
            return 2
        remove_demo(path)
    quiet: Printer = lambda _s: None  # noqa: E731
    with Conclave(path, calendar) as app:
        mid = build_demo(app, out=quiet if ns.quiet else print, vote_date=vote_date)
        print_results(app, mid)
    print(f"demo meeting stored in {path}")
    return 0
