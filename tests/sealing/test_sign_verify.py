"""Sealing and verifying real PDFs with real keys: each way a sealed file can go wrong."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess
from pathlib import Path

import pytest
import reportlab
from pyhanko.pdf_utils.reader import PdfFileReader

from app.errors import RuleViolation
from app.sealing import appearance
from app.sealing import sign as sign_module
from app.sealing.keys import CommitteeKey, create_committee_key
from app.sealing.sign import DEFAULT_BOX, SEAL_RED, seal_pdf
from app.sealing.verify import (
    STATUS_APPENDED,
    STATUS_CERT_NOT_VALID,
    STATUS_CHANGED,
    STATUS_NOT_SIGNED,
    STATUS_OK,
    STATUS_UNKNOWN_SIGNER,
    STATUS_UNREADABLE,
    verify_pdf,
)

from .conftest import COMMITTEE, PASSPHRASE
from .helpers import append_annotation, change_one_byte, make_pdf, seal


def test_an_unchanged_sealed_file_is_intact_and_trusted(
    sealed: Path, committee_key: CommitteeKey
) -> None:
    report = verify_pdf(sealed, [committee_key.root])
    assert report.ok, report.failures
    assert report.status == STATUS_OK
    assert report.failures == []
    assert report.signer is not None and COMMITTEE in report.signer
    assert report.signed_at is not None
    assert abs(dt.datetime.now(dt.UTC) - report.signed_at) < dt.timedelta(hours=1)


def test_changing_one_byte_of_the_page_text_is_reported(
    sealed: Path, committee_key: CommitteeKey
) -> None:
    change_one_byte(sealed, b"passed")  # 'p' -> 'q': "qassed" on the printed page
    report = verify_pdf(sealed, [committee_key.root])
    assert not report.ok
    assert report.status == STATUS_CHANGED
    assert "digest mismatch" in report.failures[0]


def test_changing_one_byte_of_the_metadata_is_reported(
    sealed: Path, committee_key: CommitteeKey
) -> None:
    change_one_byte(sealed, b"/Producer", offset=3)
    report = verify_pdf(sealed, [committee_key.root])
    assert report.status == STATUS_CHANGED


def test_changing_the_signature_value_is_reported(
    sealed: Path, committee_key: CommitteeKey
) -> None:
    """The RSA signature is the last element of the CMS blob, just before the zero padding."""
    data = sealed.read_bytes()
    start = data.index(b"/Contents <") + len(b"/Contents <")
    end = data.index(b">", start)
    hex_blob = data[start:end].rstrip(b"0")
    at = start + len(hex_blob) - 40  # inside the 384-byte signature value
    tampered = data[:at] + (b"1" if data[at : at + 1] != b"1" else b"2") + data[at + 1 :]
    sealed.write_bytes(tampered)
    report = verify_pdf(sealed, [committee_key.root])
    assert report.status == STATUS_CHANGED


def test_an_incremental_update_after_sealing_is_reported(
    sealed: Path, committee_key: CommitteeKey
) -> None:
    append_annotation(sealed)
    assert PdfFileReader(io.BytesIO(sealed.read_bytes())).xrefs.total_revisions == 3
    report = verify_pdf(sealed, [committee_key.root])
    assert not report.ok
    assert report.status == STATUS_APPENDED
    assert "appended after signing" in report.failures[0]


def test_a_seal_by_another_committee_is_an_unknown_signer(
    tmp_path: Path, other_key: CommitteeKey, committee_key: CommitteeKey, seal_options: dict
) -> None:
    forged = seal(make_pdf(tmp_path / "p.pdf"), tmp_path / "f.pdf", other_key, seal_options)
    report = verify_pdf(forged, [committee_key.root])
    assert not report.ok
    assert report.status == STATUS_UNKNOWN_SIGNER
    assert report.signer is not None and "另一个评审委员会" in report.signer
    # ...while the other committee's own root does trust it: the key is sound, the root is not ours.
    assert verify_pdf(forged, [other_key.root]).ok


def test_an_unsigned_pdf_is_not_signed(tmp_path: Path, committee_key: CommitteeKey) -> None:
    report = verify_pdf(make_pdf(tmp_path / "plain.pdf"), [committee_key.root])
    assert (report.ok, report.status) == (False, STATUS_NOT_SIGNED)


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"\x00\xff" * 500,
        b"hello, not a pdf",
        b"%PDF-1.7\n" + b"garbage " * 200,
        b"%PDF-1.4\n%%EOF",
    ],
    ids=["empty", "binary", "text", "pdf-header-only", "no-objects"],
)
def test_garbage_gives_a_report_not_a_traceback(
    tmp_path: Path, committee_key: CommitteeKey, content: bytes
) -> None:
    path = tmp_path / "x.pdf"
    path.write_bytes(content)
    report = verify_pdf(path, [committee_key.root])
    assert (report.ok, report.status) == (False, STATUS_UNREADABLE)
    assert report.failures


def test_a_truncated_sealed_file_is_unreadable(sealed: Path, committee_key: CommitteeKey) -> None:
    sealed.write_bytes(sealed.read_bytes()[:-4000])
    assert verify_pdf(sealed, [committee_key.root]).status == STATUS_UNREADABLE


def test_missing_file_and_folder_are_unreadable(
    tmp_path: Path, committee_key: CommitteeKey
) -> None:
    for path in (tmp_path / "absent.pdf", tmp_path):
        assert verify_pdf(path, [committee_key.root]).status == STATUS_UNREADABLE


def test_the_seal_is_a_visible_certifying_pades_signature(sealed: Path) -> None:
    reader = PdfFileReader(io.BytesIO(sealed.read_bytes()))
    (embedded,) = reader.embedded_signatures
    sig = embedded.sig_object
    assert sig["/SubFilter"] == "/ETSI.CAdES.detached"
    assert embedded.docmdp_level is not None and embedded.docmdp_level.value == 1  # no changes
    field = embedded.sig_field
    rect = [float(v) for v in field["/Rect"]]
    assert rect == [float(v) for v in DEFAULT_BOX]
    appearance = field["/AP"]["/N"].get_object()
    content = appearance.data
    assert b"%.3f %.3f %.3f rg" % SEAL_RED in content  # red ink
    assert b" c " in content  # the ring is drawn with curves
    assert embedded.sig_object["/Reason"]


def test_the_seal_goes_on_the_last_page_by_default(
    tmp_path: Path, committee_key: CommitteeKey, seal_options: dict
) -> None:
    out = seal(
        make_pdf(tmp_path / "p.pdf", pages=3), tmp_path / "s.pdf", committee_key, seal_options
    )
    reader = PdfFileReader(io.BytesIO(out.read_bytes()))
    (embedded,) = reader.embedded_signatures
    last_page = reader.root["/Pages"]["/Kids"].raw_get(2)
    assert embedded.sig_field.raw_get("/P").idnum == last_page.idnum
    assert verify_pdf(out, [committee_key.root]).ok


def test_sealing_in_place_works(
    tmp_path: Path, committee_key: CommitteeKey, seal_options: dict
) -> None:
    path = make_pdf(tmp_path / "doc.pdf")
    seal(path, path, committee_key, seal_options)
    assert verify_pdf(path, [committee_key.root]).ok


def test_cjk_text_is_embedded_with_pdf_glyph_widths(sealed: Path, cjk_font: Path | None) -> None:
    """pyHanko writes widths in font units; we rescale to 1/1000 em (CJK ideographs are 1 em)."""
    if cjk_font is None:
        pytest.skip("no CJK font: bundled resources/fonts is empty and none on this system")
    reader = PdfFileReader(io.BytesIO(sealed.read_bytes()))
    fonts = reader.embedded_signatures[0].sig_field["/AP"]["/N"].get_object()["/Resources"]["/Font"]
    cid_font = fonts["/F1"]["/DescendantFonts"][0]
    assert cid_font["/FontDescriptor"]["/FontFile2"].get_object().data  # embedded subset
    widths = cid_font["/W"]
    flat = [int(w) for i in range(1, len(widths), 2) for w in widths[i]]
    assert max(flat) <= 1100, flat
    assert 1000 in flat or 1024 in flat  # full-width ideographs
    to_unicode = fonts["/F1"]["/ToUnicode"].get_object().data
    assert b"<59d4>" in to_unicode.lower()  # 委 is really there, not a .notdef box


def test_no_font_and_no_fallback_is_refused(
    tmp_path: Path, committee_key: CommitteeKey, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sign_module, "seal_fonts", lambda: [])
    with pytest.raises(RuleViolation) as caught:
        seal_pdf(
            make_pdf(tmp_path / "p.pdf"),
            tmp_path / "s.pdf",
            committee_key,
            reason="r",
            location="l",
            signer_name="s",
        )
    assert caught.value.rule == "seal.font"
    assert not (tmp_path / "s.pdf").exists()
    with pytest.raises(RuleViolation, match="font file not found"):
        seal_pdf(
            tmp_path / "p.pdf",
            tmp_path / "s.pdf",
            committee_key,
            reason="r",
            location="l",
            signer_name="s",
            font_path=tmp_path / "absent.ttf",
        )


def test_sealing_something_that_is_not_a_pdf_is_refused(
    tmp_path: Path, committee_key: CommitteeKey, seal_options: dict
) -> None:
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"not a pdf at all")
    with pytest.raises(RuleViolation) as caught:
        seal(bad, tmp_path / "out.pdf", committee_key, seal_options)
    assert caught.value.rule == "seal.input"


def test_an_expired_signing_certificate_refuses_to_seal(tmp_path: Path, seal_options: dict) -> None:
    expired = create_committee_key("过期委员会", PASSPHRASE, tmp_path / "k.p12", valid_years=0)
    with pytest.raises(RuleViolation, match="check the laptop's clock") as caught:
        seal(make_pdf(tmp_path / "p.pdf"), tmp_path / "s.pdf", expired, seal_options)
    assert caught.value.rule == "seal.key"


def test_the_seal_renders_red_with_its_text(sealed: Path, tmp_path: Path) -> None:
    """Rasterise the page as a person would see it: the seal area must hold red ink."""
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (poppler-utils) is not installed")
    from PIL import Image

    subprocess.run(
        ["pdftoppm", "-r", "70", "-png", "-singlefile", str(sealed), str(tmp_path / "page")],
        check=True,
        capture_output=True,
        timeout=60,
    )
    image = Image.open(tmp_path / "page.png").convert("RGB")
    scale = 70 / 72
    x1, y1, x2, y2 = DEFAULT_BOX
    top = image.height - y2 * scale
    box = (int(x1 * scale), int(top), int(x2 * scale), int(image.height - y1 * scale))
    seal_area = image.crop(box)
    assert _red_pixels(seal_area) > 300, "too little red ink where the seal should be"
    assert _red_pixels(image.crop((0, 0, image.width, int(top) - 5))) == 0


def _red_pixels(image: object) -> int:
    data = image.tobytes()  # type: ignore[attr-defined]
    return sum(
        1
        for i in range(0, len(data), 3)
        if data[i] > 150 and data[i + 1] < 110 and data[i + 2] < 110
    )


def test_characters_the_main_font_lacks_come_from_the_next_font(
    tmp_path: Path, committee_key: CommitteeKey, cjk_font: Path | None
) -> None:
    """A Latin main font with a CJK fallback: each character is drawn by a font that has it."""
    if cjk_font is None:
        pytest.skip("no CJK font available")
    latin = Path(reportlab.__file__).parent / "fonts" / "Vera.ttf"
    out = seal_pdf(
        make_pdf(tmp_path / "p.pdf"),
        tmp_path / "s.pdf",
        committee_key,
        reason="Final",
        location="Room",
        signer_name="Zhang 张三",
        font_path=[latin, cjk_font],
    )
    assert verify_pdf(out, [committee_key.root]).ok
    reader = PdfFileReader(io.BytesIO(out.read_bytes()))
    fonts = reader.embedded_signatures[0].sig_field["/AP"]["/N"].get_object()["/Resources"]["/Font"]
    latin_map = fonts["/F1"]["/ToUnicode"].get_object().data.lower()
    cjk_map = fonts["/F2"]["/ToUnicode"].get_object().data.lower()
    assert b"<005a>" in latin_map and b"<5f20>" not in latin_map  # Z by Vera, 张 not
    assert b"<5f20>" in cjk_map  # 张 by the CJK font
    # Vera has 2048 units per em: its /W widths must still be in 1/1000 em (pyHanko 0.38 bug)
    widths = fonts["/F1"]["/DescendantFonts"][0]["/W"]
    assert max(int(w) for i in range(1, len(widths), 2) for w in widths[i]) < 1100


def test_bundled_fonts_put_the_one_with_common_chinese_first(
    tmp_path: Path, cjk_font: Path | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An Ext B fallback font sorts before the main one by name; it must not become main."""
    if cjk_font is None:
        pytest.skip("no CJK font available")
    folder = tmp_path / "fonts"
    folder.mkdir()
    shutil.copyfile(Path(reportlab.__file__).parent / "fonts" / "Vera.ttf", folder / "A-ExtB.ttf")
    shutil.copyfile(cjk_font, folder / ("Z-main" + cjk_font.suffix))
    (folder / "README.md").write_text("licences")
    monkeypatch.setattr(appearance.importlib_resources, "files", lambda _pkg: tmp_path)
    assert [p.name for p in appearance.seal_fonts()] == ["Z-main" + cjk_font.suffix, "A-ExtB.ttf"]
    (folder / ("Z-main" + cjk_font.suffix)).unlink()
    assert appearance.seal_fonts() == []  # no font with common Chinese: no CJK seal


