"""Canonical content, its digest and the QR payload on every sheet."""

from __future__ import annotations

import datetime as dt
import importlib.util
import re
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pypdf import PdfReader

from app.documents import DocumentResult
from app.documents.model import Outcome
from app.documents.qr import (
    canonical_json,
    canonical_sha256,
    parse_qr_payload,
    qr_matrix,
    qr_payload,
)
from app.errors import RuleViolation
from tests.documents.helpers import pdftotext

SHA = "ab" * 32


def test_canonical_json_is_order_and_notation_free() -> None:
    a = {"b": Decimal("400.00"), "a": [dt.date(2026, 11, 20), Outcome.PASSED, "e\u0301"]}
    b = {"a": [dt.date(2026, 11, 20), "passed", "é"], "b": Decimal("4E+2")}
    assert canonical_json(a) == canonical_json(b)
    assert canonical_json(a) == '{"a":["2026-11-20","passed","é"],"b":"400"}'.encode()
    assert canonical_sha256(a) != canonical_sha256({**a, "b": Decimal(401)})


def test_canonical_content_refuses_what_it_cannot_pin_down() -> None:
    with pytest.raises(ValueError):
        canonical_json({"x": float("nan")})
    with pytest.raises(TypeError):
        canonical_json({"x": object()})


@given(st.text(min_size=1, max_size=128).filter(lambda s: not any(c.isspace() for c in s)),
       st.binary(min_size=32, max_size=32))
def test_payload_round_trips(doc_id: str, digest: bytes) -> None:
    payload = qr_payload(doc_id, digest.hex())
    assert parse_qr_payload(payload).doc_id == doc_id
    assert parse_qr_payload(payload).sha256 == digest.hex()


@pytest.mark.parametrize("text", ["", "conclave:1::" + SHA, "conclave:2:x:" + SHA,
                                  "other:1:x:" + SHA, "conclave:1:x:abc", "conclave:1:a b:" + SHA])
def test_bad_payloads_are_refused(text: str) -> None:
    with pytest.raises(RuleViolation) as err:
        parse_qr_payload(text)
    assert err.value.rule == "seal.qr"


def test_the_sealing_verifier_reads_our_payloads() -> None:
    if importlib.util.find_spec("app.sealing.qrcheck") is None:
        pytest.skip("app.sealing not present")
    from app.sealing.qrcheck import parse_payload

    got = parse_payload(qr_payload("QC2026-WSGJ.result.C002", SHA))
    assert (got.doc_id, got.sha256) == ("QC2026-WSGJ.result.C002", SHA)


def test_every_page_carries_its_sheet_code(built: dict[str, DocumentResult]) -> None:
    for name, result in built.items():
        reader = PdfReader(result.path)
        assert len(reader.pages) == result.pages
        assert sum(s.pages for s in result.sheets) == result.pages, name
        for page in reader.pages:
            xobjects = page["/Resources"]["/XObject"]
            assert any(key.startswith("/FormXob.qr") for key in xobjects), name
        assert re.fullmatch(r"[0-9a-f]{64}", result.sha256)


def test_sheet_ids_and_digests_are_printed(built: dict[str, DocumentResult]) -> None:
    result = built["results"]
    text = pdftotext(result.path)
    for sheet in result.sheets:
        assert f"文档编号 {sheet.doc_id}" in text
        assert sheet.sha256[:32] in text
    assert len({s.sha256 for s in result.sheets}) == len(result.sheets)  # one digest a sheet


def test_qr_matrix_is_a_real_code() -> None:
    m = qr_matrix(qr_payload("QC2026-WSGJ.minutes", SHA))
    assert len(m) == len(m[0]) and (len(m) - 17) % 4 == 0  # versions are 17 + 4k modules
    assert all(m[r][c] for r, c in ((0, 0), (0, 6), (6, 0), (6, 6)))  # finder pattern corner
