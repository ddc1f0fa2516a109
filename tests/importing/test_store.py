"""Importing into a real meeting database: everything or nothing, and refusals located in the file."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select, update

from app.demo import demo_quotas, load_demo_data
from app.importing import import_candidates, import_pool, write_template
from app.services import Conclave
from app.services.setup import CommitteeInput, PlanInput
from app.storage.schema import audit_event, candidate, pool_expert
from tests.conftest import ROOT
from tests.importing import CANDIDATE_HEADER, ID2, ID3, POOL_HEADER, expert, write_xlsx
from tests.importing import candidate as row

SECRETARY = "人事科 李文静"
SAMPLE = ROOT / "resources" / "sample"


class Meeting:
    """A committee and a meeting set up as in the demo, on a temporary database."""

    def __init__(self, app: Conclave) -> None:
        d = load_demo_data()
        com, plan = d["committee"], d["plan"]
        self.app = app
        self.plan = PlanInput(
            year=plan["year"], title=plan["title"], place=plan["place"],
            plan_filed=dt.date.fromisoformat(plan["plan_filed"]),
            meeting_date=dt.date.fromisoformat(plan["meeting_date"]),
            rubric=[tuple(x) for x in plan["rubric"]], caps=plan["caps"], quotas=demo_quotas(plan),
            secretary=SECRETARY)
        opened = app.setup.open_meeting(CommitteeInput(
            com["name"], com["level"], com["organized_by"], com["field"],
            dt.date.fromisoformat(com["filing_date"]), com["filing_number"]), self.plan)
        self.committee_id, self.meeting_id = opened.committee_id, opened.meeting_id

    def candidates(self, meeting_id: int | None = None) -> int:
        with self.app.store.read() as conn:
            return int(conn.execute(select(func.count()).select_from(candidate).where(
                candidate.c.meeting_id == (meeting_id or self.meeting_id))).scalar_one())

    def pool(self) -> int:
        with self.app.store.read() as conn:
            return int(conn.execute(select(func.count()).select_from(pool_expert)).scalar_one())

    def events(self) -> list[str]:
        with self.app.store.read() as conn:
            return list(conn.execute(select(audit_event.c.action).order_by(audit_event.c.seq)).scalars())


@pytest.fixture
def m(tmp_path: Path) -> Iterator[Meeting]:
    app = Conclave(tmp_path / "meeting.sqlite3")
    try:
        yield Meeting(app)
    finally:
        app.close()


def test_the_demo_roster_imports_into_a_meeting_with_one_audit_event(m: Meeting) -> None:
    before = m.events()
    report = import_candidates(m.app, SECRETARY, m.meeting_id, SAMPLE / "demo_candidates.xlsx")
    assert report.ok, report.problems
    assert report.imported == 30 == m.candidates()
    assert report.summary_zh == "已导入 30 行（申报人）" and report.summary_en == "30 rows imported (candidates)"
    assert m.events() == [*before, "candidate.add"]
    stored = {c.code: c for c in m.app.views.candidates(m.meeting_id)}
    assert stored["C001"].quota_key == "市人民医院/主治医师" and stored["C001"].id_number == "431317198801024346"


def test_one_bad_row_stores_nothing_and_writes_no_audit_event(m: Meeting, tmp_path: Path) -> None:
    import_candidates(m.app, SECRETARY, m.meeting_id,
                      write_xlsx(tmp_path / "first.xlsx", CANDIDATE_HEADER, [row("A01", id_number=ID3)]))
    count, events = m.candidates(), m.events()
    path = write_xlsx(tmp_path / "c.xlsx", CANDIDATE_HEADER, [
        row("C001"), row("C002", id_number=ID2), row("C003", id_number="431317198801024345")])
    report = import_candidates(m.app, SECRETARY, m.meeting_id, path)
    assert not report.ok and report.imported == 0
    assert [(p.row, p.letter, p.rule) for p in report.problems] == [(4, "D", "candidate.id_number")]
    assert "未导入任何数据" in report.summary_zh
    assert (m.candidates(), m.events()) == (count, events) == (1, events)


def test_a_level_the_committee_does_not_review_is_located_by_the_service(m: Meeting, tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "c.xlsx", CANDIDATE_HEADER, [
        row("C001"), row("C002", id_number=ID2, level="正高"), row("C003", id_number=ID3, level="副高")])
    events = m.events()
    report = import_candidates(m.app, SECRETARY, m.meeting_id, path)
    assert [(p.row, p.letter, p.column, p.rule) for p in report.problems] == [
        (3, "E", "申报级别", "format.value"), (4, "E", "申报级别", "format.value")]
    assert report.problems[0].message_zh == ("第 3 行 E 列（申报级别）：本评委会不评审“正高”申报人"
                                             "（中级评委会只评审中级）")
    assert report.problems[0].message_en == ("Row 3, column E (申报级别): the intermediate committee does not "
                                             "review 正高 candidates")
    assert m.candidates() == 0 and m.events() == events


def test_importing_the_same_roster_twice_names_the_codes_already_stored(m: Meeting, tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "c.xlsx", CANDIDATE_HEADER, [row("C001"), row("C002", id_number=ID2)])
    assert import_candidates(m.app, SECRETARY, m.meeting_id, path).imported == 2
    again = import_candidates(m.app, SECRETARY, m.meeting_id, path)
    assert [(p.row, p.letter, p.rule) for p in again.problems] == [
        (2, "A", "candidate.duplicate"), (3, "A", "candidate.duplicate")]
    assert again.problems[0].message_zh == ("第 2 行 A 列（编号）：编号“C001”已被本次会议已有的申报人使用"
                                            "（这份名单是否已经导入过？）")
    assert m.candidates() == 2


def test_a_quota_key_the_plan_does_not_know_is_refused_at_import(m: Meeting, tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "c.xlsx", CANDIDATE_HEADER, [
        row("C001", quota="市人民医院/主治医师"), row("C002", id_number=ID2, quota="市人民医院/主治医生")])
    report = import_candidates(m.app, SECRETARY, m.meeting_id, path)
    assert [(p.row, p.letter, p.rule) for p in report.problems] == [(3, "H", "import.value")]
    assert "市人民医院/主治医师" in report.problems[0].message_zh
    assert m.candidates() == 0


def test_a_candidate_failed_this_year_may_not_come_back(m: Meeting, tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "c.xlsx", CANDIDATE_HEADER, [row("C001")])
    assert import_candidates(m.app, SECRETARY, m.meeting_id, path).ok
    with m.app.store.engine.begin() as conn:   # as if the ballot had failed them
        conn.execute(update(candidate).values(outcome="failed"))
    second = m.app.setup.open_meeting(m.committee_id, m.plan).meeting_id
    again = write_xlsx(tmp_path / "again.xlsx", CANDIDATE_HEADER, [row("C009", id_number=ID2), row("C010")])
    report = import_candidates(m.app, SECRETARY, second, again)
    assert [(p.row, p.column, p.rule) for p in report.problems] == [(3, "身份证号", "candidate.failed_this_year")]
    assert "魏明轩今年已被本评委会评审未通过" in report.problems[0].message_zh
    assert m.candidates(second) == 0


def test_an_unknown_meeting(m: Meeting, tmp_path: Path) -> None:
    report = import_candidates(m.app, SECRETARY, 99, write_xlsx(tmp_path / "c.xlsx", CANDIDATE_HEADER, [row()]))
    assert [(p.row, p.rule) for p in report.problems] == [(None, "meeting.unknown")]


def test_no_actor_no_import(m: Meeting) -> None:
    report = import_candidates(m.app, " ", m.meeting_id, SAMPLE / "demo_candidates.xlsx")
    assert [p.rule for p in report.problems] == ["audit.actor"]
    assert report.problems[0].message_zh.startswith("每次修改都必须注明操作人")
    assert m.candidates() == 0


@pytest.mark.parametrize("kind", ["candidates", "pool"])
def test_an_unedited_template_imports_nothing_and_writes_no_event(m: Meeting, tmp_path: Path, kind: str) -> None:
    events = m.events()
    path = write_template(kind, tmp_path / "t.xlsx")  # type: ignore[arg-type]
    report = (import_candidates(m.app, SECRETARY, m.meeting_id, path) if kind == "candidates"
              else import_pool(m.app, SECRETARY, m.committee_id, path))
    assert report.ok and report.imported == 0
    assert m.events() == events


# -- the pool ----------------------------------------------------------------------------------
def test_the_demo_pool_imports_and_the_draw_can_run(m: Meeting, tmp_path: Path) -> None:
    report = import_pool(m.app, SECRETARY, m.committee_id, SAMPLE / "demo_pool.xlsx")
    assert report.ok and report.imported == 39 == m.pool()
    assert report.summary_en == "39 rows imported (pool experts)"
    assert import_candidates(m.app, SECRETARY, m.meeting_id, SAMPLE / "demo_candidates.xlsx").ok
    d = load_demo_data()
    drawn = m.app.setup.run_draw(SECRETARY, m.meeting_id, witness=d["staff"]["supervisor"],
                                 needs=d["draw"]["needs"], alternates=1, seed=d["draw"]["seed"])
    excluded = {(x["id"], x["rule"]) for x in drawn["excluded"]}
    assert ("P016", "draw.blacklist") in excluded and ("P003", "draw.consecutive_years") in excluded


def test_the_pool_twice_names_the_codes_already_in_the_pool(m: Meeting, tmp_path: Path) -> None:
    shutil.copy(SAMPLE / "demo_pool.xlsx", tmp_path / "p.xlsx")
    assert import_pool(m.app, SECRETARY, m.committee_id, tmp_path / "p.xlsx").ok
    events = m.events()
    more = write_xlsx(tmp_path / "more.xlsx", POOL_HEADER, [expert("P100"), expert("P002")])
    report = import_pool(m.app, SECRETARY, m.committee_id, more)
    assert [(p.row, p.letter, p.rule) for p in report.problems] == [(3, "A", "expert.duplicate")]
    assert (m.pool(), m.events()) == (39, events)


def test_one_bad_pool_row_stores_nothing(m: Meeting, tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "p.xlsx", POOL_HEADER, [expert("P1"), expert("P2", years="三年")])
    events = m.events()
    report = import_pool(m.app, SECRETARY, m.committee_id, path)
    assert [(p.row, p.letter, p.rule) for p in report.problems] == [(3, "F", "import.value")]
    assert (m.pool(), m.events()) == (0, events)


def test_an_unknown_committee(m: Meeting, tmp_path: Path) -> None:
    report = import_pool(m.app, SECRETARY, 42, write_xlsx(tmp_path / "p.xlsx", POOL_HEADER, [expert()]))
    assert [p.rule for p in report.problems] == ["committee.unknown"]
    assert m.pool() == 0