def test_a_character_no_font_has_is_marked_not_dropped(
    tmp_path: Path, committee_key: CommitteeKey, cjk_font: Path | None
) -> None:
    if cjk_font is None:
        pytest.skip("no CJK font available")
    out = seal_pdf(
        make_pdf(tmp_path / "p.pdf"),
        tmp_path / "s.pdf",
        committee_key,
        reason="定稿",
        location="会场",
        signer_name="王\U0010fffd",
        font_path=cjk_font,
    )
    reader = PdfFileReader(io.BytesIO(out.read_bytes()))
    fonts = reader.embedded_signatures[0].sig_field["/AP"]["/N"].get_object()["/Resources"]["/Font"]
    assert b"<3013>" in fonts["/F1"]["/ToUnicode"].get_object().data.lower()  # 〓


def test_an_expired_committee_certificate_is_named(
    sealed: Path, committee_key: CommitteeKey
) -> None:
    later = committee_key.certificate.not_valid_after_utc + dt.timedelta(days=1)
    report = verify_pdf(sealed, [committee_key.root], at=later)
    assert (report.ok, report.status) == (False, STATUS_CERT_NOT_VALID)
    earlier = committee_key.certificate.not_valid_before_utc - dt.timedelta(days=1)
    assert verify_pdf(sealed, [committee_key.root], at=earlier).status == STATUS_CERT_NOT_VALID


