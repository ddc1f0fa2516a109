"""The expert pool (专家库), the witnessed draw (抽取) and the panel (评委) of a meeting."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import Connection, bindparam, func, select

from app.domain import Role, Step, local_time
from app.rules.draw import PoolExpert, exclusions
from app.rules.levels import CommitteeLevel, OrganizedBy, is_committee_level, is_organized_by
from app.rules.panel import minimum_panel
from app.rules.quorum import quorum_needed
from app.storage.schema import audit_event, candidate, draw, member, pool_expert
from app.storage.schema import draw_history as draw_history_table
from app.storage.store import Store
from app.views.meeting import committee_on, meeting_row_on


@dataclass(frozen=True)
class MemberView:
    """A panel member: an expert (评委), the chair (主任委员) or the vice-chair (副主任委员)."""

    code: str
    name: str
    unit: str
    title: str
    role: str
    group: str | None
    checked_in: bool
    commitment_signed: bool
    leader: bool                      # 组长 of their group, chosen by the chair at setup
    # from the committee's pool, for a member whose code is a pool expert's (None for a chair or
    # vice-chair designated from outside it, and where the pool does not say): to notify them,
    # and their honoraria category
    phone: str | None = field(default=None, kw_only=True)
    category: str | None = field(default=None, kw_only=True)


@dataclass(frozen=True)
class PanelRow(MemberView):
    """A panel member with what the setup and step-1 pages also show."""

    departed: bool
    declared_conflicts: tuple[str, ...]

    @property
    def presides(self) -> bool:
        return Role(self.role).presides


@dataclass(frozen=True)
class PoolRow:
    """An expert of the committee's pool with the draw's exclusion rules for this year."""

    code: str
    name: str
    unit: str
    specialty: str
    title: str
    title_years: int
    excluded: tuple[str, ...]
    hr_approval: str | None = None       # 资深中级: the HR department's approval, when recorded
    served: tuple[int, ...] = ()
    blacklisted: bool = False
    conflict_units: tuple[str, ...] = ()
    phone: str | None = None             # 联系电话
    category: str | None = None          # 专家类别 (全国知名专家 / 正高 / 副高 / 其他), for honoraria


@dataclass(frozen=True)
class DrawView:
    """The recorded draw (抽取记录): what an auditor needs to redo it."""

    seed: str
    pool_sha256: str
    witness: str
    needs: dict[str, int]
    drawn: dict[str, list[str]]
    alternates: dict[str, list[str]]
    excluded: list[tuple[str, str]]   # (expert code, rule)
    drawn_at: str | None = None       # when it ran, ISO 8601 UTC; None only in a file older than the record of it

    @property
    def drawn_local(self) -> dt.datetime | None:
        """When the draw ran, in the meeting's local time (北京时间)."""
        return local_time(self.drawn_at)


#: Built once: every page showing the panel, and the record's export, reads it.
_PANEL = select(member).where(member.c.meeting_id == bindparam("meeting_id")).order_by(member.c.id)
_CONTACTS = select(pool_expert.c.code, pool_expert.c.phone, pool_expert.c.category).where(
    pool_expert.c.committee_id == bindparam("committee_id"))


def panel(store: Store, meeting_id: int) -> list[PanelRow]:
    """Every member of the meeting's panel, in the order they were added."""
    with store.read() as conn:
        m = meeting_row_on(conn, meeting_id)
        rows = conn.execute(_PANEL, {"meeting_id": meeting_id}).all()
        contact = {r.code: (r.phone, r.category) for r in conn.execute(_CONTACTS, {"committee_id": m.committee_id})}
    return [PanelRow(r.code, r.name, r.unit, r.title, r.role, r.group_code, bool(r.checked_in),
                     bool(r.commitment_signed), bool(r.leader), bool(r.departed), tuple(r.declared_conflicts or ()),
                     phone=contact.get(r.code, (None, None))[0], category=contact.get(r.code, (None, None))[1])
            for r in rows]


def members(store: Store, meeting_id: int) -> list[MemberView]:
    """The panel without the setup details (departures, declared conflicts)."""
    return [MemberView(p.code, p.name, p.unit, p.title, p.role, p.group, p.checked_in, p.commitment_signed,
                       p.leader, phone=p.phone, category=p.category)
            for p in panel(store, meeting_id)]


def departed_members(store: Store, meeting_id: int) -> set[str]:
    """Codes of the panel members recorded as having left the meeting (离会)."""
    with store.read() as conn:
        return set(conn.execute(select(member.c.code).where(
            member.c.meeting_id == meeting_id, member.c.departed.is_(True))).scalars())


