"""The transport's own parts: the pinned certificate, the journal, the wire form, the QR text."""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.domain import Step
from app.errors import RuleViolation
from app.lan.client import StationClient
from app.lan.host import SUBMIT_WORKERS, Host, listen_addresses, pairing_qr_text, parse_pairing_qr
from app.lan.journal import Entry, Journal
from app.lan.messages import HOST_KEEP_ALIVE
from app.lan.tls import cert_paths_for, normal_fingerprint
from app.lan.wire import from_wire, to_wire
from app.services.terminals import BallotItem, ExpertTasks, OpenBallot, ReviewItem
from app.storage.schema import audit_event
from tests.demo_templates import Templates

from .conftest import MID, meeting_copy, open_round


def _audit_count(app) -> int:  # type: ignore[no-untyped-def]
    with app.store.read() as conn:
        return int(conn.execute(select(func.count()).select_from(audit_event)).scalar_one())


def test_a_wrong_fingerprint_is_refused_before_anything_is_sent(demo_templates: Templates, tmp_path: Path) -> None:
    app = meeting_copy(demo_templates, Step.PLENARY, tmp_path / "m.sqlite3")
    with app, Host(app, MID, "127.0.0.1") as host:
        before = _audit_count(app)
        wrong = "AB" * 32
        client = StationClient(host.address, wrong, tmp_path / "t")
        with pytest.raises(RuleViolation) as info:
            client.pair("123456", "终端1")
        assert info.value.rule == "lan.fingerprint"
        assert "指纹" in info.value.violations[0].zh and "not the fingerprint typed" in str(info.value)
        assert not client.paired and _audit_count(app) == before      # the host heard nothing
        client.close()


def test_the_pin_is_the_certificate_itself_another_host_at_the_address_is_refused(
        demo_templates: Templates, tmp_path: Path) -> None:
    """A terminal paired with one host, pointed (same address, same journal) at a host with another
    certificate: the TLS handshake itself fails, and the refusal says so (nothing is sent)."""
    app = meeting_copy(demo_templates, Step.PLENARY, tmp_path / "a.sqlite3")
    other = meeting_copy(demo_templates, Step.PLENARY, tmp_path / "b.sqlite3")
    with app, other:
        host = Host(app, MID, "127.0.0.1")
        host.start()
        journal = tmp_path / "t"
        client = StationClient(host.address, host.fingerprint, journal)
        client.journal.put(certificate=(cert_paths_for(app.path)[0]).read_text("ascii"), token="x" * 32)
        port = host.port
        host.stop(grace=0)
        impostor = Host(other, MID, "127.0.0.1", port)       # another certificate at the same address
        assert impostor.fingerprint != host.fingerprint
        impostor.start()
        try:
            with pytest.raises(RuleViolation) as info:
                client.hello()
            assert info.value.rule == "lan.certificate"
        finally:
            client.close()
            impostor.stop(grace=0)


def test_the_host_keeps_its_certificate_beside_the_database(demo_templates: Templates, tmp_path: Path) -> None:
    app = meeting_copy(demo_templates, Step.PLENARY, tmp_path / "m.sqlite3")
    with app:
        first = Host(app, MID, "127.0.0.1", key_passphrase=b"host key passphrase")
        again = Host(app, MID, "127.0.0.1", key_passphrase=b"host key passphrase")
        assert first.fingerprint == again.fingerprint and len(normal_fingerprint(first.fingerprint)) == 64
        _, key = cert_paths_for(app.path)
        assert b"ENCRYPTED" in key.read_bytes() and key.stat().st_mode & 0o077 == 0
        with pytest.raises(RuleViolation) as info:
            Host(app, MID, "127.0.0.1", key_passphrase=b"another one")
        assert info.value.rule == "lan.host_key"


