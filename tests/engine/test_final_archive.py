"""The two archives and the revisions of documents, on the stored demo meeting.

Step 9 archives the meeting's confidential materials before anything is published; the final
archive, written by the demo once step 10 is finished, holds every final paper — the filing
report (备案报告) included, which step 9 cannot have. A document is issued as a new revision only
when what it prints changed: an invisible change (None → "") issues nothing new.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from sqlalchemy import update

from app.domain import Step
from app.errors import RuleViolation
from app.services import Conclave
from app.storage.schema import committee, meeting

from .conftest import MakeApp

FINAL_PAPERS = {"01_评审会议记录.pdf", "02_评审结论.pdf", "03_投票表决汇总表.pdf", "04_评委承诺书.pdf", "05_签到表.pdf",
                "06_公示.pdf", "07_备案报告.pdf", "08_工作总结.pdf", "09_评审专家劳务费.pdf", "10_申报人花名册.xlsx",
                "11_投票表决汇总表.xlsx", "20_表决票_第1轮.pdf", "21_计票单_第1轮.pdf", "20_表决票_第2轮.pdf",
                "21_计票单_第2轮.pdf"}


def _manifest(folder: Path) -> dict[str, str]:
    lines = (folder / "MANIFEST.sha256").read_text(encoding="utf-8").splitlines()
    return {name: digest for digest, name in (line.split("  ", 1) for line in lines)}


def test_the_demo_writes_the_final_archive_with_the_filing_report_once_the_meeting_is_finished(
        demo_at: MakeApp) -> None:
    app, mid = demo_at(Step.PUBLICITY)
    assert app.views.meeting(mid).finished
    final = app.documents.final_archive_path(mid)
    step9 = Path(app.views.meeting(mid).archived_path or "")
    assert final is not None and final.name.endswith("-final") and final != step9
    papers = {p.name for p in (final / "documents").iterdir()}
    assert {p for p in papers if not p.startswith("02_评审结论_")} == FINAL_PAPERS
    assert len([p for p in papers if p.startswith("02_评审结论_C")]) == 30      # each candidate's sheet, sealed
    # step 9 came before the publicity: its archive has no filing report, the final one has it
    assert "07_备案报告.pdf" not in {p.name for p in (step9 / "documents").iterdir()}
    manifest = _manifest(final)
    assert {f"documents/{name}" for name in FINAL_PAPERS} <= set(manifest)
    assert {"meeting.sqlite3", "record.json"} <= set(manifest)
    for name, digest in manifest.items():
        assert hashlib.sha256((final / name).read_bytes()).hexdigest() == digest, name
    # the filing report is registered where the final archive holds it
    filing = [d for d in app.documents.issued(mid) if d.kind == "filing-report"]
    assert [Path(d.path or "").parent for d in filing] == [final / "documents"]


def test_the_final_archive_is_refused_before_the_meeting_is_finished(demo_at: MakeApp, tmp_path: Path) -> None:
    app, mid = demo_at(Step.ARCHIVE)
    with pytest.raises(RuleViolation) as refused:
        app.documents.final_archive("秘书", mid, tmp_path / "archive")
    assert refused.value.rule == "archive.not_finished" and "最终归档" in str(refused.value.violations[0].message.zh)
    assert not (tmp_path / "archive").exists() and app.documents.final_archive_path(mid) is None


def _set(app: Conclave, table: object, **values: object) -> None:
    with app.store.engine.begin() as conn:
        conn.execute(update(table).values(**values))      # type: ignore[arg-type]


def _ids(app: Conclave, mid: int) -> dict[str, str]:
    return {d.doc_id: d.sha256 for d in app.documents.issued(mid)}


def test_only_a_document_whose_printed_content_changed_is_issued_again(demo_at: MakeApp, tmp_path: Path) -> None:
    app, mid = demo_at(Step.PUBLICITY)       # every paper issued by the final archive
    _set(app, committee, office=None)        # 办事机构 not recorded, as in an old file …
    first = app.documents.write("秘书", mid, tmp_path / "one", None, handouts=False)
    before = _ids(app, mid)
    _set(app, committee, office="")          # … then saved empty: it prints the same
    again = app.documents.write("秘书", mid, tmp_path / "two", None, handouts=False)
    assert again.registered == 0 and again.revised == [] and _ids(app, mid) == before
    assert {d.doc_id for d in again.issued} == {d.doc_id for d in first.issued}
    # a fact printed on the publicity notice only: that notice alone is issued as its next revision
    _set(app, meeting, objection_phone="0743-8888888")
    changed = app.documents.write("秘书", mid, tmp_path / "three", None, handouts=False)
    assert changed.revised == ["publicity"]
    new = set(_ids(app, mid)) - set(before)
    assert new and all(".publicity" in doc_id and "-r" in doc_id for doc_id in new)
    assert {d.doc_id for d in changed.issued if not d.kind.startswith("publicity")} == \
        {d.doc_id for d in first.issued if not d.kind.startswith("publicity")}


def test_an_unchanged_sealed_paper_is_the_file_issued_and_a_changed_file_is_sealed_anew(
        demo_at: MakeApp, tmp_path: Path) -> None:
    """A sealed run reuses what was issued: a paper that prints what it printed is the sealed file
    registered for it, copied byte for byte once its digest and its seal check out (the final archive's
    files here); a registered file whose bytes changed since is not trusted for that, and is made and
    sealed again. Every seal verifies either way."""
    from app.sealing.keys import DEMO_PASSPHRASE

    app, mid = demo_at(Step.PUBLICITY)
    final = app.documents.final_archive_path(mid)
    assert final is not None
    one = app.documents.write("秘书", mid, tmp_path / "one", DEMO_PASSPHRASE)
    sealed = {doc.path.name: doc for doc in one.written if doc.sealed}
    assert len(sealed) == 32 and all(doc.verdict is not None and doc.verdict.ok for doc in sealed.values())
    for name in sealed:                              # the minutes, the print file and the 30 sheets
        assert (tmp_path / "one" / name).read_bytes() == (final / "documents" / name).read_bytes(), name
    assert one.registered == 0 and one.revised == []
    sheet = next(name for name in sealed if name.startswith("02_评审结论_C005"))
    changed = tmp_path / "one" / sheet
    changed.write_bytes(changed.read_bytes().replace(b"/Type /Page", b"/Type /Page ", 1))
    two = app.documents.write("秘书", mid, tmp_path / "two", DEMO_PASSPHRASE)
    assert all(doc.verdict is not None and doc.verdict.ok for doc in two.written if doc.sealed)
    remade = {name for name in sealed
              if (tmp_path / "two" / name).read_bytes() != (tmp_path / "one" / name).read_bytes()}
    assert remade == {sheet}
    [c005] = [d for d in app.documents.issued(mid) if d.doc_id.endswith(".result.C005")]
    assert c005.path == str(tmp_path / "two" / sheet)              # the register points at the new file
