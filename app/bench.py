"""``conclave bench``: a provincial-size meeting through the services, then recounted.

1,500 candidates (正高 and 副高) before a senior committee of 41 voting experts;
every step goes through the same service calls the wizard makes (one
transaction and one audit event each, fsync'd); the ballot needs three runoff
rounds (a three-way tie at the 副高 cap, a two-way tie again, then a decision).
The stored meeting is then exported and recounted with ``conclave recount``'s
own function, and the two must agree. Prints seconds per phase and peak memory.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from app.domain import Recommendation, Role, Step
from app.record.export import export_record
from app.record.recount import recount
from app.rules.calendar import WorkCalendar
from app.rules.idnumber import check_digit
from app.services import Conclave
from app.services.setup import CandidateInput, CommitteeInput, MemberInput, PlanInput

ACTOR = "bench"
BENCH_ROUND_PASSPHRASE = "bench-round-passphrase"   # the round passphrase of the benchmark's ballots
STAFF_CODE = "bench-secretary"      # the bench meeting's secretary's own staff code (codes need a staff sign-in)


class Timer:
    def __init__(self) -> None:
        self.rows: list[tuple[str, float, int]] = []

    @contextmanager
    def phase(self, name: str, calls: int = 0) -> Iterator[None]:
        t0 = time.perf_counter()
        yield
        self.rows.append((name, time.perf_counter() - t0, calls))


def plan_votes(n_cands: int, n_senior: int, voters: int) -> dict[str, int]:
    """First-round yes counts: a clean 正高 cut, and a three-way tie for the last 副高 place."""
    need = -(-2 * voters // 3)
    yes: dict[str, int] = {}
    assoc = n_cands - n_senior
    senior_cap, assoc_cap = (2 * n_senior) // 5, (11 * assoc) // 20
    for i in range(n_senior):
        yes[f"S{i:04d}"] = need + 1 + i % (voters - need) if i < senior_cap else need - 5
    for i in range(assoc):
        if i < assoc_cap - 1:
            yes[f"A{i:04d}"] = need + 1 + i % (voters - need)
        elif i < assoc_cap + 2:
            yes[f"A{i:04d}"] = need                    # three tied for one place
        else:
            yes[f"A{i:04d}"] = need - 8
    return yes


def ballots_for(yes: dict[str, int], voters: int, rng: random.Random) -> list[dict[str, str]]:
    out: list[dict[str, str]] = [{} for _ in range(voters)]
    for code, n in yes.items():
        order = rng.sample(range(voters), voters)
        for rank, v in enumerate(order):
            out[v][code] = "yes" if rank < n else ("no" if rank % 3 else "abstain")
    return out


@dataclass(frozen=True)
class Prepared:
    """A bench meeting through step 6: its id, the voting experts, the candidates' codes."""

    meeting_id: int
    experts: list[str]
    codes: list[str]


