"""Conflicts of interest (回避): one declared after scoring undoes the scores and reopens the review;
a unit written with other brackets, invisible characters or other widths is the same unit in the
review and in the draw (issue 10, point 3)."""

from __future__ import annotations

import sqlite3

from app.domain import Step
from app.rules.draw import PoolExpert
from app.services import Conclave
from app.text import in_chinese
from tests.attacks import Lab, Outcome, attack
from tests.engine.small import SECRETARY, SUPERVISOR, hold_preparatory, open_small, pass_eligibility, seat

#: The unit as the candidate's roster has it, and how an expert's row may write the same unit.
UNIT = "市第1人民医院（东院）"
SPELLINGS = [
    "市第1人民医院(东院)",            # half-width brackets
    "市第1人民医院【东院】",          # other brackets
    "市第１人民医院（东院）",         # a full-width digit (NFKC)
    "市第1人民医院（东院）\u200b",    # a zero-width space
    "\ufeff市第1人民医院（东院）",    # a byte-order mark
    "市第1人民医院 （东院）",         # a space
    "市第1人民医院\u3000（东院）",    # an ideographic space
    "市第1人民医院（东院）\u00a0",    # a no-break space
    "市第1人民医院\u2060（东院）",    # a word joiner
]


@attack("a conflict declared after scoring: the scores removed, the review reopened")
def conflict_after_scoring(lab: Lab) -> Outcome:
    out = Outcome()
    with Conclave(lab.path("small.sqlite3")) as app:
        mid = open_small(app, [("C1", "李一", "县人民医院"), ("C2", "王二", "县中医医院"),
                               ("C3", "张三", "县妇幼保健院")])
        seat(app, mid, [(f"E{i}", f"州第{i}医院") for i in range(1, 8)])
        hold_preparatory(app, mid)
        pass_eligibility(app, mid)
        pairs = [("C1", "E1", "E4"), ("C2", "E2", "E5"), ("C3", "E3", "E6")]   # candidate, reviewer, another scorer
        for code, reviewer, other in pairs:
            app.review.assign_reviewer(SECRETARY, mid, code, reviewer)
            app.review.record_scores(reviewer, mid, code, reviewer, {"工作业绩": 80})
            app.review.add_question(reviewer, mid, code, reviewer, "题目", "答案")
            app.review.record_scores(other, mid, code, other, {"工作业绩": 70})
        for code, reviewer, other in pairs:
            app.setup.declare_conflict(reviewer, mid, reviewer, code, "申报人系本人近亲属")
            with sqlite3.connect(app.store.path) as raw:
                scorers = {m for (m,) in raw.execute(
                    "SELECT m.code FROM score s JOIN member m ON m.id = s.member_id "
                    "JOIN candidate c ON c.id = s.candidate_id WHERE c.code = ?", (code,))}
            row = next(c for c in app.views.candidates(mid) if c.code == code)
            questions = {(q.candidate, q.setter) for q in app.views.questions(mid)}
            out.check(scorers == {other}, f"{code}: scores left after {reviewer}'s conflict: {sorted(scorers)}")
            out.check(row.reviewer is None, f"{code}: {reviewer} still its primary reviewer")
            out.check((code, reviewer) not in questions, f"{code}: {reviewer}'s question kept")
            unassigned = [in_chinese(x) for x in app.procedure.gate(mid, Step.PRIMARY_REVIEW)
                          if in_chinese(x).startswith("尚未指定主审评委：")]
            out.check(bool(unassigned) and code in unassigned[0].split("：", 1)[1].split("、"),
                      f"{code}: the step's gate does not ask for a reviewer again ({unassigned})")
            out.refused(lambda code=code: app.procedure.complete(SECRETARY, mid, Step.PRIMARY_REVIEW), "step.gate",
                        f"step 3 completed with {code}'s review undone")
            out.refused(lambda code=code, reviewer=reviewer: app.review.assign_reviewer(SECRETARY, mid, code, reviewer),
                        "review.conflict", f"{reviewer} made {code}'s reviewer again")
            out.refused(lambda code=code, reviewer=reviewer: app.review.record_scores(
                reviewer, mid, code, reviewer, {"工作业绩": 90}), "review.conflict", f"{reviewer} scores {code} again")
    return out


@attack("units differing only in brackets / zero-width space / NFKC: one unit in the conflict check and the draw")
def unit_spellings(lab: Lab) -> Outcome:
    out = Outcome()
    with Conclave(lab.path("review.sqlite3")) as app:        # the review: an expert of the same unit
        mid = open_small(app, [("C1", "李一", UNIT)])
        experts = [(f"E{i}", spelling) for i, spelling in enumerate(SPELLINGS, 1)]
        seat(app, mid, [*experts, *[(f"F{i}", f"州第{i}医院") for i in range(1, 1 + (len(experts) + 1) % 2 + 4)]])
        hold_preparatory(app, mid)
        pass_eligibility(app, mid)
        for code, spelling in experts:
            out.refused(lambda code=code: app.review.assign_reviewer(SECRETARY, mid, "C1", code), "review.conflict",
                        f"an expert of {spelling!r} reviews a candidate of {UNIT!r}", "回避")
            out.refused(lambda code=code: app.review.record_scores(code, mid, "C1", code, {"工作业绩": 80}),
                        "review.conflict", f"an expert of {spelling!r} scores a candidate of {UNIT!r}")
    with Conclave(lab.path("draw.sqlite3")) as app:          # the draw: the same unit is excluded
        mid = open_small(app, [("C1", "李一", UNIT)])
        pool = [PoolExpert(f"P{i:02d}", f"甲{i}", spelling, "内科", "正高", 5)
                for i, spelling in enumerate(SPELLINGS, 1)]
        pool.append(PoolExpert("P99", "乙", "州中心医院", "内科", "正高", 5,
                               conflict_units=(f" {UNIT.replace('（', '(').replace('）', ')')}\u200b",)))
        fair = [PoolExpert(f"Q{i}", f"丁{i}", f"州第{i}医院", "内科", "正高", 5) for i in range(5)]
        app.setup.add_pool(SECRETARY, 1, [*pool, *fair])
        result = app.setup.run_draw(SECRETARY, mid, witness=SUPERVISOR, needs={"内科": 5}, seed="attack")
        excluded = {e["id"]: e["rule"] for e in result["excluded"]}
        for expert in pool:
            out.check(excluded.get(expert.id) == "draw.conflict",
                      f"the pool expert of {expert.unit!r} (declared {expert.conflict_units}) was not excluded")
        out.check(sorted(result["drawn"]["内科"]) == [e.id for e in fair], f"drawn: {result['drawn']}")
    return out
