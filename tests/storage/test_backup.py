"""``conclave backup`` / ``conclave restore`` and the start-up check, on the demo meeting at step 10
(its archive with the sealed papers written by the demo, its committee key beside it).

The backups here are made once per module, in-process through :func:`app.cli.main`, with scrypt's
cost lowered to its floor (the format stores it; a restore reads it from the header) so that each
refusal costs milliseconds; one subprocess test runs the real commands at the real cost.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.cli import main
from app.demo import DEMO_PASSPHRASE
from app.domain import Step
from app.services import Conclave
from app.services.setup import CommitteeInput, PlanInput
from app.storage import backup_file
from tests.demo_templates import Templates

ROOT = Path(__file__).resolve().parents[2]
REAL_COST = backup_file.SCRYPT_N


def tree(folder: Path) -> dict[str, str]:
    """Every file below ``folder`` (hidden ones too) with its SHA-256: what "no change" means."""
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


class Meeting:
    """A private copy of the demo at step 10 in ``folder``, its archive beside it, and its backup."""

    def __init__(self, folder: Path, templates: Templates) -> None:
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        self.db = templates.copy(Step.PUBLICITY, folder / "meeting.sqlite3")
        self.key = folder / "meeting.committee-key.p12"
        self.passphrase = folder.parent / f"{folder.name}.pass"
        self.passphrase.write_text(DEMO_PASSPHRASE + "\n", encoding="utf-8")


@pytest.fixture(scope="module")
def backed_up(demo_templates: Templates, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Meeting, Path]]:
    """The demo meeting and its backup (cheap scrypt), made once for the module's refusals."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(backup_file, "SCRYPT_N", backup_file.N_BOUNDS[0])
        meeting = Meeting(tmp_path_factory.mktemp("backup") / "meeting", demo_templates)
        out = meeting.folder.parent / "meeting.conclave-backup"
        assert main(["backup", "--db", str(meeting.db), "--out", str(out),
                     "--passphrase-file", str(meeting.passphrase)]) == 0
        yield meeting, out


def test_backup_holds_database_key_archive_and_manifest(backed_up: tuple[Meeting, Path]) -> None:
    meeting, out = backed_up
    header = backup_file.read_header(out)
    assert out.read_bytes().startswith(backup_file.MAGIC)
    assert header.fields["kdf"]["name"] == "scrypt" and header.fields["cipher"] == "AES-256-GCM"
    assert len(header.fields["kdf"]["salt"]) == 32 and header.origin
    with Conclave(meeting.db) as app:
        assert header.origin == app.backups.origin()
        archived = Path(app.views.meeting(1).archived_path or "")
    plain = meeting.folder.parent / "plain.tar"
    with plain.open("wb") as fh:
        backup_file.decrypt_file(out, DEMO_PASSPHRASE.encode(), fh)
    import json
    import tarfile
    with tarfile.open(plain) as tar:
        names = tar.getnames()
        manifest = json.loads(tar.extractfile("MANIFEST.json").read())  # type: ignore[union-attr]
    assert names[0] == "MANIFEST.json"
    assert {"database.sqlite3", "committee-key.p12"} <= set(names)   # (the templates keep no root.pem)
    assert "database.sqlite3.heads" in names                          # the audit trail's heads, restored with it
    assert manifest["archives"] == [f"archive/{archived.name}"]
    assert any(n.endswith("01_评审会议记录.pdf") for n in names)
    assert set(manifest["files"]) == set(names[1:])
    assert manifest["meetings"][0]["title"] and manifest["audit"]["events"] > 100
    assert DEMO_PASSPHRASE.encode() not in out.read_bytes() and b"SQLite format" not in out.read_bytes()


