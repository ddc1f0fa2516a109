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


def test_an_official_font_is_found_by_its_windows_file_name(tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """simfang.ttf (仿宋 on Chinese Windows) heads the body chain even when its family name is not read;
    with it, only the roles still drawn by the bundled font are named in the notice."""
    shutil.copy(_font_dir() / BUNDLED_SERIF, tmp_path / "SIMFANG.TTF")
    monkeypatch.setattr(fonts, "font_dirs", lambda: [tmp_path])
    monkeypatch.setattr(fonts, "_fontconfig_files", lambda: [])
    roles = fonts._build_roles(prefer_system=True)
    body = roles.chain("body")
    assert body.faces[0].source == "system" and Path(body.faces[0].path) == tmp_path / "SIMFANG.TTF"
    assert body.embolden == (False, False, False)
    notice = roles.notice()
    assert notice is not None and "仿宋" not in notice.zh.split("：")[1]
    assert notice.zh.startswith("未安装仿宋等公文字体，已用内置字体代替：") and "方正小标宋" in notice.zh


def test_without_official_fonts_the_papers_say_the_bundled_font_stands_in() -> None:
    notice = font_roles(prefer_system=False).notice()
    assert notice is not None
    assert notice.zh.startswith("未安装仿宋等公文字体，已用内置字体代替：") and "仿宋_GB2312、" in notice.zh
    assert "Noto Serif CJK SC（内置）" in notice.zh
    assert "Noto Serif CJK SC" in notice and "not installed" in notice


def test_the_interfaces_marks_are_in_the_bundled_font() -> None:
    """✓ ▶ × ○ … drawn by the bundled font that the window uses (✔ ▸ ✕ were not in it: tofu)."""
    serif, _ = bundled_faces()
    ui = Path(__file__).parents[2] / "ui"
    marks = {ch for path in ui.rglob("*.py") for ch in path.read_text("utf-8")
             if 0x2190 <= ord(ch) <= 0x27BF}
    assert marks and not {ch for ch in marks if ord(ch) not in serif.chars}
