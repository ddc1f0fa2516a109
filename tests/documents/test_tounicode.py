"""Copy and search must give back 𠈌 (U+2020C) and 䶮 (U+4DAE), not † U+2020."""

from __future__ import annotations

from pathlib import Path

import pytest
from reportlab.pdfbase import ttfonts
from reportlab.pdfgen.canvas import Canvas

from app.documents import DocumentResult
from app.documents.fonts import bundled_faces
from app.documents.tounicode import BFCHAR_BLOCK, UnicodeTTFont, tounicode_cmap, utf16be_hex
from tests.documents.helpers import flat, pdftotext, pypdf_text

RARE = "王䶮 李𠈌 徐𡒄 张堃 陈喆 刘昇"


def test_utf16be_hex_writes_surrogate_pairs() -> None:
    assert utf16be_hex(0x4DAE) == "4DAE"
    assert utf16be_hex(0x2020C) == "D840DE0C"
    assert utf16be_hex(0x21484) == "D845DC84"
    assert bytes.fromhex(utf16be_hex(0x2020C)).decode("utf-16-be") == "𠈌"
    with pytest.raises(ValueError):
        utf16be_hex(0x110000)


def test_cmap_blocks_hold_at_most_100_entries() -> None:
    cmap = tounicode_cmap("AAAAAA+X", list(range(0x4E00, 0x4E00 + 256)))
    counts = [int(line.split()[0]) for line in cmap.splitlines() if line.endswith("beginbfchar")]
    assert counts == [BFCHAR_BLOCK, BFCHAR_BLOCK, 56]
    assert "<FF> <4EFF>" in cmap


def _pdf(path: Path, font_name: str) -> Path:
    canv = Canvas(str(path), invariant=1)
    canv.setFont(font_name, 14)
    canv.drawString(72, 720, RARE)
    canv.save()
    return path


@pytest.mark.parametrize("tool", ["pypdf", "pdftotext"])
def test_rare_characters_round_trip(tmp_path: Path, tool: str) -> None:
    serif, ext_b = bundled_faces()
    # 𡒄 is only in the Ext B font: draw it with that font on a second line.
    path = tmp_path / "rare.pdf"
    canv = Canvas(str(path), invariant=1)
    canv.setFont(serif.name, 14)
    canv.drawString(72, 720, "王䶮 李𠈌 张堃 陈喆 刘昇")
    canv.setFont(ext_b.name, 14)
    canv.drawString(72, 690, "𡒄")
    canv.save()
    text = flat(pypdf_text(path)[0] if tool == "pypdf" else pdftotext(path))
    assert text == "王䶮李𠈌张堃陈喆刘昇𡒄"
    assert "†" not in text


def test_reportlab_alone_gets_it_wrong(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The bug we fix is real: without our override, 𠈌 comes back as † (U+2020)."""
    assert "<2020C>" in ttfonts.makeToUnicodeCMap("X", [0, 0x2020C])  # odd-length hex
    serif, _ = bundled_faces()
    monkeypatch.setattr(UnicodeTTFont, "addObjects", ttfonts.TTFont.addObjects)
    text = flat(pdftotext(_pdf(tmp_path / "plain.pdf", serif.name)))
    assert "𠈌" not in text
    assert "†" in text


def test_documents_keep_rare_names(built: dict[str, DocumentResult]) -> None:
    for name in ("minutes", "results", "votes"):
        path = built[name].path
        for text in (flat(pdftotext(path)), flat("".join(pypdf_text(path)))):
            for person in ("王䶮", "李𠈌", "徐𡒄", "张堃", "陈喆", "刘昇"):
                assert person in text, (name, person)
