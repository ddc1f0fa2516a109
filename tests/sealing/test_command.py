"""``conclave verify`` as a person uses it: exit codes and the words on the terminal."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from app import cli
from app.commands import verify as command
from app.errors import RuleViolation
from app.sealing.keys import CommitteeKey, write_root_pem
from app.sealing.qrcheck import (
    CHANGED,
    MATCHES,
    NOT_OURS,
    UNKNOWN,
    JsonDocumentRegistry,
    format_payload,
    parse_payload,
)

from .helpers import append_annotation, change_one_byte, make_pdf, seal

DOC_ID = "2025-GC-minutes-001"
CONTENT_SHA = hashlib.sha256(b"canonical content of the minutes").hexdigest()


@pytest.fixture(scope="module")
def db_template(tmp_path_factory: pytest.TempPathFactory, committee_key: CommitteeKey) -> Path:
    """A real meeting database holding the committee root and one issued document (written
    through the register under the documents service: the session key seals the test files),
    made once for the module; each test gets its own copy (:func:`db`)."""
    import datetime as dt

    from app.services import Conclave
    from app.services.register import DocumentRegister, IssuedDocument
    from app.services.setup import CommitteeInput, PlanInput

    path = tmp_path_factory.mktemp("verify-db") / "meeting.sqlite"
    with Conclave(path) as app:
        opened = app.setup.open_meeting(
            CommitteeInput("测试评委会", "intermediate", "series", "卫生系列", dt.date(2025, 1, 6)),
            PlanInput(year=2025, title="测试", place="会议室", plan_filed=dt.date(2025, 11, 3),
                      meeting_date=dt.date(2025, 11, 20), rubric=[("业绩", 100)], secretary="秘书"))
        cid, mid = opened.committee_id, opened.meeting_id
        register = DocumentRegister(app.store)
        register.store_root("秘书", cid, committee_key.root_certificate_pem(), committee_key.root_fingerprint())
        register.register("秘书", mid, [IssuedDocument(DOC_ID, "minutes", CONTENT_SHA, None, None)])
    return path


@pytest.fixture
def db(tmp_path: Path, db_template: Path) -> Path:
    """A private copy of :func:`db_template` (with its audit trail's heads beside it): a test
    may damage it."""
    for part in db_template.parent.glob(db_template.name + "*"):
        shutil.copyfile(part, tmp_path / part.name)
    return tmp_path / db_template.name


def verify(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = cli.main(["verify", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_unchanged_file_verifies(
    capsys: pytest.CaptureFixture[str], db: Path, sealed: Path
) -> None:
    code, out, err = verify(capsys, "--db", str(db), str(sealed))
    assert code == 0, out + err
    assert "intact and trusted" in out
    assert "committee root SHA-256" in out


def test_one_changed_byte_is_reported_with_exit_1(
    capsys: pytest.CaptureFixture[str], db: Path, sealed: Path
) -> None:
    change_one_byte(sealed, b"passed")
    code, out, err = verify(capsys, "--db", str(db), str(sealed))
    assert code == 1
    assert "changed bytes" in out
    assert "Traceback" not in out + err


def test_appended_changes_are_reported(
    capsys: pytest.CaptureFixture[str], db: Path, sealed: Path
) -> None:
    append_annotation(sealed)
    code, out, _ = verify(capsys, "--db", str(db), str(sealed))
    assert code == 1
    assert "appended changes after signing" in out


def test_another_committees_seal_is_an_unknown_signer(
    capsys: pytest.CaptureFixture[str],
    db: Path,
    tmp_path: Path,
    other_key: CommitteeKey,
    seal_options: dict,
) -> None:
    forged = seal(make_pdf(tmp_path / "p.pdf"), tmp_path / "forged.pdf", other_key, seal_options)
    code, out, _ = verify(capsys, "--db", str(db), str(forged))
    assert code == 1
    assert "unknown signer" in out


@pytest.mark.parametrize("content", [b"", b"garbage" * 100, b"%PDF-1.7\ngarbage"])
def test_garbage_is_named_not_a_traceback(
    capsys: pytest.CaptureFixture[str], db: Path, tmp_path: Path, content: bytes
) -> None:
    path = tmp_path / "garbage.pdf"
    path.write_bytes(content)
    code, out, err = verify(capsys, "--db", str(db), str(path))
    assert code == 1
    assert "not a PDF or unreadable" in out
    assert "Traceback" not in out + err


def test_unsigned_file(capsys: pytest.CaptureFixture[str], db: Path, tmp_path: Path) -> None:
    code, out, _ = verify(capsys, "--db", str(db), str(make_pdf(tmp_path / "plain.pdf")))
    assert (code, "not signed" in out) == (1, True)


@pytest.mark.parametrize("args", [[], ["x.pdf", "--qr", "conclave:1:a:b"]])
def test_exactly_one_of_file_or_qr_else_usage_error(
    capsys: pytest.CaptureFixture[str], db: Path, args: list[str]
) -> None:
    code, _, err = verify(capsys, "--db", str(db), *args)
    assert code == 2
    assert "cli.usage" in err


def test_no_committee_root_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, sealed: Path
) -> None:
    code, _, err = verify(capsys, "--db", str(tmp_path / "other.sqlite"), str(sealed))
    assert code == 2
    assert "storage.missing" in err and "other.sqlite" in err


def test_without_db_the_root_beside_the_default_key_is_used(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    committee_key: CommitteeKey,
    sealed: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    key_path = tmp_path / "data" / "committee-key.p12"
    key_path.parent.mkdir()
    write_root_pem(committee_key, key_path.with_name(key_path.name + ".root.pem"))
    monkeypatch.setattr(command, "default_key_path", lambda: key_path)
    code, out, _ = verify(capsys, str(sealed))
    assert code == 0, out
    assert command.trust_roots_for(None) == [committee_key.root]


class TestQr:
    def test_a_matching_sheet(self, capsys: pytest.CaptureFixture[str], db: Path) -> None:
        code, out, _ = verify(capsys, "--db", str(db), "--qr", format_payload(DOC_ID, CONTENT_SHA))
        assert code == 0
        assert f"document {DOC_ID}: {MATCHES}" in out

    def test_scanner_noise_and_upper_case_are_tolerated(
        self, capsys: pytest.CaptureFixture[str], db: Path
    ) -> None:
        text = f"  conclave:1:{DOC_ID}:{CONTENT_SHA.upper()}\n"
        assert verify(capsys, "--db", str(db), "--qr", text)[0] == 0

    def test_a_changed_sheet(self, capsys: pytest.CaptureFixture[str], db: Path) -> None:
        other = hashlib.sha256(b"edited minutes").hexdigest()
        code, out, _ = verify(capsys, "--db", str(db), "--qr", format_payload(DOC_ID, other))
        assert code == 1
        assert CHANGED in out

    def test_an_unknown_document(self, capsys: pytest.CaptureFixture[str], db: Path) -> None:
        code, out, _ = verify(
            capsys, "--db", str(db), "--qr", format_payload("NOPE-1", CONTENT_SHA)
        )
        assert code == 1
        assert UNKNOWN in out

    @pytest.mark.parametrize(
        "text",
        [
            "https://example.org/",
            "conclave:3:x:" + "a" * 64,         # version 2 is a signed result sheet (test_qrfacts)
            "conclave:1:x:abc",
            "conclave:1::" + "a" * 64,
            "",
        ],
    )
    def test_not_our_code(self, capsys: pytest.CaptureFixture[str], db: Path, text: str) -> None:
        code, out, err = verify(capsys, "--db", str(db), "--qr", text)
        assert code == 1
        assert NOT_OURS in out
        assert "Traceback" not in err

    def test_document_ids_may_contain_colons(self) -> None:
        payload = parse_payload(format_payload("2025:GC:001", CONTENT_SHA))
        assert (payload.doc_id, payload.sha256) == ("2025:GC:001", CONTENT_SHA)

    def test_a_damaged_database_is_a_clean_error(
        self, capsys: pytest.CaptureFixture[str], db: Path
    ) -> None:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        db.write_bytes(b"not a database" * 200)
        code, _, err = verify(capsys, "--db", str(db), "--qr", format_payload(DOC_ID, CONTENT_SHA))
        assert code == 2
        assert "storage.unreadable" in err

    def test_an_issued_digest_is_never_replaced(self, tmp_path: Path) -> None:
        registry = JsonDocumentRegistry(tmp_path / "r.json")
        registry.register(DOC_ID, CONTENT_SHA)
        registry.register(DOC_ID, CONTENT_SHA.upper())  # same digest again: harmless
        with pytest.raises(RuleViolation) as caught:
            registry.register(DOC_ID, hashlib.sha256(b"other").hexdigest())
        assert caught.value.rule == "seal.registry"
        assert registry.lookup(DOC_ID) == CONTENT_SHA


#: ``python -m app.cli ARGS…`` run once per line of ``sys.argv[1]`` (JSON: a list of argument
#: lists), in this one process, each run's exit status printed after its output.
RUN_EACH = """
import json, runpy, sys
for args in json.loads(sys.argv[1]):
    sys.argv = ["app/cli.py", *args]
    try:
        runpy.run_module("app.cli", run_name="__main__", alter_sys=True)
    except SystemExit as done:
        print(f"@@exit {done.code}", flush=True)
"""


def test_the_installed_command_prints_no_traceback(tmp_path: Path, db: Path, sealed: Path) -> None:
    """In a real process nobody has set up logging: pyHanko's logged tracebacks must not leak.

    One interpreter runs the command's ``__main__`` three times (an interpreter start with
    pyHanko's imports is most of a second each): the tampered file first, while nothing at all
    has been set up — its verdict is the one pyHanko logs a traceback for (without
    ``verify._quiet_library_logs`` it is on stderr); the command quiets those loggers again on
    each run, so the later runs start as a fresh process would."""
    tampered = Path(shutil.copyfile(sealed, tmp_path / "tampered.pdf"))
    append_annotation(tampered)
    forged = tmp_path / "garbage.pdf"
    forged.write_bytes(b"%PDF-1.7\nnothing")
    env = {**os.environ, "PYTHONWARNINGS": "error"}
    runs = [
        (tampered, "appended changes after signing", 1),
        (sealed, "intact and trusted", 0),
        (forged, "not a PDF or unreadable", 1),
    ]
    done = subprocess.run(
        [sys.executable, "-c", RUN_EACH, json.dumps([["verify", "--db", str(db), str(path)] for path, _, _ in runs])],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        check=False,
    )
    assert done.returncode == 0 and done.stderr == "", done.stdout + done.stderr
    outputs = done.stdout.split("@@exit ")
    assert len(outputs) == len(runs) + 1, done.stdout
    for (path, expected, code), out, after in zip(runs, outputs, outputs[1:], strict=False):
        assert after.split("\n", 1)[0] == str(code), done.stdout
        assert expected in out and str(path) in out


def test_the_printed_code_format_matches_the_documents_package() -> None:
    """app.documents prints the codes, app.sealing reads them: the two must not drift apart."""
    documents_qr = pytest.importorskip("app.documents.qr")
    printed = documents_qr.qr_payload("2025:GC:001", CONTENT_SHA)
    assert printed == format_payload("2025:GC:001", CONTENT_SHA)
    assert parse_payload(printed).doc_id == documents_qr.parse_qr_payload(printed).doc_id
