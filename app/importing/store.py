"""Importing into a meeting: parse the whole file, and store it only if it is clean.

Nothing is half-imported. The parser collects every problem of the file first;
only a clean file reaches the service (``SetupService.add_candidates`` /
``add_pool``), which validates again against the database and stores all rows in
one transaction with one audit event, or nothing. A :class:`RuleViolation` the
service raises is turned back into problems that name the Excel row and column,
so the secretary sees the same kind of list whichever check refused the file.

Two checks the services do not make are made here, before calling them, because
otherwise they would surface far too late or as a database error:

* a 职数 (quota key) the annual plan does not know — allocation would refuse it
  only at the vote (``import.value``);
* a pool code already in the committee's pool, or an unknown committee — the
  database's unique and foreign-key constraints would reject them with an
  exception instead of a message (``expert.duplicate``, ``committee.unknown``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from app.errors import RuleViolation, Violation
from app.importing.parse import read_candidates, read_pool
from app.importing.problems import VALUE, ImportProblem, ImportReport, ImportResult, problem
from app.rules.levels import COMMITTEE_LEVEL_NAMES, REVIEWS, is_committee_level
from app.services import Conclave

_ROW = re.compile(r"row (\d+) \(")


def import_candidates(app: Conclave, actor: str, meeting_id: int, path: Path | str) -> ImportReport:
    """Import a candidate roster into a meeting: all rows, or none and the list of problems."""
    parsed = read_candidates(path)
    if not parsed.ok:
        return _refused(parsed)
    if not parsed.rows:
        return ImportReport(parsed.path, "candidates", 0)   # an unfilled template: nothing to store
    problems = _meeting_checks(app, meeting_id, parsed)
    if problems:
        return _refused(parsed, problems)
    try:
        count = app.setup.add_candidates(actor, meeting_id, parsed.rows)
    except RuleViolation as exc:
        return _refused(parsed, [_candidate_problem(v, parsed) for v in exc.violations])
    return ImportReport(parsed.path, "candidates", count)


def import_pool(app: Conclave, actor: str, committee_id: int, path: Path | str) -> ImportReport:
    """Import experts into a committee's pool: all rows, or none and the list of problems."""
    parsed = read_pool(path)
    if not parsed.ok:
        return _refused(parsed)
    if not parsed.rows:
        return ImportReport(parsed.path, "pool", 0)
    problems = _pool_conflicts(app, committee_id, parsed)
    if problems:
        return _refused(parsed, problems)
    try:
        count = app.setup.add_pool(actor, committee_id, parsed.rows)
    except RuleViolation as exc:
        if exc.violations[0].rule == "storage.integrity":  # the pool changed between our check and the write
            return _refused(parsed, [problem("expert.duplicate", "专家库在导入时被修改，编号冲突；请重新导入",
                                             f"the pool changed during the import ({exc.violations[0].message}); "
                                             "import again")])
        return _refused(parsed, [p for v in exc.violations for p in _pool_problems(v, parsed)])
    return ImportReport(parsed.path, "pool", count)


#: Refusals of a re-import that concern the request, not a row of the file: the dialog shows them.
_NOT_THE_FILE = frozenset({"pool.reason", "pool.unchanged", "step.locked", "meeting.unknown"})


def reimport_pool(app: Conclave, actor: str, meeting_id: int, path: Path | str, reason: str) -> ImportReport:
    """Import a corrected pool file again, with a written reason: the experts already in the meeting's
    committee's pool are corrected from it, the others added — all or nothing
    (:meth:`SetupService.update_pool`). A refusal of the request itself (no reason, step 1 finished,
    nothing to update) is raised; the file's problems are reported at their rows."""
    parsed = read_pool(path)
    if not parsed.ok:
        return _refused(parsed)
    if not parsed.rows:
        return ImportReport(parsed.path, "pool", 0)
    try:
        corrected, added = app.setup.update_pool(actor, meeting_id, parsed.rows, reason)
    except RuleViolation as exc:
        if exc.rule in _NOT_THE_FILE:
            raise
        return _refused(parsed, [_row_problem(v, parsed) for v in exc.violations])
    return ImportReport(parsed.path, "pool", corrected + added)


def _row_problem(v: Violation, parsed: ImportResult[Any]) -> ImportProblem:
    """A service violation ("row i (code): ...") at its Excel row."""
    m = _ROW.match(v.message)
    index = int(m.group(1)) - 1 if m else -1
    if not 0 <= index < len(parsed.rows):
        return problem(v.rule, _general_zh(v), v.message)
    detail = v.message.split(": ", 1)[-1]
    return problem(v.rule, f"导入被拒绝（{detail}）", detail, row=parsed.row_numbers[index])


def _refused(parsed: ImportResult[Any], problems: Sequence[ImportProblem] | None = None) -> ImportReport:
    found = sorted(parsed.problems if problems is None else problems, key=ImportProblem.sort_key)
    return ImportReport(parsed.path, parsed.kind, 0, tuple(found))