def test_backup_then_restore_gives_the_identical_meeting(backed_up: tuple[Meeting, Path], tmp_path: Path,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    """Backup → the meeting's files gone → restore: export-record byte-identical, verify-db intact,
    the sealed papers of the archive still verify, the key file back with its mode."""
    meeting, out = backed_up
    before, after = tmp_path / "before.json", tmp_path / "after.json"
    assert main(["export-record", "--db", str(meeting.db), "--out", str(before)]) == 0
    lost = tmp_path / "lost" / "meeting.sqlite3"        # the laptop's folder, emptied
    lost.parent.mkdir()
    assert main(["restore", str(out), "--db", str(lost), "--passphrase-file", str(meeting.passphrase)]) == 0
    assert main(["export-record", "--db", str(lost), "--out", str(after)]) == 0
    assert before.read_bytes() == after.read_bytes()
    assert main(["verify-db", "--db", str(lost)]) == 0
    key = lost.with_name("meeting.committee-key.p12")
    assert key.read_bytes() == meeting.key.read_bytes()
    if os.name == "posix":
        assert key.stat().st_mode & 0o777 == 0o600
    papers = sorted((lost.parent / "archive").glob("meeting-*/documents/*.pdf"))
    assert papers
    with Conclave(lost) as app:
        assert app.backups.check().ok
        for paper in papers[:2]:
            assert app.documents.verify_pdf(paper, 1).ok
    assert main(["verify", "--db", str(lost), str(papers[0])]) == 0
    printed = capsys.readouterr().out
    assert "restored (已恢复)" in printed and "integrity_check ok" in printed
    assert not [p for p in lost.parent.iterdir() if p.name.startswith(".conclave-")]   # no staging left


def _refused(meeting: Meeting, backup: Path, capsys: pytest.CaptureFixture[str], passphrase: Path | None = None,
             db: Path | None = None) -> str:
    target = db or meeting.db
    folder = target.parent
    before = tree(folder)
    code = main(["restore", str(backup), "--db", str(target),
                 "--passphrase-file", str(passphrase or meeting.passphrase)])
    err = capsys.readouterr().err
    assert code == 2, err
    assert tree(folder) == before                      # not a byte changed, no staging folder left
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in err and " | " in lines[0]   # one line, with its Chinese
    return lines[0]


def test_one_flipped_byte_is_refused(backed_up: tuple[Meeting, Path], tmp_path: Path,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    meeting, out = backed_up
    data = out.read_bytes()
    for n, where in enumerate((len(data) // 2, len(data) - 1, 40)):     # a chunk, the last tag, the header
        flipped = tmp_path / f"flipped-{n}.conclave-backup"
        flipped.write_bytes(data[:where] + bytes([data[where] ^ 0x01]) + data[where + 1:])
        assert "[backup.damaged]" in _refused(meeting, flipped, capsys)


def test_a_truncated_backup_is_refused(backed_up: tuple[Meeting, Path], tmp_path: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    meeting, out = backed_up
    data = out.read_bytes()
    for n, size in enumerate((len(data) - 1, backup_file.CHUNK + 300, 100, 10)):
        cut = tmp_path / f"cut-{n}.conclave-backup"
        cut.write_bytes(data[:size])
        line = _refused(meeting, cut, capsys)
        assert "[backup.truncated]" in line or (size == 10 and "[backup.format]" in line), line
    assert "不完整" in _refused(meeting, tmp_path / "cut-0.conclave-backup", capsys)


def test_a_wrong_passphrase_is_refused(backed_up: tuple[Meeting, Path], tmp_path: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    meeting, out = backed_up
    wrong = tmp_path / "wrong.pass"
    wrong.write_text("another-passphrase-42", encoding="utf-8")
    line = _refused(meeting, out, capsys, passphrase=wrong)
    assert "[backup.passphrase]" in line and "口令不正确" in line


def test_not_a_backup_is_refused(backed_up: tuple[Meeting, Path], capsys: pytest.CaptureFixture[str]) -> None:
    meeting, _out = backed_up
    assert "[backup.format]" in _refused(meeting, meeting.key, capsys)


@pytest.fixture(scope="module")
def other_meeting(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Another committee's meeting, in its own file."""
    path = tmp_path_factory.mktemp("other") / "other.sqlite3"
    with Conclave(path) as app:
        app.setup.open_meeting(
            CommitteeInput("某县教育系列初级职称评审委员会", "junior", "series", "教育系列", dt.date(2025, 3, 1)),
            PlanInput(year=2026, title="2026年度教育系列初级职称评审", place="县教育局",
                      plan_filed=dt.date(2026, 3, 2), meeting_date=dt.date(2026, 3, 20),
                      rubric=[("业绩", 100)], secretary="秘书", supervisor="纪检"))
    return path


def test_another_meetings_backup_is_refused_then_forced(backed_up: tuple[Meeting, Path], other_meeting: Path,
                                                        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Restoring over a different meeting names both and changes nothing; --force replaces it and
    keeps it as …before-restore-…."""
    meeting, out = backed_up
    target = tmp_path / "other.sqlite3"
    shutil.copyfile(other_meeting, target)
    line = _refused(meeting, out, capsys, db=target)
    assert "[backup.foreign]" in line and "某县教育系列初级职称评审委员会" in line and "--force" in line
    assert main(["restore", str(out), "--db", str(target), "--passphrase-file", str(meeting.passphrase),
                 "--force"]) == 0
    kept = sorted(tmp_path.glob("other.sqlite3.before-restore-*"))
    assert [p.name for p in kept if not p.name.endswith(("-wal", "-shm"))]
    assert kept[0].read_bytes() == other_meeting.read_bytes()
    with Conclave(target) as app:
        assert app.views.meeting(1).title == "2026年度卫生系列中级职称评审"


def test_restore_over_the_same_meeting_keeps_the_current_file(backed_up: tuple[Meeting, Path], tmp_path: Path,
                                                              demo_templates: Templates) -> None:
    """An earlier state of the same meeting (same first audit event) replaces it without --force;
    the current database is kept, the identical key file is left alone."""
    meeting, out = backed_up
    current = demo_templates.copy(Step.SIGNING, tmp_path / "meeting.sqlite3")
    key_before = tmp_path / "meeting.committee-key.p12"
    before = current.read_bytes()
    assert main(["restore", str(out), "--db", str(current), "--passphrase-file", str(meeting.passphrase)]) == 0
    kept = [p for p in tmp_path.glob("meeting.sqlite3.before-restore-*") if not p.name.endswith(("-wal", "-shm"))]
    assert len(kept) == 1 and kept[0].read_bytes() == before
    assert not list(tmp_path.glob("meeting.committee-key.p12.before-restore-*")) and key_before.exists()
    with Conclave(current) as app:
        assert app.views.meeting(1).finished or app.views.meeting(1).current_step >= Step.PUBLICITY


def test_a_meeting_open_for_writing_elsewhere_is_not_replaced(backed_up: tuple[Meeting, Path], tmp_path: Path,
                                                              demo_templates: Templates,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    """A window (or a command) writing the meeting holds its lock: a restore under it would leave
    that writer writing into the file set aside, so it is refused and nothing moves."""
    meeting, out = backed_up
    current = demo_templates.copy(Step.SIGNING, tmp_path / "meeting.sqlite3")
    with Conclave(current) as app:              # the meeting open for writing, as in the window
        step = app.views.meeting(1).current_step
        assert main(["restore", str(out), "--db", str(current), "--passphrase-file",
                     str(meeting.passphrase)]) == 2
        assert app.views.meeting(1).current_step == step                   # still the meeting it was
    assert "[storage.busy]" in capsys.readouterr().err
    assert not list(tmp_path.glob("*.before-restore-*"))


def test_an_existing_backup_file_is_not_replaced(backed_up: tuple[Meeting, Path],
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    meeting, out = backed_up
    before = out.read_bytes()
    assert main(["backup", "--db", str(meeting.db), "--out", str(out), "--passphrase-file",
                 str(meeting.passphrase)]) == 2
    assert "[backup.exists]" in capsys.readouterr().err and out.read_bytes() == before


def test_start_up_check_refuses_a_tampered_meeting_and_names_its_backup(
        backed_up: tuple[Meeting, Path], tmp_path: Path, demo_templates: Templates,
        capsys: pytest.CaptureFixture[str]) -> None:
    """A command that writes (documents) runs the start-up check: an audit event changed behind
    Conclave's back is named, with the latest backup of this meeting and how to restore it."""
    _meeting, out = backed_up
    db = demo_templates.copy(Step.PUBLICITY, tmp_path / "meeting.sqlite3")
    with Conclave(db) as app:
        assert app.backups.check().ok
    shutil.copyfile(out, tmp_path / "meeting-20990101-0000.conclave-backup")
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE audit_event SET actor = 'someone else' WHERE seq = 5")
    conn.close()
    with Conclave(db) as app:
        health = app.backups.check()
        assert not health.ok and "#5" in health.problems[0] and "审计日志" in health.problems[0].zh  # type: ignore[attr-defined]
    code = main(["documents", "--db", str(db), "--out", str(tmp_path / "papers")])
    err = capsys.readouterr().err
    assert code == 2 and "[storage.check]" in err and "meeting-20990101-0000.conclave-backup" in err
    assert "conclave restore" in err and "检查未通过" in err
    assert not (tmp_path / "papers").exists()


def test_the_real_command_at_the_real_cost(demo_templates: Templates, tmp_path: Path) -> None:
    """The command as run (a fresh interpreter, the passphrase from the environment, scrypt at its real
    cost), then restored in-process after the meeting's folder is gone: the record is identical."""
    meeting = Meeting(tmp_path / "m", demo_templates)
    out = tmp_path / "m.conclave-backup"
    made = subprocess.run([sys.executable, "-m", "app.cli", "backup", "--db", str(meeting.db), "--out", str(out)],
                          env=dict(os.environ, CONCLAVE_PASSPHRASE=DEMO_PASSPHRASE, PYTHONPATH=str(ROOT)),
                          capture_output=True, text=True, encoding="utf-8", timeout=120, check=False)
    assert made.returncode == 0, made.stderr
    assert "backup written (已写入备份)" in made.stdout and "intact" in made.stdout
    assert backup_file.read_header(out).fields["kdf"]["n"] == REAL_COST == 1 << 17
    before, after = tmp_path / "before.json", tmp_path / "after.json"
    assert main(["export-record", "--db", str(meeting.db), "--out", str(before)]) == 0
    shutil.rmtree(meeting.folder)
    assert main(["restore", str(out), "--db", str(meeting.db), "--passphrase-file", str(meeting.passphrase)]) == 0
    assert main(["export-record", "--db", str(meeting.db), "--out", str(after)]) == 0
    assert before.read_bytes() == after.read_bytes()