def build_to_ballot(app: Conclave, n_cands: int, voters: int, rng: random.Random, t: Timer) -> Prepared:
    """The provincial-size meeting through steps 1–6 (the ballot is next), timed phase by phase.
    Also :mod:`app.lan.bench`'s meeting."""
    n_senior = n_cands // 5
    with t.phase("setup (committee, plan, candidates, panel)"):
        mid = app.setup.open_meeting(
            CommitteeInput("省卫生系列高级职称评审委员会", "senior", "series", "卫生系列", dt.date(2025, 3, 1)),
            PlanInput(year=2026, title="2026年度全省卫生系列高级职称评审", place="省人社厅评审中心",
                      plan_filed=dt.date(2026, 11, 2), meeting_date=dt.date(2026, 11, 20),
                      rubric=[("业绩", 60), ("成果", 40)], secretary=ACTOR, supervisor="纪检监察组")).meeting_id
        rows = []
        for i in range(n_cands):
            code = f"S{i:04d}" if i < n_senior else f"A{i - n_senior:04d}"
            body = f"430102198{i % 10}0{1 + i % 9}1{i % 10}{i % 1000:03d}"
            rows.append(CandidateInput(code, f"申报人{i}", f"单位{i % 97}", "正高" if i < n_senior else "副高",
                                       "内科", id_number=body + check_digit(body), group=f"G{i % 7 + 1}"))
        app.setup.add_candidates(ACTOR, mid, rows)
        members = [MemberInput(f"E{i:02d}", f"评委{i}", f"评委单位{i}", "正高", Role.EXPERT, f"G{i % 7 + 1}")
                   for i in range(voters)] + [MemberInput("M01", "主任委员", "省卫健委", "正高", Role.CHAIR)]
        app.setup.add_members(ACTOR, mid, members)
    experts = [m.code for m in members if m.role == Role.EXPERT]
    by_group: dict[str, list[str]] = {}
    for m in members[:-1]:
        by_group.setdefault(m.group or "", []).append(m.code)
    for name, seated in by_group.items():            # each group's leader (组长), as the chair chose
        app.setup.set_group_leader(ACTOR, mid, name, seated[0])
    codes = [r.code for r in rows]
    with t.phase("step 1: check-in and commitments", 2 * len(members) + 2):
        for m in members:
            app.setup.check_in(ACTOR, mid, m.code)
            app.review.sign_commitment(m.code, mid, m.code)
        app.review.record_commitment_reading(ACTOR, mid, experts[0])
        app.procedure.complete(ACTOR, mid, Step.PREPARATORY)
    with t.phase("steps 2–6: per-candidate records", 8 * n_cands):
        for c in codes:
            app.review.record_eligibility(ACTOR, mid, c, True)
        app.procedure.complete(ACTOR, mid, Step.ELIGIBILITY)
        qids = []
        for r in rows:
            group = by_group[r.group or ""]
            app.review.assign_reviewer(ACTOR, mid, r.code, group[0])
            app.review.record_scores(group[0], mid, r.code, group[0], {"业绩": rng.randint(30, 60),
                                                                       "成果": rng.randint(20, 40)})
            qids.append((app.review.add_question(group[0], mid, r.code, group[0], "请简述代表性业绩。",
                                                 "要点：创新性、效益、可推广性。"), group[1]))
        app.procedure.complete(ACTOR, mid, Step.PRIMARY_REVIEW)
        for (qid, reviewer), c in zip(qids, codes, strict=True):
            app.review.review_question(ACTOR, mid, qid, reviewer)
            app.review.record_interview(ACTOR, mid, c, 420, True)
        app.procedure.complete(ACTOR, mid, Step.INTERVIEW)
        for c in codes:
            app.review.record_recommendation(ACTOR, mid, c, Recommendation.RECOMMEND)
        app.procedure.complete(ACTOR, mid, Step.GROUP)
        app.procedure.complete(ACTOR, mid, Step.PLENARY)
    return Prepared(mid, experts, codes)


def run_bench(path: Path, n_cands: int, voters: int, runoffs: int, out: object = print) -> dict[str, float]:
    rng = random.Random(7)
    t = Timer()
    n_senior = n_cands // 5
    tracemalloc.start()
    app = Conclave(path, WorkCalendar())
    prepared = build_to_ballot(app, n_cands, voters, rng, t)
    mid, experts = prepared.meeting_id, prepared.experts
    yes = plan_votes(n_cands, n_senior, voters)
    app.staff.set_code(mid, "secretary", STAFF_CODE)          # the secretary signs in to issue the codes
    clerk = app.staff.sign_in(mid, "secretary", STAFF_CODE).token
    with t.phase(f"terminals: {voters} one-time codes issued and unlocked", 2 * voters):
        sessions = [app.terminals.unlock(mid, e, app.terminals.issue_code(clerk, mid, e)).token for e in experts]
    app.staff.sign_out(clerk)
    with t.phase(f"ballot round 1: {voters} ballots × {n_cands} candidates", voters + 2):
        rid = app.voting.open_first_round("M01", mid, experts, passphrase=BENCH_ROUND_PASSPHRASE)
        for token, ballot in zip(sessions, ballots_for(yes, voters, rng), strict=True):
            app.voting.cast(token, rid, ballot)
        results = app.voting.close_round("M01", mid, rid, passphrase=BENCH_ROUND_PASSPHRASE)
    plans = [lambda c: {c[0]: 20, c[1]: 20, c[2]: 10}, lambda c: {c[0]: 15, c[1]: 15},
             lambda c: {c[0]: 25, c[1]: 16}]
    held = 0
    while results.allocation.pending and held < runoffs:
        tied = sorted(results.allocation.pending[0].candidates)
        with t.phase(f"runoff {held + 1}: {len(tied)} tied", voters + 2):
            rid = app.voting.open_runoff("M01", mid, experts, passphrase=BENCH_ROUND_PASSPHRASE)
            for token, ballot in zip(sessions, ballots_for(plans[held](tied), voters, rng), strict=True):
                app.voting.cast(token, rid, ballot)
            results = app.voting.close_round("M01", mid, rid, passphrase=BENCH_ROUND_PASSPHRASE)
        held += 1
    with t.phase("export + recount (conclave recount's function)"):
        record = export_record(app.store, mid)
        result = recount(record, WorkCalendar())
    if results.allocation.complete:
        engine = {c.code: (c.outcome, c.reason) for c in app.views.candidates(mid)}
        compared = "stored outcomes agree"
    else:   # a runoff still to hold (fewer --runoffs than it needs): no outcome is stored yet
        engine = {cid: (o.outcome, o.reason) for cid, o in results.allocation.outcomes.items()}
        compared = f"a runoff is still to hold after {held} (--runoffs {runoffs}); the engine's count agrees"
    recounted = {c["id"]: (c["outcome"], c["reason"]) for c in result["candidates"]}
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    app.close()
    size = path.stat().st_size
    total = sum(s for _, s, _ in t.rows)
    p = out if callable(out) else print
    p(f"conclave bench: {n_cands} candidates, {voters} voters, {held} runoff rounds")
    for name, secs, calls in t.rows:
        rate = f"  ({secs / calls * 1000:.1f} ms per service call)" if calls else ""
        p(f"  {name:<50} {secs:8.2f} s{rate}")
    p(f"  {'total':<50} {total:8.2f} s")
    p(f"  peak Python memory (tracemalloc) {peak / 2**20:.1f} MiB; "
      f"process peak RSS {_mib(peak_rss_mib())}; "
      f"database {size / 2**20:.1f} MiB")
    passed = sum(1 for o, _ in engine.values() if o == "passed")
    agree = engine == recounted
    p(f"  passed {passed}; {compared} with the recount: {'yes' if agree else 'NO'}")
    return {"total": total, "agree": float(agree), "runoffs": float(held)}