# -- checks against the database ------------------------------------------------
def _meeting_checks(app: Conclave, meeting_id: int, parsed: ImportResult[Any]) -> list[ImportProblem]:
    if meeting_id not in app.views.meeting_ids():
        return [problem("meeting.unknown", f"找不到编号为 {meeting_id} 的会议", f"no meeting with id {meeting_id}")]
    if "quota_key" not in parsed.places:
        return []
    keys = set(app.views.quotas(meeting_id))
    place = parsed.places["quota_key"]
    allowed = "、".join(sorted(keys))
    out = []
    for number, c in zip(parsed.row_numbers, parsed.rows, strict=True):
        if c.quota_key is not None and c.quota_key not in keys:
            out.append(problem(
                VALUE,
                f"职数“{c.quota_key}”不在本年度评审方案中；"
                + (f"方案中的评审职数为：{allowed}" if keys else "方案没有设定评审职数，请留空"),
                f"quota key {c.quota_key!r} is not in this year's plan; "
                + (f"the plan's quota keys are: {', '.join(sorted(keys))}" if keys
                   else "the plan sets no quotas: leave the cell empty"),
                row=number, place=place))
    return out


def _pool_conflicts(app: Conclave, committee_id: int, parsed: ImportResult[Any]) -> list[ImportProblem]:
    if committee_id not in {c.id for c in app.views.committees()}:
        return [problem("committee.unknown", f"找不到编号为 {committee_id} 的评委会",
                        f"no committee with id {committee_id}")]
    existing = app.views.pool_codes(committee_id)
    place = parsed.places["id"]
    return [problem("expert.duplicate", f"编号“{e.id}”已在本评委会的专家库中（这份名单是否已经导入过？）",
                    f"code {e.id!r} is already in this committee's pool (was this file imported before?)",
                    row=number, place=place)
            for number, e in zip(parsed.row_numbers, parsed.rows, strict=True) if e.id in existing]


# -- service refusals, located -------------------------------------------------------
_CANDIDATE_RULE_FIELD = {"candidate.duplicate": "code", "format.value": "level",
                         "candidate.id_number": "id_number", "candidate.failed_this_year": "id_number"}
_ZH_ROW = re.compile(r"第\d+行（.*?）：")


def _candidate_problem(v: Violation, parsed: ImportResult[Any]) -> ImportProblem:
    """A violation of ``add_candidates`` ("row i (code): ...") at its Excel row and column."""
    m = _ROW.match(v.message)
    index = int(m.group(1)) - 1 if m else -1
    if not 0 <= index < len(parsed.rows):
        return problem(v.rule, _general_zh(v), v.message)
    c = parsed.rows[index]
    detail = v.message.removeprefix(f"row {index + 1} ({c.code or '?'}): ")
    field = v.field or _CANDIDATE_RULE_FIELD.get(v.rule)
    place = parsed.places.get(field) if field else None
    en = detail
    if v.rule == "candidate.duplicate":
        zh = f"编号“{c.code}”已被本次会议已有的申报人使用（这份名单是否已经导入过？）"
        en = f"code {c.code!r} is already used by a candidate of this meeting (was this file imported before?)"
    elif v.rule == "format.value" and "does not review" in detail:
        zh = f"本评委会不评审“{c.level}”申报人" + _reviews_zh(detail)
    elif v.rule == "candidate.failed_this_year":
        zh = f"{c.name}今年已被本评委会评审未通过，同一评委会本年度不得再次评审（X§10(七)）"
    elif v.zh:          # the service's own Chinese, without its "第N行（编号）：" (the place says the row)
        zh = _ZH_ROW.sub("", v.zh, count=1)
    else:
        zh = f"导入被拒绝（{detail}）"
    return problem(v.rule, zh, en, row=parsed.row_numbers[index], place=place)


def _reviews_zh(detail: str) -> str:
    m = re.match(r"(?:an?|the) (\w+) committee", detail)
    level = m.group(1) if m else ""
    if not is_committee_level(level):
        return ""
    return f"（{COMMITTEE_LEVEL_NAMES[level]}只评审{'、'.join(REVIEWS[level])}）"


def _pool_problems(v: Violation, parsed: ImportResult[Any]) -> list[ImportProblem]:
    """``add_pool`` names duplicate codes in one message; locate each code's rows."""
    if v.rule == "expert.duplicate" and ":" in v.message:
        codes = {c.strip() for c in v.message.split(":", 1)[1].split(",")}
        located = [problem(v.rule, f"编号“{e.id}”重复", f"code {e.id!r} is used twice", row=number,
                           place=parsed.places["id"])
                   for number, e in zip(parsed.row_numbers, parsed.rows, strict=True) if e.id in codes]
        if located:
            return located
    return [problem(v.rule, _general_zh(v), v.message)]


def _general_zh(v: Violation) -> str:
    known = {"meeting.unknown": "找不到这次会议", "audit.actor": "每次修改都必须注明操作人",
             "committee.unknown": "找不到这个评委会"}
    return f"{known.get(v.rule, '导入被拒绝')}（{v.message}）"

