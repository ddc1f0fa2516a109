"""``conclave recount``: acceptance records, every rule id, and no traceback for any input."""

from __future__ import annotations

import copy
import json
import math
import subprocess
import sys
import tempfile
from contextlib import redirect_stderr
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.cli import main
from app.record.recount import recount
from app.rules.calendar import WorkCalendar
from tests.examples import examples

ACCEPTANCE = Path(__file__).resolve().parents[1] / "acceptance" / "record"
RECORDS = sorted(p for p in ACCEPTANCE.glob("*.json") if not p.name.endswith(".expected.json"))

#: The rule ids of spec/meeting-record.md that apply to record files.
RECORD_RULES = {
    "format.version", "format.unknown_field", "format.missing_field", "format.value",
    "panel.odd", "panel.minimum", "group.minimum", "candidate.duplicate",
    "candidate.id_number", "expert.duplicate", "ballot.count", "ballot.unknown_candidate",
    "ballot.choice", "runoff.candidates", "publicity.late", "calendar.unknown_year",
}


def _expected(record: Path) -> dict[str, Any]:
    return json.loads(record.with_suffix(".expected.json").read_text(encoding="utf-8"))


def _run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(args)
    return code, capsys.readouterr().err


# -- acceptance records ---------------------------------------------------------------