def check_options(candidates: int, voters: int, name: str = "--voters", *, runoffs: int = 0, runs: int = 1) -> bool:
    """The bench's options, checked before anything is built; a refusal is one line on stderr naming
    the option (not the meeting rule the bench meeting would have broken several steps in). The bench
    meeting is a senior committee organised by series: an odd number of experts, at least 25 of them
    (X§8), in seven groups; its runoffs follow three planned ballots at most."""
    problems = []
    if candidates < 5:
        problems.append(("--candidates needs at least 5 candidates", "--candidates 至少 5 名申报人"))
    if voters < 25 or voters % 2 == 0:
        problems.append((f"{name} is the bench meeting's experts: an odd number, at least 25 (the panel of a "
                         "series-based senior committee, X§8)",
                         f"{name} 为评审专家人数：须为单数且不少于25人（按系列组建的高级评委会，X§8）"))
    if not 0 <= runoffs <= 3:
        problems.append(("--runoffs is 0 to 3", "--runoffs 为 0 至 3"))
    if runs < 1:
        problems.append(("--runs needs at least 1 run", "--runs 至少 1 次"))
    if problems:
        print("conclave bench: " + "; ".join(en for en, _ in problems) + " | " + "；".join(zh for _, zh in problems),
              file=sys.stderr)
    return not problems


def peak_rss_mib() -> float | None:
    """This process's own peak resident memory in MiB (None where the OS does not say). On Linux the
    ``VmHWM`` of ``/proc/self/status``: ``getrusage``'s ``ru_maxrss`` keeps the peak of the memory a
    process replaced at ``exec`` — a child started with :mod:`subprocess` reported the peak of the
    bench (its parent, 100–400 MiB) whenever that was higher than its own. ``resource`` is Unix's:
    on Windows, without ``/proc`` either, the peak is not known here."""
    try:
        with open("/proc/self/status", encoding="ascii", errors="replace") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024          # kB
    except (OSError, ValueError, IndexError):
        pass
    try:
        import resource
    except ImportError:                     # Windows
        return None
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (2**20 if sys.platform == "darwin" else 2**10)


def _mib(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.0f} MiB"


def run(ns: argparse.Namespace) -> int:
    if not check_options(ns.candidates, ns.voters, runoffs=ns.runoffs):
        return 2
    if ns.db:
        path = Path(ns.db)
        if path.exists():
            print(f"conclave bench: {path} exists; give a new file | {path}已存在，请指定一个新文件", file=sys.stderr)
            return 2
        figures = run_bench(path, ns.candidates, ns.voters, ns.runoffs)
    else:
        with tempfile.TemporaryDirectory() as d:
            figures = run_bench(Path(d) / "bench.sqlite3", ns.candidates, ns.voters, ns.runoffs)
    return 0 if figures["agree"] else 1