def pool(store: Store, meeting_id: int) -> list[PoolRow]:
    """The committee's expert pool, each expert with the rules that keep them out of this draw."""
    with store.read() as conn:
        m = meeting_row_on(conn, meeting_id)
        rows = conn.execute(select(pool_expert).where(
            pool_expert.c.committee_id == m.committee_id).order_by(pool_expert.c.code)).all()
        units = set(conn.execute(select(candidate.c.unit).where(
            candidate.c.meeting_id == meeting_id)).scalars())
    experts = [PoolExpert(id=r.code, name=r.name, unit=r.unit, specialty=r.specialty, title=r.title,
                          title_years=r.title_years, served=tuple(r.served), blacklisted=r.blacklisted,
                          conflict_units=tuple(r.conflict_units)) for r in rows]
    rules: dict[str, list[str]] = {}
    for x in exclusions(experts, m.year, units):
        rules.setdefault(x.id, []).append(x.rule)
    stored = {r.code: r for r in rows}
    return [PoolRow(e.id, e.name, e.unit, e.specialty, e.title, e.title_years, tuple(rules.get(e.id, ())),
                    stored[e.id].hr_approval, tuple(sorted(set(e.served))), bool(e.blacklisted),
                    tuple(e.conflict_units), stored[e.id].phone, stored[e.id].category)
            for e in experts]


def specialty_counts(store: Store, meeting_id: int) -> dict[str, tuple[int, int, int]]:
    """Per specialty: (candidates, experts in the pool, experts the draw may take)."""
    with store.read() as conn:
        specialties = conn.execute(select(candidate.c.specialty).where(
            candidate.c.meeting_id == meeting_id)).scalars().all()
    wanted = Counter(specialties)
    experts = pool(store, meeting_id)
    in_pool = Counter(e.specialty for e in experts)
    free = Counter(e.specialty for e in experts if not e.excluded)
    names = sorted(set(wanted) | set(in_pool), key=lambda s: (-wanted[s], s))
    return {s: (wanted[s], in_pool[s], free[s]) for s in names}


def draw_record(store: Store, meeting_id: int) -> DrawView | None:
    with store.read() as conn:
        r = conn.execute(select(draw).where(draw.c.meeting_id == meeting_id)).first()
    if r is None:
        return None
    return DrawView(seed=r.seed, pool_sha256=r.pool_sha256, witness=r.witness, needs=dict(r.needs),
                    drawn={k: list(v) for k, v in r.drawn.items()},
                    alternates={k: list(v) for k, v in r.alternates.items()},
                    excluded=[(x["id"], x["rule"]) for x in r.excluded], drawn_at=r.drawn_at)


@dataclass(frozen=True)
class EarlierDraw:
    """A draw replaced by a re-draw (重新抽取): kept for the record and the minutes, with who
    replaced it and why."""

    number: int
    seed: str
    pool_sha256: str
    witness: str
    needs: dict[str, int]
    drawn: dict[str, list[str]]
    alternates: dict[str, list[str]]
    replaced_by: str
    reason: str
    drawn_at: str | None = None       # when it ran, ISO 8601 UTC

    @property
    def drawn_local(self) -> dt.datetime | None:
        """When the draw ran, in the meeting's local time (北京时间)."""
        return local_time(self.drawn_at)


def draw_history(store: Store, meeting_id: int) -> list[EarlierDraw]:
    """The meeting's earlier draws, the first first (empty when the draw was never re-run)."""
    with store.read() as conn:
        rows = conn.execute(select(draw_history_table).where(draw_history_table.c.meeting_id == meeting_id)
                            .order_by(draw_history_table.c.number)).all()
    return [EarlierDraw(r.number, r.seed, r.pool_sha256, r.witness, dict(r.needs),
                        {k: list(v) for k, v in r.drawn.items()}, {k: list(v) for k, v in r.alternates.items()},
                        r.replaced_by, r.reason, r.drawn_at) for r in rows]


@dataclass(frozen=True)
class QuorumView:
    """What a ballot round needs present (the plan's quorum) and the X§8 minimum composition."""

    share: str                 # the plan's quorum, e.g. "2/3"
    panel: int                 # experts on the panel (drawn or seated), chair and vice-chair not counted
    needed: int                # ceil(share × panel): voters present for a round to open
    minimum: int               # the X§8 minimum panel; below it the chair is warned

    def below_minimum(self, present: int) -> bool:
        """Whether ``present`` voters fall below the X§8 minimum composition (the chair is warned)."""
        return present < self.minimum


def quorum(store: Store, meeting_id: int) -> QuorumView:
    with store.read() as conn:
        return quorum_on(conn, meeting_id)


#: The drawn experts and the candidates of a meeting, counted in one statement built once (every
#: round's opening checks the quorum).
_SIZES = select(
    select(func.count()).select_from(member).where(member.c.meeting_id == bindparam("meeting_id"),
                                                   member.c.role == Role.EXPERT.value).scalar_subquery(),
    select(func.count()).select_from(candidate).where(candidate.c.meeting_id == bindparam("meeting_id"))
    .scalar_subquery())


