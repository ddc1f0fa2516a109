"""``conclave recount RECORD.json --out DIR``: recount a meeting record (conclave-record/1).

The supervisor (纪检监察) recounts a meeting from the archive: the record is read
strictly, every rule is checked and every violation collected, then the same rule
functions as the live meeting (:mod:`app.rules`) give the result. The contract
(field names, rule ids, exit status) is ``spec/meeting-record.md``.

Decisions where the spec leaves room:

- A wrong ``format`` is reported alone (``format.version``): the fields of another
  format would only produce noise.
- The allocation (and so ``runoff.candidates``) is checked only when the record's
  data are otherwise sound, because a runoff can only be judged against a correct
  count; panel, group, ID number, publicity and calendar problems do not block it.
- No expert present at the vote is ``ballot.count``: no ballot can be cast.
- ID numbers are checked against the vote date (a birth date after the vote is an
  error), so a recount gives the same answer on any day.
- A message quotes at most 80 characters of a bad value (:func:`app.formats.quote`); dates
  are exactly ``YYYY-MM-DD`` (:func:`app.formats.iso_date`, not ``2026-W47-5``).
- Exit status 0 (valid, result written), 2 (rule or format violation, errors
  written), 1 (the result file itself cannot be written).
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import sys
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

from app.errors import RuleViolation, Violation, one_line, output_refusal
from app.formats import Reader, bounded, iso_date, load_json, one_of, too_deep, write_json
from app.rules import ballot, panel
from app.rules.allocation import Allocation, Entry, Limits, RunoffResult, allocate, max_pass
from app.rules.calendar import (
    PublicityDates,
    UnknownYear,
    WorkCalendar,
    filing_due,
    load_calendar_file,
    publicity_dates,
)
from app.rules.idnumber import id_number_problem, normalize
from app.rules.levels import (
    CANDIDATE_LEVELS,
    COMMITTEE_LEVEL_NAMES,
    COMMITTEE_LEVELS,
    ORGANIZED_BY,
    REVIEWS,
    CandidateLevel,
    CommitteeLevel,
    OrganizedBy,
    caps_for,
)

RECORD_FORMAT: Final = "conclave-record/1"

RESULT_FORMAT: Final = "conclave-result/1"

#: Violations that leave the count itself sound, so the allocation can still be checked.
_NON_BLOCKING: Final = frozenset({
    "panel.odd", "panel.minimum", "group.minimum", "candidate.id_number",
    "publicity.late", "calendar.unknown_year",
})


# -- the record, read strictly ----------------------------------------------------


@dataclass(frozen=True)
class Expert:
    """An attending member: a panel expert (评审专家), the chair or the vice-chair."""

    id: str
    role: str
    group: str | None
    present_at_vote: bool


@dataclass(frozen=True)
class Candidate:
    id: str
    level: CandidateLevel
    group: str | None
    eligible: bool
    quota_key: str | None


@dataclass(frozen=True)
class Runoff:
    candidates: list[str]
    ballots: list[dict[str, Any]]


@dataclass
class Record:
    """What a record says, as far as it could be read; ``*_ok`` say which parts are whole."""

    level: CommitteeLevel = "senior"
    organized_by: OrganizedBy = "series"
    committee_ok: bool = False
    vote_date: dt.date | None = None
    reduced_panel_approved: bool = False
    pass_rate_caps: dict[CandidateLevel, float] = field(default_factory=dict)
    publicity_start: dt.date | None = None
    experts: list[Expert] = field(default_factory=list)
    experts_ok: bool = False
    candidates: list[Candidate] = field(default_factory=list)
    candidate_rows: int = 0
    quotas: dict[str, int] = field(default_factory=dict)
    ballots: list[dict[str, Any]] = field(default_factory=list)
    runoffs: list[Runoff] = field(default_factory=list)

    @property
    def panel_size(self) -> int:
        """Panel experts only; the chair and vice-chair preside and do not count (X§8)."""
        return sum(1 for e in self.experts if e.role == "expert")

    @property
    def attending_voters(self) -> int:
        return sum(1 for e in self.experts if e.role == "expert" and e.present_at_vote)

    @property
    def candidate_groups(self) -> set[str]:
        return {c.group for c in self.candidates if c.group is not None}


def _raw(r: Reader, path: str, value: Any) -> Any:
    return value


def _whole(obj: Mapping[str, Any] | None, required: Mapping[str, Any]) -> bool:
    """True when every required field is present and no field had a bad value."""
    return obj is not None and all(k in obj for k in required) and None not in obj.values()


def _share(r: Reader, path: str, value: Any) -> float | None:
    ok = isinstance(value, int | float) and not isinstance(value, bool)
    if ok and math.isfinite(value) and 0 <= value <= 1:
        return float(value) if isinstance(value, float) else value
    r.bad_value(path, f"must be a share between 0 and 1 (e.g. 0.55); got {ballot.show(value)}")
    return None


def read_record(doc: Any, r: Reader) -> Record | None:
    """Read a parsed ``conclave-record/1`` document; every violation goes to ``r``.

    Returns ``None`` only when nothing can be read (not an object, another format).
    """
    if not isinstance(doc, dict):
        r.bad_value("the file", f"must be a JSON object, not {ballot.show(doc)}")
        return None
    if too_deep(doc):
        r.bad_value("the file", "is nested too deeply")
        return None
    if "format" in doc and doc["format"] != RECORD_FORMAT:
        r.error("format.version",
                f"format: expected {RECORD_FORMAT!r}, got {ballot.show(doc['format'])}")
        return None
    top = r.object(
        doc, "",
        required={"format": str, "committee": _raw, "meeting": _raw, "experts": _raw,
                  "candidates": _raw, "ballots": _raw},
        optional={"quotas": _raw, "runoffs": _raw},
    ) or {}
    rec = Record()
    if "committee" in top:
        _read_committee(r, top["committee"], rec)
    if "meeting" in top:
        _read_meeting(r, top["meeting"], rec)
    if "experts" in top:
        _read_experts(r, top["experts"], rec)
    quotas_ok = _read_quotas(r, top.get("quotas", {}), rec)
    known = _read_candidates(r, top["candidates"], rec, quotas_ok) if "candidates" in top else None
    if "ballots" in top:
        rec.ballots = _read_ballots(r, top["ballots"], "ballots", known, rec)
    if "runoffs" in top:
        _read_runoffs(r, top["runoffs"], known, rec)
    return rec


def _read_committee(r: Reader, value: Any, rec: Record) -> None:
    required = {"name": str, "level": one_of(*COMMITTEE_LEVELS),
                "organized_by": one_of(*ORGANIZED_BY)}
    obj = r.object(value, "committee", required)
    if obj is not None and _whole(obj, required):
        rec.level, rec.organized_by, rec.committee_ok = obj["level"], obj["organized_by"], True


def _read_meeting(r: Reader, value: Any, rec: Record) -> None:
    def caps(r: Reader, path: str, v: Any) -> dict[str, float] | None:
        got = r.object(v, path, {}, dict.fromkeys(CANDIDATE_LEVELS, _share))
        return got if got is not None and None not in got.values() else None

    obj = r.object(
        value, "meeting", {"vote_date": iso_date},
        {"reduced_panel_approved": bool, "pass_rate_caps": caps, "publicity_start": iso_date},
    ) or {}
    rec.vote_date = obj.get("vote_date")
    rec.reduced_panel_approved = bool(obj.get("reduced_panel_approved"))
    rec.pass_rate_caps = obj.get("pass_rate_caps") or {}
    rec.publicity_start = obj.get("publicity_start")


def _row(name: str, i: int, item: Any) -> str:
    """``candidates[3] (C004)``: the row and, when readable, its id."""
    ident = item.get("id") if isinstance(item, dict) else None
    if isinstance(ident, str) and ident.strip():
        return f"{name}[{i}] ({ballot.show(ident)})"
    return f"{name}[{i}]"


def _list(r: Reader, value: Any, path: str) -> list[Any] | None:
    if isinstance(value, list):
        return value
    r.bad_value(path, f"must be a list, not {ballot.show(value)}")
    return None


def _read_experts(r: Reader, value: Any, rec: Record) -> None:
    rows = _list(r, value, "experts")
    if rows is None:
        return
    required = {"id": str, "name": str, "unit": str,
                "role": one_of("expert", "chair", "vice_chair")}
    optional = {"group": str, "present_at_vote": bool}
    ok = True
    seen: dict[str, str] = {}
    for i, item in enumerate(rows):
        path = _row("experts", i, item)
        obj = r.object(item, path, required, optional)
        if obj is None or not _whole(obj, required):
            ok = False
            continue
        if obj["id"] in seen:
            r.error("expert.duplicate", f"{path}.id: {ballot.show(obj['id'])} is already "
                                        f"used by {seen[obj['id']]}")
            ok = False
            continue
        seen[obj["id"]] = path
        rec.experts.append(Expert(obj["id"], obj["role"], obj.get("group"),
                                  obj.get("present_at_vote", True)))
    rec.experts_ok = ok


def _read_quotas(r: Reader, value: Any, rec: Record) -> bool:
    if not isinstance(value, dict):
        r.bad_value("quotas", f"must be an object, not {ballot.show(value)}")
        return False
    ok = True
    for key, n in value.items():
        if not key.strip():
            r.bad_value("quotas", "a quota key must not be empty")
            ok = False
        elif isinstance(n, bool) or not isinstance(n, int) or n < 0:
            r.bad_value(f"quotas.{ballot.show(key)}",
                        f"must be a whole number >= 0; got {ballot.show(n)}")
            ok = False
        else:
            rec.quotas[key] = n
    return ok


def _read_candidates(r: Reader, value: Any, rec: Record, quotas_ok: bool) -> set[str] | None:
    """Read the candidates; returns every readable candidate id (for the ballots' check)."""
    rows = _list(r, value, "candidates")
    if rows is None:
        return None
    rec.candidate_rows = len(rows)
    required = {"id": str, "name": str, "unit": str, "level": one_of(*CANDIDATE_LEVELS)}
    optional = {"id_number": str, "group": str, "eligible": bool, "quota_key": str}
    known: set[str] = set()
    seen: dict[str, str] = {}
    seen_numbers: dict[str, str] = {}
    key_levels: dict[str, set[str]] = defaultdict(set)
    today = rec.vote_date or dt.date.max
    for i, item in enumerate(rows):
        path = _row("candidates", i, item)
        obj = r.object(item, path, required, optional)
        if obj is None:
            continue
        cid, level = obj.get("id"), obj.get("level")
        if cid is not None:
            if cid in seen:
                r.error("candidate.duplicate",
                        f"{path}.id: {ballot.show(cid)} is already used by {seen[cid]}")
                continue
            seen[cid] = path
            known.add(cid)
        number = obj.get("id_number")
        if number is not None:
            problem = id_number_problem(number, today)
            if problem:
                r.error("candidate.id_number", f"{path}.id_number: {problem}")
            elif normalize(number) in seen_numbers:
                r.error("candidate.duplicate", f"{path}.id_number: the same ID number as "
                                               f"{seen_numbers[normalize(number)]}")
            else:
                seen_numbers[normalize(number)] = path
        if level is not None and rec.committee_ok and level not in REVIEWS[rec.level]:
            r.bad_value(f"{path}.level",
                        f"the {rec.level} committee ({COMMITTEE_LEVEL_NAMES[rec.level]}) does "
                        f"not review {level} candidates; it reviews "
                        f"{', '.join(REVIEWS[rec.level])}")
        key = obj.get("quota_key")
        if key is not None:
            if quotas_ok and key not in rec.quotas:
                r.bad_value(f"{path}.quota_key", f"no quota {ballot.show(key)} in quotas")
            if level is not None:
                key_levels[key].add(level)
        if _whole(obj, required):
            rec.candidates.append(Candidate(obj["id"], obj["level"], obj.get("group"),
                                            obj.get("eligible", True), key))
    for key, levels in sorted(key_levels.items()):
        if len(levels) > 1:
            named = ", ".join(lv for lv in CANDIDATE_LEVELS if lv in levels)
            r.bad_value(f"quotas.{ballot.show(key)}",
                        f"carried by candidates of levels {named}; a quota (评审职数) is for "
                        "one post at one level")
    return known


def _read_ballots(
    r: Reader, value: Any, path: str, allowed: set[str] | None, rec: Record
) -> list[dict[str, Any]]:
    """One round's ballots: objects candidate id → choice, at most one per voter present."""
    rows = _list(r, value, path)
    if rows is None:
        return []
    ballots: list[dict[str, Any]] = []
    for i, item in enumerate(rows):
        if isinstance(item, dict):
            ballots.append(item)
        else:
            r.bad_value(f"{path}[{i}]", f"a ballot must be an object, not {ballot.show(item)}")
            ballots.append({})
    ids = allowed if allowed is not None else {k for b in ballots for k in b}
    voters = rec.attending_voters if rec.experts_ok else None
    if voters == 0:
        voters = None  # reported once, as "nobody can vote"
    r.errors += ballot.check_ballots(ballots, ids, voters, path)
    return ballots


def _read_runoffs(r: Reader, value: Any, known: set[str] | None, rec: Record) -> None:
    rows = _list(r, value, "runoffs")
    if rows is None:
        return
    for i, item in enumerate(rows):
        path = f"runoffs[{i}]"
        obj = r.object(item, path, {"candidates": _raw, "ballots": _raw})
        if obj is None:
            continue
        names: list[str] = []
        for j, cid in enumerate(_list(r, obj.get("candidates", []), f"{path}.candidates") or []):
            where = f"{path}.candidates[{j}]"
            if not isinstance(cid, str):
                r.bad_value(where, f"must be a candidate id, not {ballot.show(cid)}")
            elif known is not None and cid not in known:
                r.error("runoff.candidates", f"{where}: {ballot.show(cid)} is not a candidate")
            elif cid in names:
                r.error("runoff.candidates", f"{where}: {ballot.show(cid)} is listed twice")
            else:
                names.append(cid)
        ballots = _read_ballots(r, obj["ballots"], f"{path}.ballots", set(names), rec) \
            if "ballots" in obj else []
        rec.runoffs.append(Runoff(names, ballots))


# -- the count ----------------------------------------------------------------------


def recount(doc: Any, calendar: WorkCalendar) -> dict[str, Any]:
    """The ``conclave-result/1`` document for a parsed record, or ``{"errors": [...]}``."""
    r = Reader()
    record = read_record(doc, r)
    errors = list(r.errors)
    if record is None:
        return _errors(errors)
    errors += _check_panel(record)
    dates, date_errors = _dates(record, calendar)
    errors += date_errors
    if record.experts_ok and record.attending_voters == 0:
        errors.append(Violation(
            "ballot.count",
            "ballots: no expert (role \"expert\") is present at the vote, so nobody can vote",
        ))
    allocation: Allocation | None = None
    if all(v.rule in _NON_BLOCKING for v in errors):
        try:
            allocation = _allocate(record)
        except RuleViolation as exc:
            errors += exc.violations
    if errors or allocation is None or dates is None:
        return _errors(errors or [Violation("format.value", "the record could not be counted")])
    return _result(record, allocation, dates)


def _check_panel(record: Record) -> list[Violation]:
    out: list[Violation] = []
    if record.experts_ok and record.committee_ok:
        out += panel.check_panel(
            record.panel_size, record.level, record.organized_by,
            record.candidate_rows, record.reduced_panel_approved,
        )
    if record.experts_ok:
        sizes = {g: 0 for g in record.candidate_groups}
        for e in record.experts:
            if e.role == "expert" and e.group is not None:
                sizes[e.group] = sizes.get(e.group, 0) + 1
        out += [Violation(v.rule, f"experts: {v.message}") for v in panel.check_groups(sizes)]
    return out


def _dates(
    record: Record, cal: WorkCalendar
) -> tuple[tuple[PublicityDates, dt.date] | None, list[Violation]]:
    """Publicity and filing dates, with ``publicity.late`` and ``calendar.unknown_year``."""
    vote = record.vote_date
    if vote is None:
        return None, []
    start = record.publicity_start
    if start is not None and start < vote:
        return None, [Violation(
            "format.value",
            f"meeting.publicity_start: {start.isoformat()} is before the vote "
            f"on {vote.isoformat()}",
        )]
    errors: list[Violation] = []
    step = f"the publicity deadline (3rd working day after the vote on {vote.isoformat()})"
    try:
        start_by = cal.add_workdays(vote, 3)
        if start is not None and start > start_by:
            errors.append(Violation(
                "publicity.late",
                f"meeting.publicity_start: publicity starts {start.isoformat()}, after "
                f"{start_by.isoformat()}, the 3rd working day after the vote on "
                f"{vote.isoformat()} (X§10(十))",
            ))
        step = "the end of publicity (its 5th working day)"
        pub = publicity_dates(cal, vote, start)
        step = (f"the filing deadline (15th working day after publicity ends on "
                f"{pub.end.isoformat()})")
        due = filing_due(cal, pub.end)
    except UnknownYear as exc:
        errors.append(Violation(
            "calendar.unknown_year",
            f"{step} needs the working days of {exc.year}, which the calendar does "
            f"not know; enter {exc.year}'s holidays and make-up working days (调休) in a "
            "conclave-calendar/1 file and pass it with --calendar",
        ))
        return None, errors
    return (pub, due), errors


def _allocate(record: Record) -> Allocation:
    threshold = ballot.threshold(record.attending_voters)
    ids = [c.id for c in record.candidates]
    first = ballot.tally(record.ballots, ids)
    entries = [
        Entry(c.id, c.level, c.eligible, c.quota_key, first[c.id].yes) for c in record.candidates
    ]
    limits = Limits.from_plan(entries, record.pass_rate_caps, record.quotas)
    runoffs = [
        RunoffResult(
            frozenset(ro.candidates),
            {cid: n.yes for cid, n in ballot.tally(ro.ballots, ro.candidates).items()},
        )
        for ro in record.runoffs
    ]
    return allocate(entries, threshold, limits, runoffs)


def _result(
    record: Record, allocation: Allocation, dates: tuple[PublicityDates, dt.date]
) -> dict[str, Any]:
    pub, due = dates
    first = ballot.tally(record.ballots, [c.id for c in record.candidates])
    caps = caps_for(record.pass_rate_caps)
    entered = {level: sum(1 for c in record.candidates if c.level == level)
               for level in CANDIDATE_LEVELS}
    return {
        "format": RESULT_FORMAT,
        "panel_size": record.panel_size,
        "attending_voters": record.attending_voters,
        "threshold": ballot.threshold(record.attending_voters),
        "caps": {
            level: {"entered": entered[level], "max_pass": max_pass(cap, entered[level])}
            for level, cap in caps.items() if entered[level]
        },
        "candidates": [
            {
                "id": c.id,
                "yes": first[c.id].yes,
                "no": first[c.id].no,
                "abstain": first[c.id].abstain,
                "outcome": allocation.outcomes[c.id].outcome,
                "reason": allocation.outcomes[c.id].reason,
            }
            for c in record.candidates
        ],
        "publicity": {
            "start": pub.start.isoformat(),
            "start_by": pub.start_by.isoformat(),
            "end": pub.end.isoformat(),
        },
        "filing_due": due.isoformat(),
        "errors": [],
    }


def _errors(errors: list[Violation]) -> dict[str, Any]:
    """The errors document; no message longer than :data:`~app.formats.MAX_MESSAGE` (a rule's
    message that quoted a huge value whole would otherwise be written out whole)."""
    return {"errors": [{"rule": v.rule, "message": bounded(v.en)} for v in errors]}


def run(ns: argparse.Namespace) -> int:
    """The command: read, recount, write ``DIR/result.json``; one line on stderr if invalid."""
    errors: list[Violation] = []
    calendar = WorkCalendar()
    if getattr(ns, "calendar", None):
        try:
            calendar = load_calendar_file(ns.calendar)
        except RuleViolation as exc:
            errors += exc.violations
    r = Reader()
    try:
        doc = load_json(Path(ns.record), r)
    except ValueError as exc:  # a number too long to convert, a NUL in the path, …
        r.bad_value(str(ns.record), f"cannot be read: {exc}")
    if r.errors:
        result = _errors(errors + r.errors)
    else:
        result = recount(doc, calendar)
        if errors:
            result = _errors(errors + [Violation(**e) for e in result.get("errors", [])])
    target = Path(ns.out) / "result.json"
    try:
        write_json(target, result)
    except (OSError, ValueError) as exc:
        # exit 1, not 2: the record was read; what failed is the output folder, and no result.json says so
        told = " ".join(one_line(output_refusal(target, exc)).split())
        print(f"conclave recount: {told}".encode("utf-8", "backslashreplace").decode("utf-8"), file=sys.stderr)
        return 1
    if result["errors"]:
        summary = str(RuleViolation([Violation(**e) for e in result["errors"]]))
        # one line, and printable on any stream: a lone surrogate quoted from bad input is escaped
        line = " ".join(summary.split()).encode("utf-8", "backslashreplace").decode("utf-8")
        print(f"conclave recount: {line}", file=sys.stderr)
        return 2
    return 0
