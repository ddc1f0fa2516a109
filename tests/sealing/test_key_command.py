"""``conclave key`` and the committee key's place before ``conclave documents``: the key is made
by one explicit command, never twice, and documents without it are refused with the way out."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest

from app import cli
from app.commands import key as key_command
from app.errors import RuleViolation
from app.sealing.keys import load_committee_key
from app.services import Conclave
from app.services.setup import CommitteeInput, PlanInput

from .conftest import PASSPHRASE


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """A real meeting database with one meeting and no committee key."""
    path = tmp_path / "meeting.sqlite3"
    with Conclave(path) as app:
        app.setup.open_meeting(
            CommitteeInput("测试评委会", "intermediate", "series", "卫生系列", dt.date(2025, 1, 6)),
            PlanInput(year=2025, title="测试", place="会议室", plan_filed=dt.date(2025, 11, 3),
                      meeting_date=dt.date(2025, 11, 20), rubric=[("业绩", 100)], secretary="秘书"))
    return path


@pytest.fixture
def passphrase_file(tmp_path: Path) -> Path:
    path = tmp_path / "pass.txt"
    path.write_text(PASSPHRASE + "\n", "utf-8")
    return path


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = cli.main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def test_documents_without_a_key_write_nothing_and_say_how_to_create_it(
        capsys: pytest.CaptureFixture[str], db: Path, tmp_path: Path, passphrase_file: Path) -> None:
    out = tmp_path / "out"
    code, _, err = run(capsys, "documents", "--db", db, "--out", out, "--passphrase-file", passphrase_file)
    assert code == 2
    assert "[documents.no_key]" in err and f"conclave key create --db {db}" in err
    assert not out.exists()
    with Conclave(db) as app:
        assert not app.documents.key_status(1).exists and app.documents.issued(1) == []


def test_an_output_path_the_system_refuses_is_one_line_naming_it_and_nothing_is_issued(
        capsys: pytest.CaptureFixture[str], db: Path, tmp_path: Path, passphrase_file: Path) -> None:
    """``--out`` naming a file, or a folder under one: one line on stderr, exit status 2, the path and
    the system's reason in both languages — no traceback — and no document written or registered."""
    assert run(capsys, "key", "create", "--db", db, "--passphrase-file", passphrase_file)[0] == 0
    taken = tmp_path / "papers.pdf"
    taken.write_bytes(b"a file, not a folder")
    for command in (("documents", "--out", taken), ("export-record", "--out", taken / "record.json")):
        code, out, err = run(capsys, command[0], "--db", db, *command[1:])
        assert code == 2 and out == "" and err.count("\n") == 1, err
        assert f"[file.access] cannot use {taken}" in err and f"无法使用{taken}" in err, err
        assert "Traceback" not in err
    assert taken.read_bytes() == b"a file, not a folder"
    with Conclave(db) as app:
        assert app.documents.issued(1) == []


def test_key_create_makes_the_key_once_and_records_its_root(
        capsys: pytest.CaptureFixture[str], db: Path, passphrase_file: Path) -> None:
    code, out, _ = run(capsys, "key", "status", "--db", db)
    assert code == 1 and "MISSING" in out

    code, out, err = run(capsys, "key", "create", "--db", db, "--passphrase-file", passphrase_file)
    assert code == 0, err
    with Conclave(db) as app:
        status = app.documents.key_status(1)
    assert status.exists and status.path.parent == db.parent and status.path.stat().st_mode & 0o777 == 0o600
    assert load_committee_key(status.path, PASSPHRASE).root_fingerprint() == status.root_fingerprint
    assert str(status.path) in out and f"{status.root_fingerprint}" in out and "back it up" in out

    data = status.path.read_bytes()
    code, _, err = run(capsys, "key", "create", "--db", db, "--passphrase-file", passphrase_file)
    assert code == 2 and "[seal.key_exists]" in err
    assert status.path.read_bytes() == data

    code, out, _ = run(capsys, "key", "status", "--db", db)
    assert code == 0 and "present" in out and f"{status.root_fingerprint}" in out


def test_a_short_passphrase_is_refused_and_leaves_no_key(
        capsys: pytest.CaptureFixture[str], db: Path, tmp_path: Path) -> None:
    short = tmp_path / "short.txt"
    short.write_text("short", "utf-8")
    code, _, err = run(capsys, "key", "create", "--db", db, "--passphrase-file", short)
    assert code == 2 and "[seal.passphrase]" in err
    with Conclave(db) as app:
        assert not app.documents.key_status(1).path.exists()


@pytest.mark.parametrize("weak", ["测试评委会2025年度", "1234567890", "aaaaaaaaaaaaaaaa", "password2025"])
def test_a_weak_passphrase_is_refused_in_one_line_with_what_to_do(
        capsys: pytest.CaptureFixture[str], db: Path, tmp_path: Path, weak: str) -> None:
    """The rule of the window's strength meter: exit 2, one line in both languages, no key."""
    file = tmp_path / "weak.txt"
    file.write_text(weak + "\n", "utf-8")
    code, out, err = run(capsys, "key", "create", "--db", db, "--passphrase-file", file)
    assert code == 2 and out == "" and err.count("\n") == 1
    assert err.startswith("conclave key: [seal.passphrase] the key passphrase is too easy to guess: ")
    assert "| 签章口令太容易被猜到：" in err and "至少10个字符" in err and weak not in err
    with Conclave(db) as app:
        status = app.documents.key_status(1)
        assert not status.path.exists() and status.root_fingerprint is None
        assert not app.documents.passphrase_strength(1, weak).accepted      # what the window shows


def test_at_the_terminal_a_weak_passphrase_is_refused_before_it_is_asked_again(
        capsys: pytest.CaptureFixture[str], db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[str] = []
    monkeypatch.setattr(key_command.getpass, "getpass", lambda prompt: asked.append(prompt) or "测试评委会2025")
    monkeypatch.setattr(key_command.sys, "stdin", _Terminal())
    monkeypatch.delenv("CONCLAVE_PASSPHRASE", raising=False)
    code, _, err = run(capsys, "key", "create", "--db", db)
    assert code == 2 and "[seal.passphrase]" in err and "至少10个字符" in err
    assert len(asked) == 1                                           # not asked a second time
    with Conclave(db) as app:
        assert not app.documents.key_status(1).path.exists()


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_the_new_passphrase_is_asked_twice(monkeypatch: pytest.MonkeyPatch) -> None:
    answers: list[str] = []
    monkeypatch.setattr(key_command.getpass, "getpass", lambda _prompt: answers.pop(0))
    monkeypatch.setattr(key_command.sys, "stdin", _Terminal())
    answers[:] = [PASSPHRASE, PASSPHRASE]
    assert key_command.ask_new_passphrase() == PASSPHRASE.encode("utf-8")
    for first, second, words in ((PASSPHRASE, PASSPHRASE + "x", "differ"), ("", "", "empty")):
        answers[:] = [first, second]
        with pytest.raises(RuleViolation, match=words) as refused:
            key_command.ask_new_passphrase()
        assert refused.value.rule == "seal.passphrase"
    monkeypatch.setattr(key_command.sys, "stdin", io.StringIO())
    with pytest.raises(RuleViolation, match="--passphrase-file"):
        key_command.ask_new_passphrase()
