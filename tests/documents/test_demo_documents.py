"""Every document of `conclave demo`'s meeting, through `conclave documents`, checked as text."""

from __future__ import annotations

import base64
import contextlib
import functools
import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from app.cli import main
from app.domain import Step
from app.sealing.keys import DEMO_PASSPHRASE
from tests.demo_templates import Templates


@pytest.fixture(scope="module")
def written(demo_templates: Templates, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """``conclave documents`` run once on a copy of the finished demo, in this process (``main``, as
    the command's own tests run it; other tests run the command as a process of its own): a process
    of its own would import and load the fonts anew, seconds of a run for nothing these tests check."""
    folder = tmp_path_factory.mktemp("documents")
    db = folder / "demo.sqlite3"
    demo_templates.copy(Step.PUBLICITY, db)
    (folder / "pass.txt").write_text(DEMO_PASSPHRASE)
    out = folder / "out"
    said, complained = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(said), contextlib.redirect_stderr(complained):
        code = main(["documents", "--db", str(db), "--out", str(out), "--passphrase-file", str(folder / "pass.txt")])
    assert code == 0, said.getvalue() + complained.getvalue()
    assert "MISSING GLYPH" not in said.getvalue()
    return db, out


@functools.cache
def _text(path: Path) -> str:
    """The text of a written paper, extracted once (CJK extraction costs a second on the minutes; the
    papers in ``written`` are never changed)."""
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


# -- proof a forger cannot pass (issue 9, points 1–3) ------------------------------------------------

def _root(db: Path, folder: Path) -> Path:
    """The committee root as handed out: ``conclave key export-root``."""
    root = folder / "ROOT.pem"
    if not root.exists():
        assert main(["key", "export-root", "--db", str(db), "--out", str(root)]) == 0
    return root


def _need(tool: str) -> None:
    if shutil.which(tool) is None:
        pytest.skip(f"{tool} is not installed (.ci/run installs it)")


def test_c005_result_sheet_qr_read_at_150_dpi_verifies_with_the_root_alone(
        written: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _need("zbarimg")
    db, out = written
    sheet = out / "02_评审结论_C005_秦浩然.pdf"
    subprocess.run(["pdftoppm", "-r", "150", "-png", str(sheet), str(tmp_path / "p")], check=True)
    scanned = subprocess.run(["zbarimg", "-q", "--raw", str(tmp_path / "p-1.png")], capture_output=True, text=True)
    payload = scanned.stdout.strip()
    assert payload.startswith("conclave:2:"), scanned
    root = _root(db, tmp_path)
    capsys.readouterr()
    assert main(["verify", "--qr", payload, "--trust", str(root)]) == 0     # no database
    said = capsys.readouterr().out
    assert "秦浩然" in said and "未通过" in said and "主治医师" in said and "赞成8票，反对4票，弃权1票" in said

    # the same signature over one fact changed: 未通过 → 通过
    from app.sealing import qrfacts

    _, body, signature = qrfacts.parse(payload)
    forged_body = body.replace(b'"F"', b'"P"')
    assert forged_body != body
    forged = qrfacts.PREFIX + base64.urlsafe_b64encode(forged_body + signature).decode().rstrip("=")
    assert main(["verify", "--qr", forged, "--trust", str(root)]) == 1
    said = capsys.readouterr().out
    assert "NOT signed by the committee" in said and "签名无效" in said


def test_a_forgers_root_in_a_copy_of_the_database_is_not_trusted(
        written: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from sqlalchemy import create_engine, update

    from app.sealing.keys import create_committee_key, fingerprint
    from app.storage.schema import committee
    from tests.sealing.helpers import make_pdf, seal

    db, out = written
    genuine = out / "01_评审会议记录.pdf"
    capsys.readouterr()
    assert main(["verify", "--db", str(db), str(genuine)]) == 0
    signed_under = re.search(r"签章根证书指纹\): ([0-9A-F:]{95})", capsys.readouterr().out)
    assert signed_under is not None
    printed = re.sub(r"\s", "", _text(genuine))
    assert f"评委会根证书SHA-256指纹（核验电子签章及二维码用）：{signed_under[1]}" in printed

    copy = tmp_path / "forged.sqlite3"
    copy.write_bytes(db.read_bytes())
    forger = create_committee_key("某市卫生系列中级职称评审委员会", "a forger's own passphrase 77",
                                  tmp_path / "forger.p12")
    engine = create_engine(f"sqlite:///{copy}")
    with engine.begin() as conn:
        conn.execute(update(committee).values(root_pem=forger.root_certificate_pem()))
    engine.dispose()
    minutes = seal(make_pdf(tmp_path / "m.pdf", text="minutes, changed"), tmp_path / "forged-minutes.pdf",
                   forger, {"signer_name": "评委会", "reason": "会议纪要"})
    assert main(["verify", "--db", str(copy), str(minutes)]) != 0
    said = capsys.readouterr()
    assert "intact and trusted" not in said.out
    assert "does not vouch for" in said.err and fingerprint(forger.root) not in said.out


def test_pdfsig_trusts_the_seal_with_the_exported_root_in_an_nss_database(
        written: tuple[Path, Path], tmp_path: Path) -> None:
    _need("certutil")
    db, out = written
    root = _root(db, tmp_path)
    nss = tmp_path / "nss"
    nss.mkdir()
    subprocess.run(["certutil", "-N", "-d", f"sql:{nss}", "--empty-password"], check=True)
    subprocess.run(["certutil", "-A", "-d", f"sql:{nss}", "-n", "committee root", "-t", "C,C,C", "-i", str(root)],
                   check=True)
    for name in ("02_评审结论_C005_秦浩然.pdf", "01_评审会议记录.pdf"):
        said = subprocess.run(["pdfsig", "-nssdir", f"sql:{nss}", str(out / name)], capture_output=True,
                              text=True).stdout
        assert "Signature Validation: Signature is Valid." in said, said
        assert "Certificate Validation: Certificate is Trusted." in said, said
        assert "Signing Time:" in said
    reasons = {name: _seal_reason(out / name) for name in ("01_评审会议记录.pdf", "02_评审结论.pdf",
                                                           "02_评审结论_C005_秦浩然.pdf")}
    assert len(set(reasons.values())) == 3, reasons          # a reason of each kind, not 评审结论 for all
    assert reasons["01_评审会议记录.pdf"].endswith("评审会议记录定稿")


def _seal_reason(path: Path) -> str:
    fields = PdfReader(path).trailer["/Root"]["/AcroForm"]["/Fields"]
    return str(next(f.get_object()["/V"]["/Reason"] for f in fields if f.get_object().get("/FT") == "/Sig"))