def test_the_journal_forgets_a_ballot_on_acknowledgement(tmp_path: Path) -> None:
    journal = Journal(tmp_path / "j.sqlite3")
    marker = "QQ-SECRET-CHOICE-QQ"
    journal.add(Entry("5b0c8f52-98c1-4c36-9b8b-38bb4cc0a0f1", "E01", "s" * 32, "ballot",
                      {"round_id": 1, "choices": {marker: "yes"}}))
    assert journal.count() == 1
    journal.remove("5b0c8f52-98c1-4c36-9b8b-38bb4cc0a0f1")
    journal.close()
    for f in tmp_path.iterdir():                 # the file, its WAL and shared memory: zeroed or emptied
        assert marker.encode() not in f.read_bytes(), f.name


def test_an_entrys_body_is_encoded_once_the_journal_and_the_request_carry_the_same_text(tmp_path: Path) -> None:
    """A 1,500-choice ballot is written as JSON once on the terminal: the journal keeps that text, and the
    request — sent at once or again from the journal after a restart — carries it byte for byte."""
    from app.lan.client import _entry_request
    from app.lan.messages import SUBMIT

    choices = {f"C{i:04d}": ("yes", "no", "abstain")[i % 3] for i in range(1500)}
    choices["C甲"] = "yes"                                    # not ASCII: kept as it is, not escaped
    entry = Entry("5b0c8f52-98c1-4c36-9b8b-38bb4cc0a0f1", "E01", "s" * 32, "ballot",
                  {"round_id": 7, "choices": choices})
    journal = Journal(tmp_path / "j.sqlite3")
    journal.add(entry)
    [again] = journal.pending()
    journal.close()
    assert again == entry and again.body_json == entry.body_json and "C甲" in entry.body_json
    sent = _entry_request(entry)
    assert _entry_request(again) == sent and entry.body_json.encode() in sent
    checked = SUBMIT.validate_json(sent)                     # what the host makes of it: the same entry
    assert (checked.entry_id, checked.kind, checked.session) == (entry.entry_id, "ballot", "s" * 32)
    assert checked.body.round_id == 7 and checked.body.choices == choices


@pytest.mark.parametrize("kind, body", [
    ("commitment", {}),
    ("scores", {"candidate": "C001", "points": {"业绩": 58, "成果": 0, "论文\t“引号”": 31}}),
    ("question", {"candidate": "C甲", "text": 'line one\nline "two" \\ 𠀀 \u2028 \x00\x1f\x7f', "answer": ""}),
    ("question_review", {"question_id": 2**53}),
    ("ballot", {"round_id": 1, "choices": {"C001": "yes", "C𠮷": "abstain"}}),
])
def test_an_entrys_text_is_the_standard_librarys_compact_json(kind: str, body: dict[str, object]) -> None:
    """The body's text is what :mod:`json` writes compactly with non-ASCII kept (escapes, control
    characters, characters beyond the BMP alike): a journal an older terminal wrote reads the same."""
    entry = Entry("5b0c8f52-98c1-4c36-9b8b-38bb4cc0a0f1", "E01", "s" * 32, kind, body)
    assert entry.body_json == json.dumps(body, ensure_ascii=False, separators=(",", ":"))
    assert json.loads(entry.body_json) == body


def test_the_wire_form_of_an_experts_tasks_comes_back_as_the_same_dataclass() -> None:
    tasks = ExpertTasks(
        member_code="E01", name="评委甲", role="expert", step=Step.BALLOT, committee="某评委会", meeting="2026年度",
        commitment_open=False, commitment_signed=True, review_open=False, rubric=(("业绩", 60), ("成果", 40)),
        review=(ReviewItem("C001", "申报人", "单位", "中级", "内科", {"业绩": 50}, 1),),
        ballot=OpenBallot(3, 1, "first", None, (BallotItem("C001", "申报人", "单位", "中级", "内科", True),)))
    wire = json.loads(json.dumps(to_wire(tasks)))
    assert from_wire(ExpertTasks, wire) == tasks
    wire["a_field_of_a_newer_host"] = 1               # dropped, not fatal
    assert from_wire(ExpertTasks, wire) == tasks