def test_rare_characters_come_from_the_bundled_ext_b_font(
    tmp_path: Path, committee_key: CommitteeKey
) -> None:
    """生僻字 in a signer's name (CJK Ext B) that the main font lacks come from the fallback."""
    chain = appearance.seal_fonts()
    if len(chain) < 2:
        pytest.skip("no bundled fallback font")
    main, fallback = (appearance.CjkFontFactory(f).coverage for f in chain[:2])
    rare = next(
        (chr(cp) for cp in range(0x20000, 0x2A6E0) if cp in fallback and cp not in main), None
    )
    if rare is None:
        pytest.skip("the bundled fallback adds no Ext B character")
    out = seal_pdf(
        make_pdf(tmp_path / "p.pdf"),
        tmp_path / "s.pdf",
        committee_key,
        reason="定稿",
        location="会场",
        signer_name=f"王{rare}",
    )
    reader = PdfFileReader(io.BytesIO(out.read_bytes()))
    fonts = reader.embedded_signatures[0].sig_field["/AP"]["/N"].get_object()["/Resources"]["/Font"]
    utf16 = rare.encode("utf-16-be").hex().encode()
    assert b"<" + utf16 + b">" in fonts["/F2"]["/ToUnicode"].get_object().data.lower()
    assert b"<" + utf16 + b">" not in fonts["/F1"]["/ToUnicode"].get_object().data.lower()


