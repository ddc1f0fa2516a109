"""The documents service: the committee key only by an explicit call, documents refused
without it, and writing, sealing, registering and checking on a real stored meeting."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from app.domain import Step
from app.errors import RuleViolation
from app.sealing.keys import create_committee_key, load_committee_key
from app.services import Conclave
from app.storage.schema import audit_event
from tests.demo_templates import without_key

from .conftest import MakeApp

PASSPHRASE = "评审会 口令 correct horse 2025"


def _actions(app: Conclave) -> list[str]:
    with app.store.read() as conn:
        return list(conn.execute(select(audit_event.c.action).order_by(audit_event.c.seq)).scalars())


def _files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


def test_documents_are_refused_without_a_key_and_nothing_is_written_or_registered(
        demo_at: MakeApp, tmp_path: Path) -> None:
    app, mid = demo_at(Step.SIGNING)
    without_key(app)                                  # the demo makes its key at setup
    before = _actions(app)
    for passphrase in (PASSPHRASE, None):         # sealed or not: the key comes first
        with pytest.raises(RuleViolation) as refused:
            app.documents.write("秘书", mid, tmp_path / "out", passphrase)
        assert refused.value.rule == "documents.no_key"
        assert "create the committee key first" in str(refused.value.violations[0].message)
        assert "请先创建评委会签章密钥" in refused.value.violations[0].message.zh  # type: ignore[attr-defined]
    with pytest.raises(RuleViolation, match=r"documents\.no_key"):
        app.documents.archive("秘书", mid, tmp_path / "archive", documents=True, passphrase=PASSPHRASE)
    assert _files(tmp_path / "out") == [] and _files(tmp_path / "archive") == []
    assert app.documents.issued(mid) == [] and app.views.meeting(mid).archived_path is None
    assert _actions(app) == before                     # no audit event: nothing happened
    status = app.documents.key_status(mid)
    assert not status.exists and status.root_fingerprint is None and not status.path.exists()  # no side effect


def test_the_key_is_made_only_by_create_key_once_and_then_seals(demo_at: MakeApp, tmp_path: Path) -> None:
    app, mid = demo_at(Step.SIGNING)
    without_key(app)                                  # the demo makes its key at setup
    status = app.documents.create_key("秘书", mid, PASSPHRASE)
    assert status.exists and status.path == app.store.path.with_name(app.store.path.stem + ".committee-key.p12")
    key = load_committee_key(status.path, PASSPHRASE)
    assert status.root_fingerprint == key.root_fingerprint() == app.documents.key_status(mid).root_fingerprint
    assert _actions(app)[-1] == "seal.key.create"
    assert app.documents.trust_roots(mid) == [key.root]

    data = status.path.read_bytes()
    with pytest.raises(RuleViolation) as twice:
        app.documents.create_key("秘书", mid, "another passphrase, 7 rivers")
    assert twice.value.rule == "seal.key_exists" and "已有评委会签章密钥" in twice.value.violations[0].message.zh  # type: ignore[attr-defined]
    assert status.path.read_bytes() == data and _actions(app)[-1] == "seal.key.create"

    with pytest.raises(RuleViolation) as wrong:                      # refused before anything is written
        app.documents.write("秘书", mid, tmp_path / "wrong", "not the passphrase")
    assert wrong.value.rule == "seal.passphrase" and _files(tmp_path / "wrong") == []
    assert app.documents.issued(mid) == []

    # each candidate's own sealed sheet (handouts) is not what this is about: tests/engine/test_final_archive.py
    report = app.documents.write("秘书", mid, tmp_path / "out", PASSPHRASE, handouts=False)
    written = {doc.kind: doc for doc in report.written}
    for kind in ("minutes", "result-sheets"):
        assert written[kind].sealed and written[kind].verdict is not None and written[kind].verdict.ok
        assert app.documents.verify_pdf(written[kind].path, mid).ok
    assert not written["vote-summary"].sealed and written["vote-summary"].verdict is None
    assert {p.name for p in _files(tmp_path / "out")} == {doc.path.name for doc in report.written}
    issued = app.documents.issued(mid)
    assert report.registered == len(issued) > len(report.written)   # every document, and every sheet
    sheet = next(d for d in issued if d.kind == "result-sheets-sheet")
    assert sheet.path == str(written["result-sheets"].path)          # without handouts: in the combined file
    assert not [p for p in _files(tmp_path / "out") if p.name.startswith("02_评审结论_C")]
    assert app.documents.check_qr(f"conclave:1:{sheet.doc_id}:{sheet.sha256}", mid).ok
    assert not app.documents.check_qr(f"conclave:1:{sheet.doc_id}:{'0' * 64}").ok
    assert not app.documents.check_qr(f"conclave:1:{sheet.doc_id}:{sheet.sha256}", mid + 1).ok


def test_a_weak_passphrase_is_refused_by_the_rule_the_window_shows_and_no_key_is_made(demo_at: MakeApp) -> None:
    """The same rule as the window's strength (passphrase_strength) and the CLI's: the meeting's own
    words (its committee, series, year, place, staff) count among the first guesses."""
    app, mid = demo_at(Step.SIGNING)
    without_key(app)                                  # the demo makes its key at setup
    plan = app.views.plan(mid)
    before = _actions(app)
    for weak in ("short", "1234567890", "password2026", f"{plan.committee}{plan.year}", f"{plan.field}评审{plan.year}"):
        check = app.documents.passphrase_strength(mid, weak)
        assert not check.accepted and check.problem is not None
        with pytest.raises(RuleViolation) as refused:
            app.documents.create_key("秘书", mid, weak)
        violation = refused.value.violations[0]
        assert violation.rule == "seal.passphrase" and violation.message == check.problem
        assert "too easy to guess" in violation.message and "签章口令太容易被猜到" in violation.text("zh")
        assert "至少10个字符" in violation.text("zh")
    own = app.documents.passphrase_strength(mid, plan.committee).problem
    assert own is not None and "本评委会自己的信息" in own.zh
    assert app.documents.passphrase_strength(mid, PASSPHRASE).accepted
    status = app.documents.key_status(mid)
    assert not status.exists and not status.path.exists() and status.root_fingerprint is None
    assert _actions(app) == before                                   # refused: no audit event


def test_a_refused_or_lost_key_is_never_replaced_by_a_new_one(demo_at: MakeApp, tmp_path: Path) -> None:
    app, mid = demo_at(Step.SIGNING)
    without_key(app)                                  # the demo makes its key at setup
    for passphrase, rule in (("", "seal.passphrase"), ("short", "seal.passphrase")):
        with pytest.raises(RuleViolation, match=rule):
            app.documents.create_key("秘书", mid, passphrase)
        assert not app.documents.key_status(mid).path.exists()     # nothing half-made
    status = app.documents.create_key("秘书", mid, PASSPHRASE)
    status.path.unlink()                                             # the key file is lost
    with pytest.raises(RuleViolation) as lost:
        app.documents.write("秘书", mid, tmp_path / "out", PASSPHRASE)
    assert lost.value.rule == "seal.root" and "restore" in str(lost.value)
    with pytest.raises(RuleViolation, match=r"seal\.root"):
        app.documents.create_key("秘书", mid, PASSPHRASE)            # a new key would orphan the old seals
    assert not status.path.exists()

    create_committee_key("另一个评审委员会", PASSPHRASE, status.path)   # somebody else's key in its place
    with pytest.raises(RuleViolation) as foreign:
        app.documents.write("秘书", mid, tmp_path / "out", PASSPHRASE)
    assert foreign.value.rule == "seal.root" and "not the committee key" in str(foreign.value)
    assert _files(tmp_path / "out") == [] and app.documents.issued(mid) == []


def test_a_key_file_carried_over_has_its_root_recorded_when_first_used(demo_at: MakeApp, tmp_path: Path) -> None:
    """A database without a root, beside a key file (restored, or carried over from another
    database): its first sealed run records that root, and the seals verify against it."""
    app, mid = demo_at(Step.SIGNING)
    without_key(app)                                  # the demo makes its key at setup
    key = create_committee_key("某评审委员会", PASSPHRASE, app.documents.key_status(mid).path)
    assert app.documents.key_status(mid).root_fingerprint is None
    with pytest.raises(RuleViolation, match=r"seal\.root"):
        app.documents.trust_roots(mid)
    report = app.documents.write("秘书", mid, tmp_path / "out", PASSPHRASE, handouts=False)
    assert app.documents.key_status(mid).root_fingerprint == key.root_fingerprint()
    assert all(doc.verdict and doc.verdict.ok for doc in report.written if doc.sealed)
    assert "seal.root" in _actions(app)


def test_two_creations_at_once_leave_one_working_key(demo_at: MakeApp) -> None:
    """Two windows (or a double click) creating the key at the same moment: one key is made and
    recorded, the other attempt is refused, and the key on disk is the one whose root is recorded."""
    import threading

    app, mid = demo_at(Step.SIGNING)
    without_key(app)
    created_before = _actions(app).count("seal.key.create")        # the demo's own, at its setup
    start = threading.Barrier(2)
    made: list[object] = []
    refused: list[str] = []

    def create(passphrase: str) -> None:
        start.wait()
        try:
            made.append(app.documents.create_key("秘书", mid, passphrase))
        except RuleViolation as exc:
            refused.append(exc.rule)

    threads = [threading.Thread(target=create, args=(p,)) for p in (PASSPHRASE, "另一个 口令 purple rivers 2026")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(made) == 1 and len(refused) == 1
    assert refused[0] in ("seal.key_busy", "seal.key_exists", "seal.root")
    status = app.documents.key_status(mid)
    passphrase = ""
    for candidate in (PASSPHRASE, "另一个 口令 purple rivers 2026"):
        try:
            key = load_committee_key(status.path, candidate)
        except RuleViolation:
            continue
        assert key.root_fingerprint() == status.root_fingerprint      # the recorded root signs
        passphrase = candidate
    assert passphrase and _actions(app).count("seal.key.create") == created_before + 1
    assert not list(status.path.parent.glob("*.pending*"))


def test_a_key_whose_rename_a_crash_cut_off_is_put_in_place(demo_at: MakeApp, tmp_path: Path) -> None:
    """The key written under its pending name and its root recorded, then the power went: the next
    look at the key finds it, puts it in place, and documents are sealed with it."""
    from app.sealing.keys import root_pem_path_for

    app, mid = demo_at(Step.SIGNING)
    without_key(app)
    status = app.documents.create_key("秘书", mid, PASSPHRASE)
    pending = status.path.with_name(status.path.name + ".pending")
    status.path.replace(pending)                              # the state the crash left
    root_pem_path_for(status.path).replace(root_pem_path_for(pending))
    again = app.documents.key_status(mid)
    assert again.exists and again.root_fingerprint == status.root_fingerprint and not pending.exists()
    assert load_committee_key(again.path, PASSPHRASE).root_fingerprint() == status.root_fingerprint


def test_a_pending_key_whose_root_was_never_recorded_is_not_used(demo_at: MakeApp) -> None:
    """The power went before the root was recorded: no key is in place, and creating it again works."""
    app, mid = demo_at(Step.SIGNING)
    without_key(app)
    path = app.documents.key_status(mid).path
    create_committee_key("某市卫生系列中级职称评审委员会", PASSPHRASE, path.with_name(path.name + ".pending"))
    assert not app.documents.key_status(mid).exists
    status = app.documents.create_key("秘书", mid, PASSPHRASE)
    assert status.exists and load_committee_key(status.path, PASSPHRASE).root_fingerprint() == status.root_fingerprint