def test_the_pairing_qr_text_carries_address_fingerprint_and_code() -> None:
    text = pairing_qr_text("192.168.1.10:8443", "AB CD" * 16, "K7P-2Q9")
    assert parse_pairing_qr(text) == ("192.168.1.10:8443", "ABCD" * 16, "K7P-2Q9")
    with pytest.raises(RuleViolation) as info:
        parse_pairing_qr("https://example.com/")
    assert info.value.rule == "lan.qr"


def test_the_interfaces_offered_are_addresses_never_the_wildcard() -> None:
    found = listen_addresses()
    assert found and all(ip != "0.0.0.0" for _, ip in found)
    assert found[-1][1].startswith("127.")          # loopback last: a real network first


def test_the_command_line_sends_bench_terminals_to_the_lan_bench(capsys: pytest.CaptureFixture[str]) -> None:
    from app.cli import COMMANDS, main

    assert main(["bench", "--terminals", "0", "--candidates", "1500"]) == 2     # the LAN bench's refusal
    said = capsys.readouterr().err
    assert "--terminals is the bench meeting's experts" in said and "--terminals 为评审专家人数" in said
    assert main(["bench", "--terminals", "41", "--runs", "0"]) == 2
    assert "--runs 至少 1 次" in capsys.readouterr().err
    assert COMMANDS["terminal"][0] == "ui.terminal_app"


def test_a_terminal_sends_after_a_pause_on_the_connection_it_has(lan_at, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    """An expert who thinks for twenty seconds before pressing submit sends on the TLS connection the
    terminal already has (httpx's own default would have dropped it after 5 s: a new handshake on
    the host for every such entry); past the host's keep-alive the terminal opens a new one."""
    import httpcore._sync.http11 as pooled

    lan = lan_at(Step.PLENARY)
    client = lan.client("终端1")
    client.hello()
    held = lan.host._server.server_state.connections
    first = set(held)

    def later(seconds: float) -> None:
        monkeypatch.setattr(pooled, "time", type("Clock", (), {"monotonic": staticmethod(
            lambda: time.monotonic() + seconds)}))

    later(20)
    client.hello()
    assert set(held) == first                     # no connection made: no handshake
    later(20 + HOST_KEEP_ALIVE)
    client.hello()
    assert set(held) - first                      # the host would have closed that one: a new one


def test_a_burst_of_ballots_is_stored_from_the_submits_own_two_threads(lan_at, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    """Experts pressing submit at once: their ballots are all stored, each by one of the submits'
    own :data:`SUBMIT_WORKERS` threads — not by a thread each of the shared pool, where the ballot being
    written waited for the interpreter behind the others' JSON."""
    from concurrent.futures import ThreadPoolExecutor

    lan = lan_at(Step.PLENARY)
    app = lan.app
    experts = [x.code for x in app.views.members(MID) if x.role == "expert"][:4]
    terminals = [lan.client(f"终端{i + 1}") for i in range(len(experts))]
    sessions = [lan.sign_in(t, e) for t, e in zip(terminals, experts, strict=True)]
    rid = open_round(app, MID, [x.code for x in app.views.members(MID) if x.role == "expert"])
    codes = [c.code for c in app.views.candidates(MID)]
    threads: set[str] = set()
    submit = app.stations.submit

    def noted(*args, **kwargs):  # type: ignore[no-untyped-def]
        threads.add(threading.current_thread().name)
        return submit(*args, **kwargs)

    monkeypatch.setattr(app.stations, "submit", noted)
    with ThreadPoolExecutor(len(terminals)) as pool:
        acks = list(pool.map(lambda j: j[0].submit(j[1], "ballot", {"round_id": rid, "choices": {
            c: "yes" for c in codes}}), zip(terminals, sessions, strict=True)))
    assert [a.status for a in acks] == ["accepted"] * len(terminals)
    assert 1 <= len(threads) <= SUBMIT_WORKERS and all(n.startswith("conclave-submit") for n in threads), threads