def test_a_seal_is_sized_once_per_certificate_with_the_room_pyhanko_would_reserve(
    tmp_path: Path, committee_key: CommitteeKey, seal_options: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    """pyHanko sizes a signature by a dry run (a whole CMS with a dummy signature); the size is
    the certificate's, not the document's, so only the first seal of a key makes that run — and
    reserves exactly the room pyHanko reserves when left to size each seal itself."""
    dry_runs: list[bool] = []
    real = sign_module._LoadedKeySigner.async_sign

    async def counted(self: object, *args: object, dry_run: bool = False, **kwargs: object) -> object:
        dry_runs.append(dry_run)
        return await real(self, *args, dry_run=dry_run, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(sign_module._LoadedKeySigner, "async_sign", counted)
    monkeypatch.setattr(sign_module, "_RESERVED", {})
    pdf = make_pdf(tmp_path / "doc.pdf")
    for n in range(3):
        assert verify_pdf(seal(pdf, tmp_path / f"sealed-{n}.pdf", committee_key, seal_options),
                          [committee_key.root]).ok
    assert dry_runs == [True, False, False, False]           # sized once, then three real signatures

    monkeypatch.setattr(sign_module, "_reserved", lambda _signer, _now: None)      # pyHanko sizes it itself
    seal(pdf, tmp_path / "by-pyhanko.pdf", committee_key, seal_options)

    def room(path: Path) -> int:
        [sig] = PdfFileReader(io.BytesIO(path.read_bytes())).embedded_signatures
        return len(sig.sig_object.raw_get("/Contents"))

    assert room(tmp_path / "sealed-1.pdf") == room(tmp_path / "by-pyhanko.pdf")


def test_a_seals_signature_is_byte_for_byte_the_one_pyhanko_makes_by_itself(committee_key: CommitteeKey) -> None:
    """The seal's signer hands pyHanko its attributes and CMS read back from their own DER (asn1crypto
    encodes a value it built again at every level above it, some 700 times a seal): the CMS — signed
    attributes, signature, certificates — is exactly the one pyHanko's own signer makes, dry run too."""
    import asyncio

    from asn1crypto import keys as asn1_keys
    from cryptography.hazmat.primitives import serialization
    from pyhanko.sign import signers
    from pyhanko.sign.signers.pdf_cms import CAdESSignedAttributeProviderSpec, PdfCMSSignedAttributes
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    now = dt.datetime(2026, 11, 20, 9, 30, tzinfo=dt.UTC)
    plain = signers.SimpleSigner(
        signing_cert=sign_module._to_asn1_cert(committee_key.certificate),
        signing_key=asn1_keys.PrivateKeyInfo.load(committee_key.private_key.private_bytes(
            serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())),
        cert_registry=SimpleCertificateStore.from_certs([sign_module._to_asn1_cert(committee_key.root)]))
    plain.signed_attr_prov_spec = CAdESSignedAttributeProviderSpec(
        attr_settings=PdfCMSSignedAttributes(signing_time=now), signing_cert=plain.signing_cert,
        is_pades=False, timestamper=None)
    ours = sign_module._signer(committee_key, now)
    assert isinstance(ours, sign_module._LoadedKeySigner)

    def cms(signer: signers.Signer, dry_run: bool) -> bytes:
        made = asyncio.run(signer.async_sign(b"\x01" * 32, "sha256", use_pades=True, dry_run=dry_run, timestamper=None,
                                             signed_attr_settings=PdfCMSSignedAttributes(signing_time=now)))
        return bytes(made.dump())

    for dry_run in (False, True):
        assert cms(ours, dry_run) == cms(plain, dry_run)


def test_the_seals_font_file_is_cut_once_per_font_and_glyphs(
    tmp_path: Path, committee_key: CommitteeKey, seal_options: dict, cjk_font: Path | None,
    monkeypatch: pytest.MonkeyPatch
) -> None:
    """pyHanko cuts the seal's font down to the glyphs drawn and compiles that cut for every seal; the
    same font and glyphs make the same file, so it is made once: the next seal drawing the same
    glyphs embeds that file, one drawing others gets its own cut, and every seal verifies."""
    if cjk_font is None:
        pytest.skip("no CJK font: bundled resources/fonts is empty and none on this system")
    from pyhanko.pdf_utils.font.opentype import GlyphAccumulator

    cuts: list[frozenset[int]] = []
    real = GlyphAccumulator._extract_subset

    def counted(self: GlyphAccumulator, *args: object, **kwargs: object) -> None:
        cuts.append(frozenset(self._glyphs))
        real(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(GlyphAccumulator, "_extract_subset", counted)
    monkeypatch.setattr(appearance, "_EMBEDDED", {})
    pdf = make_pdf(tmp_path / "doc.pdf")
    paths = [seal(pdf, tmp_path / f"sealed-{n}.pdf", committee_key, seal_options, **extra)
             for n, extra in enumerate([{}, {}, {"reason": "另一个事由"}])]
    assert len(cuts) == 2 and cuts[0] != cuts[1]          # the second seal drew the first one's glyphs

    def font_file(path: Path) -> tuple[bytes, bytes]:
        reader = PdfFileReader(io.BytesIO(path.read_bytes()))
        fonts = reader.embedded_signatures[0].sig_field["/AP"]["/N"].get_object()["/Resources"]["/Font"]
        return (fonts["/F1"]["/DescendantFonts"][0]["/FontDescriptor"]["/FontFile2"].get_object().data,
                fonts["/F1"]["/ToUnicode"].get_object().data)

    first, second, other = (font_file(p) for p in paths)
    assert first == second and first[0] != other[0]
    assert all(f"<{ord(c):04x}>".encode() in other[1].lower() for c in "另一个事由")      # its own glyphs
    assert all(verify_pdf(p, [committee_key.root]).ok for p in paths)


def test_the_seal_fonts_coverage_is_read_without_naming_its_glyphs(cjk_font: Path | None) -> None:
    """The bundled fonts name no glyphs (``post`` format 3); the seal reads which characters a font
    has with numbered glyph names instead of those fontTools makes up: the same code points."""
    if cjk_font is None:
        pytest.skip("no CJK font: bundled resources/fonts is empty and none on this system")
    from fontTools.ttLib import TTFont

    with TTFont(str(cjk_font), fontNumber=0, lazy=True) as font:
        named = frozenset(font.getBestCmap())
    with TTFont(str(cjk_font), fontNumber=0, lazy=True) as font:
        numbered = appearance._unnamed(font)
        assert font["post"].formatType != 3.0 or numbered.getGlyphOrder()[1] == "glyph00001"
    assert appearance._cmap(str(cjk_font), cjk_font.stat().st_mtime_ns) == named