def quorum_on(conn: Connection, meeting_id: int) -> QuorumView:
    m = meeting_row_on(conn, meeting_id)
    com = committee_on(conn, m.committee_id)
    panel_size, n_cands = (int(n) for n in conn.execute(_SIZES, {"meeting_id": meeting_id}).one())
    level: CommitteeLevel = com.level if is_committee_level(com.level) else "senior"
    organized: OrganizedBy = com.organized_by if is_organized_by(com.organized_by) else "series"
    return QuorumView(m.quorum, panel_size, quorum_needed(panel_size, m.quorum),
                      minimum_panel(level, organized, n_cands, bool(m.reduced_panel_approved)))


def pool_codes(store: Store, committee_id: int) -> set[str]:
    """The codes already in a committee's pool (an import must not repeat them)."""
    with store.read() as conn:
        return set(conn.execute(select(pool_expert.c.code).where(
            pool_expert.c.committee_id == committee_id)).scalars())


@dataclass(frozen=True)
class DeclaredConflict:
    """A conflict (回避) an expert declared with a candidate, with the reason given — read from the
    audit event that recorded it (``conflict.declare``); only those still declared (a candidate
    withdrawn since takes theirs away)."""

    member: str
    member_name: str
    candidate: str
    candidate_name: str
    reason: str
    at: str                     # ISO 8601 UTC, as the trail records it


def declared_conflicts(store: Store, meeting_id: int) -> list[DeclaredConflict]:
    """The meeting's declared conflicts (回避), in the order they were declared; the minutes record them."""
    with store.read() as conn:
        events = conn.execute(select(audit_event.c.at, audit_event.c.data).where(
            audit_event.c.meeting_id == meeting_id, audit_event.c.action == "conflict.declare")
            .order_by(audit_event.c.seq)).all()
        members = {r.code: r for r in conn.execute(select(member.c.code, member.c.name, member.c.declared_conflicts)
                                                   .where(member.c.meeting_id == meeting_id))}
        names: dict[str, str] = {code: name for code, name in conn.execute(
            select(candidate.c.code, candidate.c.name).where(candidate.c.meeting_id == meeting_id))}
    found: dict[tuple[str, str], DeclaredConflict] = {}
    for at, raw in events:
        data = json.loads(raw) if isinstance(raw, str) else raw
        who, whom = data.get("member", ""), data.get("candidate", "")
        row = members.get(who)
        if row is None or whom not in (row.declared_conflicts or ()):
            continue
        found.setdefault((who, whom), DeclaredConflict(who, row.name, whom, names.get(whom, whom),
                                                       str(data.get("reason", "")), at))
    return list(found.values())


@dataclass(frozen=True)
class RecordHead:
    """Where the audit trail stood when the meeting's record closed: the event that finished step 8
    (签字确认) — the minutes record the meeting up to there — or, before that, the trail's newest event.
    ``conclave verify-db`` checks the chain that leads to it."""

    seq: int
    hash: str
    closed: bool                # True: the signing step was finished at ``seq``


def round_heads(store: Store, meeting_id: int) -> dict[int, RecordHead]:
    """Where the audit trail stood when each ballot round closed, by round number: the round's
    ``ballot.close`` event (which records its count and the digest of its box) — printed on the
    tally sheet above the supervisor's signature."""
    with store.read() as conn:
        rows = conn.execute(select(audit_event.c.seq, audit_event.c.hash, audit_event.c.data).where(
            audit_event.c.meeting_id == meeting_id, audit_event.c.action == "ballot.close")
            .order_by(audit_event.c.seq)).all()
    found: dict[int, RecordHead] = {}
    for seq, digest, raw in rows:
        data = json.loads(raw) if isinstance(raw, str) else raw
        if "number" in data:
            found[int(data["number"])] = RecordHead(seq, digest, True)
    return found


def record_head(store: Store, meeting_id: int) -> RecordHead | None:
    """The audit event the minutes print as the record's head; None for an empty trail."""
    with store.read() as conn:
        rows = conn.execute(select(audit_event.c.seq, audit_event.c.hash, audit_event.c.data).where(
            audit_event.c.meeting_id == meeting_id, audit_event.c.action == "step.complete")
            .order_by(audit_event.c.seq)).all()
        for seq, digest, raw in rows:
            data = json.loads(raw) if isinstance(raw, str) else raw
            if data.get("step") == int(Step.SIGNING):
                return RecordHead(seq, digest, True)
        last = conn.execute(select(audit_event.c.seq, audit_event.c.hash)
                            .order_by(audit_event.c.seq.desc()).limit(1)).first()
    return RecordHead(last.seq, last.hash, False) if last is not None else None
