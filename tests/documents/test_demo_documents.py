"""Every document of `conclave demo`'s meeting, through `conclave documents`, checked as text."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from app.cli import main
from app.domain import Step
from app.sealing.keys import DEMO_PASSPHRASE
from tests.demo_templates import Templates


@pytest.fixture(scope="module")
def written(demo_templates: Templates, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("documents")
    db = folder / "demo.sqlite3"
    demo_templates.copy(Step.PUBLICITY, db)
    (folder / "pass.txt").write_text(DEMO_PASSPHRASE)
    out = folder / "out"
    done = subprocess.run([sys.executable, "-m", "app.cli", "documents", "--db", str(db), "--out", str(out),
                           "--passphrase-file", str(folder / "pass.txt")], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "MISSING GLYPH" not in done.stdout
    return db, out


def _text(path: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


def test_every_document_is_written(written: tuple[Path, Path]) -> None:
    _, out = written
    names = sorted(p.name for p in out.iterdir())
    for expected in ("01_评审会议记录.pdf", "02_评审结论.pdf", "03_投票表决汇总表.pdf", "04_评委承诺书.pdf",
                     "07_备案报告.pdf",
                     "05_签到表.pdf", "06_公示.pdf", "08_工作总结.pdf", "09_评审专家劳务费.pdf",
                     "10_申报人花名册.xlsx", "11_投票表决汇总表.xlsx", "20_表决票_第1轮.pdf",
                     "20_表决票_第2轮.pdf", "21_计票单_第1轮.pdf", "21_计票单_第2轮.pdf"):
        assert expected in names


def test_minutes_name_every_candidate_round_and_rare_character(written: tuple[Path, Path]) -> None:
    db, out = written
    from app.services import Conclave

    text = _text(out / "01_评审会议记录.pdf")
    with Conclave(db) as app:
        candidates = app.views.candidates(1)
    compact = text.replace(" ", "").replace("\n", "")
    for c in candidates:
        assert c.name in compact, c.name
    assert "王䶮" in compact and "李𠈌" in compact          # CJK Ext A and Ext B, copied back exactly
    assert "再次投票" in compact and "C024" in compact and "C029" in compact
    assert "均已在第1轮达到通过票数线" in compact       # a runoff has no pass mark of its own
    assert compact.count("通过票数线：赞成票不少于9票") == 1


def test_result_sheets_one_per_candidate(written: tuple[Path, Path]) -> None:
    _, out = written
    reader = PdfReader(out / "02_评审结论.pdf")
    assert len(reader.pages) == 30


def test_ballots_carry_no_voter_identity(written: tuple[Path, Path]) -> None:
    _, out = written
    reader = PdfReader(out / "20_表决票_第1轮.pdf")
    assert len(reader.pages) >= 13
    first, last = reader.pages[0].extract_text(), reader.pages[-1].extract_text()
    assert "赞成" in first and "反对" in first and "弃权" in first
    for expert_code in ("P007", "P011", "P036"):
        assert expert_code not in first + last


def test_sealed_minutes_verify_and_a_changed_byte_is_caught(
        written: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db, out = written
    minutes = out / "01_评审会议记录.pdf"
    assert main(["verify", "--db", str(db), str(minutes)]) == 0
    assert "intact and trusted" in capsys.readouterr().out
    data = bytearray(minutes.read_bytes())
    data[data.index(b"/Producer") + 12] ^= 0x01
    changed = tmp_path / "changed.pdf"
    changed.write_bytes(bytes(data))
    assert main(["verify", "--db", str(db), str(changed)]) == 1
    assert "changed bytes" in capsys.readouterr().out


def test_qr_payload_of_a_sheet_checks_against_the_archive(
        written: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    db, _ = written
    from app.services import Conclave

    with Conclave(db) as app:
        sheet = next(d for d in app.documents.issued(1) if d.kind == "result-sheets-sheet")
    assert main(["verify", "--db", str(db), "--qr", f"conclave:1:{sheet.doc_id}:{sheet.sha256}"]) == 0
    forged = "0" * 64
    assert main(["verify", "--db", str(db), "--qr", f"conclave:1:{sheet.doc_id}:{forged}"]) == 1
    assert "does not match" in capsys.readouterr().out
