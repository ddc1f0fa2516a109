"""Bundled fonts, per-glyph fallback, official system fonts preferred, and embedding."""

from __future__ import annotations

import shutil
from importlib.resources import files
from pathlib import Path

import pytest
from pypdf import PdfReader

from app.documents import DocumentResult, fonts
from app.documents.fonts import BUNDLED_EXT_B, BUNDLED_SERIF, bundled_faces, font_roles

NAMES = "王䶮李𠈌徐𡒄张堃陈喆刘昇"


def _font_dir() -> Path:
    return Path(str(files("resources").joinpath("fonts")))


@pytest.mark.parametrize("filename", [BUNDLED_SERIF, BUNDLED_EXT_B])
def test_bundled_fonts_are_truetype_with_a_licence_beside_them(filename: str) -> None:
    path = _font_dir() / filename
    faces = fonts.read_sfnt_names(path)
    assert len(faces) == 1
    _, families, has_glyf = faces[0]
    assert has_glyf, "reportlab embeds TrueType (glyf) outlines only"
    assert families
    licence = path.with_name(path.stem + ".LICENSE.txt")
    assert licence.is_file() and "License" in licence.read_text("utf-8")
    assert filename in (_font_dir() / "README.md").read_text("utf-8")


def test_every_role_draws_the_rare_names() -> None:
    roles = font_roles(prefer_system=False)
    for role, chain in roles.chains.items():
        assert chain.missing(NAMES) == [], role
    chain = roles.chain("plain")
    serif, ext_b = bundled_faces()
    assert chain.faces == (serif, ext_b)
    assert list(chain.runs("李𡒄明")) == [(0, "李"), (1, "𡒄"), (0, "明")]
    assert chain.face_index(ord("䶮")) == 0  # Ext A is in the main face
    assert chain.face_index(0x30000) == -1  # Ext G: nobody has it


def test_unparseable_files_yield_nothing(tmp_path: Path) -> None:
    bad = tmp_path / "bad.ttf"
    bad.write_bytes(b"not a font at all")
    assert fonts.read_sfnt_names(bad) == []
    assert fonts.read_sfnt_names(tmp_path / "absent.ttf") == []


def test_official_font_on_the_machine_comes_first(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """A 仿宋_GB2312 found in a font folder heads the body chain; bundled fonts follow."""
    fake = tmp_path / "FS_GB2312.ttf"
    shutil.copy(_font_dir() / BUNDLED_SERIF, fake)
    cff = tmp_path / "FZXBS.otf"
    cff.write_bytes(b"OTTO")

    def names(path: Path) -> list[tuple[int, set[str], bool]]:
        if path == fake:
            return [(0, {"仿宋_GB2312"}, True)]
        if path == cff:  # a CFF 方正小标宋: reportlab could not embed it, so it is skipped
            return [(0, {"方正小标宋简体"}, False)]
        return []

    monkeypatch.setattr(fonts, "read_sfnt_names", names)
    monkeypatch.setattr(fonts, "font_dirs", lambda: [tmp_path])
    roles = fonts._build_roles(prefer_system=True)
    body = roles.chain("body")
    assert [f.source for f in body.faces] == ["system", "bundled", "bundled"]
    assert body.faces[0].family == "仿宋_GB2312"
    assert [f.source for f in roles.chain("title").faces] == ["bundled", "bundled"]
    assert roles.chain("title").embolden == (True, True)  # faux bold in the 小标宋 role
    assert body.embolden == (False, False, False)


def test_documents_embed_only_bundled_truetype_fonts(built: dict[str, DocumentResult]) -> None:
    for name in ("minutes", "publicity", "ballots"):
        reader = PdfReader(built[name].path)
        seen = set()
        for page in reader.pages:
            for font in page["/Resources"]["/Font"].values():
                font = font.get_object()
                seen.add(str(font["/BaseFont"]).split("+")[-1])
                descriptor = font["/FontDescriptor"].get_object()
                assert "/FontFile2" in descriptor, (name, font["/BaseFont"])  # embedded TrueType
        assert seen <= {"NotoSerifCJKsc-Regular", "GlyphWikiHanExtB-Regular"}, seen