@pytest.mark.parametrize("record", RECORDS, ids=lambda p: p.stem)
def test_acceptance_record(record: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    expected = _expected(record)
    args = ["recount", str(record), "--out", str(tmp_path)]
    if "calendar" in expected:
        args += ["--calendar", str(ACCEPTANCE / expected["calendar"])]
    code, err = _run(args, capsys)
    result = json.loads((tmp_path / "result.json").read_text(encoding="utf-8"))
    assert code == expected["exit"], err
    if code == 0:
        assert err == ""
        want = expected["result"]
        assert list(result) == list(want)                       # field names and order
        for name in want:
            if name == "candidates":
                assert [c["id"] for c in result[name]] == [c["id"] for c in want[name]]
                for got_c, want_c in zip(result[name], want[name], strict=True):
                    assert got_c == want_c, want_c["id"]
            else:
                assert result[name] == want[name], name
    else:
        assert list(result) == ["errors"]
        got = [(e["rule"], e["message"]) for e in result["errors"]]
        assert [r for r, _ in got] == [e["rule"] for e in expected["errors"]]
        for (_, message), want_e in zip(got, expected["errors"], strict=True):
            assert want_e["message_contains"] in message
        first = expected["errors"][0]["rule"]
        assert err.count("\n") == 1 and err.startswith(f"conclave recount: [{first}] ")
        more = len(got) - 1
        assert err.rstrip().endswith(f"(+{more} more)") if more else "more)" not in err


def test_acceptance_records_cover_every_rule_id() -> None:
    seen = {e["rule"] for r in RECORDS for e in _expected(r).get("errors", [])}
    assert seen == RECORD_RULES


def test_2027_without_its_calendar_is_an_unknown_year(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, err = _run(["recount", str(ACCEPTANCE / "valid_2027.json"), "--out", str(tmp_path)],
                     capsys)
    assert code == 2 and "[calendar.unknown_year]" in err and "2027" in err


def test_console_script_end_to_end(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "conclave-record/1", "committee": [', encoding="utf-8")
    for record, code in ((ACCEPTANCE / "valid_meeting.json", 0), (bad, 2)):
        proc = subprocess.run(
            [sys.executable, "-m", "app.cli", "recount", str(record), "--out", str(tmp_path)],
            capture_output=True, text=True, check=False)
        assert proc.returncode == code, proc.stderr
        assert "Traceback" not in proc.stderr


# -- worked cases -----------------------------------------------------------------------

VALID_TEXT = (ACCEPTANCE / "valid_meeting.json").read_text("utf-8")


def _valid() -> dict[str, Any]:
    """A fresh copy of the valid acceptance record (read once, parsed for each caller)."""
    doc: dict[str, Any] = json.loads(VALID_TEXT)
    return doc


def _rules(doc: Any, cal: WorkCalendar | None = None) -> list[str]:
    return [e["rule"] for e in recount(doc, cal or WorkCalendar())["errors"]]


def test_valid_record_recounts() -> None:
    result = recount(_valid(), WorkCalendar())
    assert result["errors"] == [] and result["threshold"] == 8


@pytest.mark.parametrize("written", ["2026-W47-5", "2026-W47", "20261120", "2026-11-20T00:00",
                                     "２０２６-１１-２０", "2026-1-20 "])
def test_dates_are_exactly_yyyy_mm_dd(written: str) -> None:
    """``date.fromisoformat`` takes ISO week dates and basic-format dates since Python 3.11;
    the spec says dates are exactly YYYY-MM-DD."""
    doc = _valid()
    doc["meeting"]["vote_date"] = written
    errors = recount(doc, WorkCalendar())["errors"]
    assert [e["rule"] for e in errors] == ["format.value"]
    assert errors[0]["message"].startswith("meeting.vote_date: must be a date written YYYY-MM-DD")


@pytest.mark.parametrize("where", ["vote_date", "level", "key"])
def test_a_huge_bad_value_is_quoted_in_80_characters(
        where: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A 5 MB bad value (the issue's 50 MB one is timed in test_drawfile) gives one short line
    and a short error file: at most 80 characters of the value are quoted."""
    doc = _valid()
    huge = "x" * 5_000_000
    if where == "vote_date":
        doc["meeting"]["vote_date"] = huge
    elif where == "level":
        doc["committee"]["level"] = huge
    else:
        doc["committee"][huge] = huge
    record = tmp_path / "record.json"
    record.write_text(json.dumps(doc), encoding="utf-8")
    code, err = _run(["recount", str(record), "--out", str(tmp_path / "out")], capsys)
    assert code == 2 and err.count("\n") == 1 and len(err) < 220
    assert "x" * 80 not in err and "x" * 70 in err
    assert (tmp_path / "out" / "result.json").stat().st_size < 400


def test_chair_and_vice_chair_neither_count_nor_vote() -> None:
    doc = _valid()
    doc["experts"] = [e for e in doc["experts"] if e["role"] == "expert"]
    result = recount(doc, WorkCalendar())
    assert (result["panel_size"], result["attending_voters"]) == (13, 12)


def test_every_expert_absent_means_nobody_can_vote() -> None:
    doc = _valid()
    doc["ballots"] = []
    for e in doc["experts"]:
        e["present_at_vote"] = False
    assert _rules(doc) == ["ballot.count"]


@pytest.mark.parametrize(("candidates", "approved", "rules"), [
    (9, True, []), (10, True, ["panel.minimum"]), (9, False, ["panel.minimum"]),
])
def test_reduced_panel_depends_on_nine_or_ten_candidates(
    candidates: int, approved: bool, rules: list[str]
) -> None:
    doc = _valid()
    doc["experts"] = [e for e in doc["experts"] if e["id"] not in ("E10", "E11", "E12", "E13")]
    doc["candidates"] = [c for c in doc["candidates"] if "quota_key" not in c][:candidates]
    doc.pop("quotas")
    kept = {c["id"] for c in doc["candidates"]}
    doc["ballots"] = [{k: v for k, v in b.items() if k in kept} for b in doc["ballots"][:9]]
    doc["meeting"]["reduced_panel_approved"] = approved
    for row in doc["experts"] + doc["candidates"]:
        row.pop("group", None)
    assert _rules(doc) == rules        # 9 experts: the reduced minimum of an intermediate committee


def test_cross_checks_are_format_values() -> None:
    doc = _valid()
    doc["candidates"][1]["level"] = "副高"                     # not reviewed by this committee
    doc["candidates"][3]["quota_key"] = "没有这个/职数"           # no such quota
    doc["meeting"]["publicity_start"] = "2026-09-29"           # before the vote
    errors = recount(doc, WorkCalendar())["errors"]
    assert [e["rule"] for e in errors] == ["format.value"] * 3
    assert errors[0]["message"].startswith("candidates[1] (C002).level: the intermediate "
                                           "committee (中级评委会) does not review 副高")
    assert errors[1]["message"].startswith("candidates[3] (C004).quota_key: no quota")
    assert errors[2]["message"].startswith("meeting.publicity_start: 2026-09-29 is before")


def test_a_quota_spanning_two_levels_is_refused() -> None:
    doc = _valid()
    doc["committee"].update(level="senior", organized_by="specialty")
    for c in doc["candidates"]:
        c["level"] = "副高"
    doc["candidates"][6]["level"] = "正高"
    errors = recount(doc, WorkCalendar())["errors"]
    assert [e["rule"] for e in errors] == ["format.value"]
    assert "one post at one level" in errors[0]["message"]


def test_runoff_candidates_must_exist_once() -> None:
    doc = _valid()
    doc["runoffs"] = [{"candidates": ["C001", "C999", "C001"], "ballots": []}]
    errors = recount(doc, WorkCalendar())["errors"]
    assert [e["rule"] for e in errors] == ["runoff.candidates", "runoff.candidates"]
    assert "C999 is not a candidate" in errors[0]["message"]
    assert "listed twice" in errors[1]["message"]


def test_bad_calendar_file_is_reported_with_the_record(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cal = tmp_path / "cal.json"
    cal.write_text('{"format": "conclave-calendar/1", "years": {"2027": {}}}', encoding="utf-8")
    code, err = _run(["recount", str(ACCEPTANCE / "err_publicity.json"), "--out",
                      str(tmp_path / "out"), "--calendar", str(cal)], capsys)
    result = json.loads((tmp_path / "out" / "result.json").read_text("utf-8"))
    assert code == 2
    assert [e["rule"] for e in result["errors"]] == [
        "format.missing_field", "format.missing_field", "publicity.late"]
    assert result["errors"][0]["message"].startswith(f"calendar {cal}: years.2027.holidays")
    assert "(+2 more)" in err


# -- bad input never gives a traceback ---------------------------------------------------

GARBAGE = {
    "empty": b"", "blank": b"   ", "words": b"not json", "cut": b"{", "list": b"[]",
    "null": b"null", "number": b"42", "string": b'"text"', "not-utf8": b"\xff\xfe\x00",
    "format-only": b'{"format": "conclave-record/1"}',
    "format-null": b'{"format": null}',
    "duplicate-key": b'{"format": "conclave-record/1", "format": "conclave-record/1"}',
    "deep": b"[" * 100_000 + b"]" * 100_000,
    "deep-field": b'{"format": "conclave-record/1", "committee": {"level": '
                  + b"[" * 990 + b"]" * 990 + b"}}",
    "huge-int": b'{"format": "conclave-record/1", "quotas": {"k": 1' + b"0" * 5000 + b"}}",
    "nan-cap": b'{"format": "conclave-record/1", "meeting": {"vote_date": "2026-11-20", '
               b'"pass_rate_caps": {"\xe6\xad\xa3\xe9\xab\x98": NaN}}}',
    "surrogates": b'{"format": "conclave-record/1", "\\ud800x": 1, '
                  b'"committee": {"name": "\\ud800", "level": "\\udfff"}}',
    "last-date": b'{"format": "conclave-record/1", "meeting": {"vote_date": "9999-12-31"}}',
    "first-date": b'{"format": "conclave-record/1", "meeting": {"vote_date": "0001-01-01"}}',
    "wrong-types": b'{"format": "conclave-record/1", "experts": [null, 1, [], {"id": {}}], '
                   b'"candidates": [{"id": ["C1"], "level": null}], '
                   b'"ballots": [null, [], {"C1": {}}], "runoffs": [null, '
                   b'{"candidates": "C1", "ballots": {}}, {"candidates": [1, null]}]}',
}


@pytest.mark.parametrize("content", GARBAGE.values(), ids=GARBAGE.keys())
def test_garbage_files(content: bytes, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    record = tmp_path / "record.json"
    record.write_bytes(content)
    code, err = _run(["recount", str(record), "--out", str(tmp_path / "out")], capsys)
    assert code == 2
    assert err.count("\n") == 1 and err.startswith("conclave recount: [")
    errors = json.loads((tmp_path / "out" / "result.json").read_text("utf-8"))["errors"]
    assert errors and all(e["rule"] in RECORD_RULES for e in errors)


def test_missing_file_and_directory(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for path in (tmp_path / "nope.json", tmp_path):
        code, err = _run(["recount", str(path), "--out", str(tmp_path / "out")], capsys)
        assert code == 2 and "[format.value]" in err


def test_unwritable_output(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    code, err = _run(["recount", str(ACCEPTANCE / "valid_meeting.json"), "--out",
                      str(blocker / "sub")], capsys)
    assert code == 1 and err.startswith("conclave recount: [file.access] cannot use") and err.count("\n") == 1
    assert f"无法使用{blocker}" in err and "请检查路径后重试" in err, err
    # a path the system cannot even name (a NUL byte): the same rule, one line, both languages
    code, err = _run(["recount", str(ACCEPTANCE / "valid_meeting.json"), "--out", f"{tmp_path}/bad\0dir"], capsys)
    assert code == 1 and "[file.access]" in err and "无法写入" in err and err.count("\n") == 1, err


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True)
    | st.text(max_size=12) | st.sampled_from(["yes", "no", "abstain", "C001", "E01", "中级",
                                             "2026-11-20", "conclave-record/1", "expert"]),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.text(max_size=8) | st.sampled_from(["id", "level", "C001", "group"]),
                      children, max_size=4),
    max_leaves=12,
)


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix]
    if isinstance(node, dict):
        for k, v in node.items():
            out += _paths(v, (*prefix, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            out += _paths(v, (*prefix, i))
    return out


def _check_result(result: dict[str, Any]) -> None:
    json.dumps(result, allow_nan=False)                # always writable, strictly JSON
    assert isinstance(result["errors"], list)
    for e in result["errors"]:
        assert e["rule"] in RECORD_RULES and isinstance(e["message"], str) and e["message"]


@settings(max_examples=examples(300), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(JSON)
def test_fuzz_whole_document(doc: Any) -> None:
    _check_result(recount(doc, WorkCalendar()))


#: Where the first change goes: any place of the valid record (the later ones are drawn from the
#: changed record's places; this one is the same for every example, found once).
VALID_PLACES = st.sampled_from(_paths(_valid())[1:])


@settings(max_examples=examples(400), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_fuzz_mutated_valid_record(data: st.DataObject) -> None:
    doc = _valid()
    for n in range(data.draw(st.integers(1, 3))):
        path = data.draw(st.sampled_from(_paths(doc)[1:]) if n else VALID_PLACES)
        parent = doc
        for step in path[:-1]:
            parent = parent[step]
        if data.draw(st.booleans()) and isinstance(parent, dict):
            del parent[path[-1]]
        else:
            parent[path[-1]] = data.draw(JSON)
    result = recount(copy.deepcopy(doc), WorkCalendar())
    _check_result(result)
    if not result["errors"]:
        assert result["format"] == "conclave-result/1"
        assert all(not (isinstance(v, float) and math.isnan(v)) for v in result.values())


@settings(max_examples=examples(60), deadline=None)
@given(st.binary(max_size=200) | JSON.map(lambda v: json.dumps(v).encode()))
def test_fuzz_bytes(content: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        record = Path(tmp) / "r.json"
        record.write_bytes(content)
        err = StringIO()
        with redirect_stderr(err):
            code = main(["recount", str(record), "--out", tmp])
        assert code == 2
        assert err.getvalue().count("\n") == 1 and err.getvalue().startswith("conclave recount: [")
