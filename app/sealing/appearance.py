"""What the seal looks like on the page (印章外观), and the fonts it is drawn with.

People in a review meeting recognise a seal by its red ring, the committee's name along
the upper arc and a star; beside it we print who sealed, when and why. All of it is
vector content in the signature field's appearance stream, so it prints sharply.

Chinese text needs CJK TrueType fonts embedded as subsets. The fonts form a chain, as in
the documents: the first font draws what it can, and a character it lacks (a rare
生僻字 in a signer's name, CJK Ext B) is drawn by the next font that has it. Without any
CJK font a Latin-only look (Courier, ASCII labels) is available for tests and
development, never chosen silently (see :func:`app.sealing.sign.seal_pdf`).
"""

from __future__ import annotations

import functools
import io
import logging
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib import resources as importlib_resources
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from pyhanko.pdf_utils import generic, layout
from pyhanko.pdf_utils.content import ResourceType
from pyhanko.pdf_utils.font.api import FontEngine, FontEngineFactory
from pyhanko.pdf_utils.font.basic import SimpleFontEngineFactory
from pyhanko.pdf_utils.writer import BasePdfFileWriter
from pyhanko.stamp import BaseStamp, BaseStampStyle

if TYPE_CHECKING:
    from fontTools.ttLib import TTFont

SEAL_RED = (0.80, 0.05, 0.05)
FONT_SUFFIXES = (".ttf", ".ttc")
PROBE = "评审委员会签章日期"  # the main seal font must have at least these
MISSING_MARK = "〓"  # drawn for a character that no font in the chain has


def seal_fonts() -> list[Path]:
    """The bundled fonts (``resources/fonts``) as a chain: first the one that has common
    Chinese, then the others as fallbacks. Empty when no bundled font has common Chinese."""
    try:
        folder = importlib_resources.files("resources") / "fonts"
        found = [Path(str(p)) for p in folder.iterdir() if p.name.lower().endswith(FONT_SUFFIXES)]
    except (FileNotFoundError, NotADirectoryError, ModuleNotFoundError):
        return []
    found.sort(key=lambda p: (p.suffix.lower() != ".ttf", p.name))
    main = [p for p in found if _covers(p, PROBE)][:1]
    return main + [p for p in found if p not in main] if main else []


def _covers(path: Path, text: str) -> bool:
    try:
        cmap = _cmap(str(path), path.stat().st_mtime_ns)
    except Exception:  # an unreadable font file is simply not a candidate
        return False
    return all(ord(c) in cmap for c in text)


@functools.lru_cache(maxsize=8)
def _cmap(path: str, mtime_ns: int) -> frozenset[int]:
    from fontTools.ttLib import TTFont

    with TTFont(path, fontNumber=0, lazy=True) as font:
        return frozenset(_unnamed(font).getBestCmap())


def _unnamed(font: TTFont) -> TTFont:
    """``font``, its glyphs numbered (``glyph00042``) when the font names none (``post`` format 3, as
    the bundled fonts): fontTools would name them from the cmap and the Adobe glyph list, a tenth of
    a second and more for a CJK font of 30,000 glyphs and more, for names nothing here uses — the cmap
    is read for its code points, and a subset drops the names (the same subset, byte for byte)."""
    if "post" in font and font["post"].formatType == 3.0:
        font.setGlyphOrder([f"glyph{i:05d}" for i in range(font["maxp"].numGlyphs)])
    return font


@functools.lru_cache(maxsize=2)  # main font and one fallback; CJK fonts are large
def _font_bytes(path: str, mtime_ns: int) -> bytes:
    """One face as a standalone font: pyHanko's HarfBuzz/fontTools path cannot open a .ttc."""
    data = Path(path).read_bytes()
    if not data.startswith(b"ttcf"):
        return data
    from fontTools.ttLib import TTFont

    out = io.BytesIO()
    TTFont(io.BytesIO(data), fontNumber=0, lazy=True).save(out)
    return out.getvalue()


@functools.lru_cache(maxsize=8)
def _subset_bytes(path: str, mtime_ns: int, chars: str) -> bytes:
    """The face cut down to ``chars``: parsing a whole CJK font for every seal costs about two
    seconds (32 seals a meeting: a minute); a font of the seal's few dozen characters, made once
    per process, costs milliseconds to parse and embed."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    font = _unnamed(TTFont(io.BytesIO(_font_bytes(path, mtime_ns)), lazy=True, recalcBBoxes=False,
                           recalcTimestamp=False))
    options = subset.Options()      # a seal's upright glyphs need no layout tables, no hinting
    options.layout_features = []
    options.hinting = False
    options.notdef_outline = True
    options.name_IDs = ["*"]
    options.drop_tables += ["GSUB", "GPOS", "GDEF", "BASE", "vhea", "vmtx", "VORG", "DSIG"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted({ord(c) for c in chars}))
    subsetter.subset(font)
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


#: What a seal may draw besides its committee name, signer and reason: labels, digits of the date.
SEAL_CHARS = "电子签章签章人：日期：事由：〓?0123456789-: ./"


class CjkFontFactory(FontEngineFactory):
    """Like pyHanko's ``GlyphAccumulatorFactory``, but accepts TrueType collections and
    writes metrics in PDF glyph space (see :func:`_thousand_unit_engine`). Given ``chars`` (every
    character the seal may draw), the font is cut down to them first (:func:`_subset_bytes`)."""

    def __init__(self, font_path: Path, chars: str | None = None) -> None:
        self.font_path = Path(font_path)
        self.chars = "".join(sorted(set(chars + SEAL_CHARS))) if chars is not None else None

    @property
    def coverage(self) -> frozenset[int]:
        """Code points the font has, read from its cmap without building an engine."""
        return _cmap(str(self.font_path), self.font_path.stat().st_mtime_ns)

    def create_font_engine(
        self, writer: BasePdfFileWriter, obj_stream: object = None
    ) -> FontEngine:
        # fontTools' subsetter logs a WARNING for every table it drops (FFTM, …):
        # harmless, and it would land on the terminal of ``conclave documents``.
        logging.getLogger("fontTools.subset").setLevel(logging.ERROR)
        mtime = self.font_path.stat().st_mtime_ns
        data = (_font_bytes(str(self.font_path), mtime) if self.chars is None
                else _subset_bytes(str(self.font_path), mtime, self.chars))
        if obj_stream is None and writer.stream_xrefs:
            obj_stream = writer.prepare_object_stream()
        return _thousand_unit_engine(writer, io.BytesIO(data), obj_stream, (str(self.font_path), mtime, self.chars))


_EMBEDDED: dict[tuple[object, frozenset[int]], bytes] = {}
"""The font file a seal embeds, by the font it was cut from and the glyphs the seal draws
(see :func:`_thousand_unit_engine`)."""
_EMBEDDED_MAX = 16


def _thousand_unit_engine(
    writer: BasePdfFileWriter, handle: io.BytesIO, obj_stream: object, font_key: object = None
) -> FontEngine:
    """A GlyphAccumulator whose widths are in 1/1000 em, as PDF requires.

    pyHanko 0.38 writes ``/W`` widths, ``TJ`` adjustments and the font descriptor in the
    font's own units. That is only right for fonts with ``unitsPerEm`` 1000; most
    TrueType CJK fonts use 2048, and their text comes out with double letter spacing.
    We make HarfBuzz position in 1/1000 em and scale the widths and descriptor to match.

    When the seal is written, pyHanko cuts the font down to the glyphs it drew and compiles
    that cut into the PDF (fontTools: a third of a seal's CPU). The same font (``font_key``)
    and the same glyphs make the same file: every result sheet's seal draws the same ring and
    name. So the file is made once per process and font and glyphs (:data:`_EMBEDDED`), and the
    next seals embed it as it is.
    """
    from pyhanko.pdf_utils.font.opentype import GlyphAccumulator

    class ThousandUnitGlyphAccumulator(GlyphAccumulator):
        def __init__(self) -> None:
            super().__init__(writer, handle, font_size=10, obj_stream=obj_stream)
            self._to_1000 = 1000 / self.units_per_em
            self.hb_font.scale = (1000, 1000)
            self.units_per_em = 1000
            descriptor = self.cidfont_obj._font_descriptor
            for entry in ("/Ascent", "/Descent", "/CapHeight"):
                descriptor[entry] = generic.NumberObject(round(descriptor[entry] * self._to_1000))
            descriptor["/FontBBox"] = generic.ArrayObject(
                generic.NumberObject(round(v * self._to_1000)) for v in descriptor["/FontBBox"]
            )

        def _get_cid_and_width(self, glyph_id: int) -> tuple[int, int]:
            if glyph_id not in self._glyphs:
                cid, width = super()._get_cid_and_width(glyph_id)
                self._glyphs[glyph_id] = (cid, round(width * self._to_1000))
            return self._glyphs[glyph_id]

        def _extract_subset(self, options: object = None) -> None:
            """pyHanko's cut of the font to the glyphs drawn, and the font file it makes of it, as
            before this process made it (the font file pyHanko embeds is ``self.tt.save``'s)."""
            key = (font_key, frozenset(self._glyphs))
            found = _EMBEDDED.get(key) if font_key is not None else None
            if found is None:
                super()._extract_subset(options)
                out = io.BytesIO()
                self.tt.save(out)
                found = out.getvalue()
                if font_key is not None:
                    if len(_EMBEDDED) >= _EMBEDDED_MAX:
                        _EMBEDDED.pop(next(iter(_EMBEDDED)))
                    _EMBEDDED[key] = found
            embedded = found

            def save(file: io.BytesIO, *_args: object, **_kwargs: object) -> None:
                file.write(embedded)

            self.tt.save = save

    return ThousandUnitGlyphAccumulator()


@dataclass(frozen=True)
class SealStampStyle(BaseStampStyle):
    """The seal's look. ``fonts`` is the chain; empty means the Latin-only fallback."""

    fonts: tuple[FontEngineFactory, ...] = field(default=())
    committee_name: str = ""
    colour: tuple[float, float, float] = SEAL_RED
    border_width: int = 0

    def create_stamp(
        self, writer: BasePdfFileWriter, box: layout.BoxConstraints, text_params: dict[str, str]
    ) -> SealStamp:
        return SealStamp(writer, self, box, text_params)


class SealStamp(BaseStamp):
    """Draws the ring, the name on the arc, the star, and the signer/date/reason lines."""

    LABELS_CJK: ClassVar[dict[str, str]] = {
        "centre": "电子签章",
        "signer": "签章人：",
        "date": "日期：",
        "reason": "事由：",
    }
    LABELS_LATIN: ClassVar[dict[str, str]] = {
        "centre": "E-SEAL",
        "signer": "Signer: ",
        "date": "Date: ",
        "reason": "Reason: ",
    }
    LATIN_NAME = "CONCLAVE COMMITTEE SEAL"  # when the committee's name cannot be drawn

    def __init__(
        self,
        writer: BasePdfFileWriter,
        style: SealStampStyle,
        box: layout.BoxConstraints,
        text_params: dict[str, str],
    ) -> None:
        super().__init__(writer=writer, style=style, box=box)
        self.text_params = text_params
        self.latin = not style.fonts
        self.factories = style.fonts or (SimpleFontEngineFactory.default_factory(),)
        # None: Courier, which is asked only for ASCII
        self.coverage = [getattr(f, "coverage", None) for f in self.factories]
        self._engines: dict[int, FontEngine] = {}

    def _engine(self, index: int) -> FontEngine:
        """Engines are made on first use: pyHanko cannot embed a font subset with no glyphs,
        and most seals never need the Ext B fallback."""
        if index not in self._engines:
            assert self.writer is not None, "the font engines are made while a seal is drawn into a PDF"
            self._engines[index] = self.factories[index].create_font_engine(self.writer)
        return self._engines[index]

    def _render_inner_content(self) -> list[bytes]:
        style: SealStampStyle = self.style
        labels = self.LABELS_LATIN if self.latin else self.LABELS_CJK
        w, h = self.box.width, self.box.height
        margin = 3.0
        in_circle = w <= h * 1.3          # the seal circle a sheet leaves: the ring fills it
        radius = min(w, h) / 2 - margin if in_circle else min(h / 2 - margin, w * 0.22)
        cx, cy = (w / 2 if in_circle else margin + radius), h / 2
        ring = max(1.2, radius * 0.055)
        ops = [b"q"]
        if in_circle:                     # cover the circle's "（评委会印章）" placeholder
            ops.append(b"1 1 1 rg %s f" % _circle(cx, cy, radius + margin / 2))
        ops.append(b"%.3f %.3f %.3f RG %.3f %.3f %.3f rg" % (style.colour + style.colour))
        ops.append(b"%.2f w %s S" % (ring, _circle(cx, cy, radius - ring / 2)))
        ops.append(_star(cx, cy + radius * 0.05, radius * 0.30))
        name = style.committee_name
        if self.latin and not name.isascii():
            name = self.LATIN_NAME
        ops += self._arc_text(name, cx, cy, radius - ring)
        ops.append(self._centred(labels["centre"], cx, cy - radius * 0.55, radius * 0.17))

        if in_circle:
            ops.append(b"Q")
            return self._with_fonts(ops)
        lines = [labels["signer"] + self.text_params.get("signer", "")]
        lines.append(labels["date"] + self.text_params.get("date", ""))
        if self.text_params.get("reason"):
            lines.append(labels["reason"] + self.text_params["reason"])
        if self.latin:
            lines = [s.encode("ascii", "replace").decode("ascii") for s in lines]
        ops += self._lines(lines, cx + radius + 8, w - margin, h)
        ops.append(b"Q")
        return self._with_fonts(ops)

    def _with_fonts(self, ops: list[bytes]) -> list[bytes]:
        for index, engine in self._engines.items():
            resource = generic.pdf_name(f"/F{index + 1}")
            self.set_resource(ResourceType.FONT, resource, engine.as_resource())
        return ops

    def _runs(self, txt: str) -> list[tuple[int, str]]:
        """Split text into runs by the first font in the chain that has each character.

        A character no font has is never left out silently: it is drawn as 〓 (the
        typesetter's mark for a missing character), so the gap is visible on paper.
        """
        coverage = self.coverage
        main = coverage[0]
        mark = MISSING_MARK if main is None or ord(MISSING_MARK) in main else "?"
        runs: list[tuple[int, str]] = []
        for char in txt:
            index = next((i for i, c in enumerate(coverage) if c is None or ord(char) in c), None)
            if index is None:
                index, char = 0, mark
            if runs and runs[-1][0] == index:
                runs[-1] = (index, runs[-1][1] + char)
            else:
                runs.append((index, char))
        return runs

    def _text(self, txt: str, size: float, matrix: Sequence[float], *, bold: bool = False) -> bytes:
        """One text object; runs chain because each ends where the next begins (pyHanko's
        shaped runs end with a ``Td`` to their end; Courier's ``Tj`` advances by itself)."""
        parts = [b"BT", b" ".join(b"%.3f" % v for v in matrix) + b" Tm"]
        if bold:  # fill and stroke the glyphs: seal lettering is heavy, and stays legible
            parts = [b"q %.2f w" % (size * 0.04), *parts, b"2 Tr"]
        for index, run in self._runs(txt):
            engine = self._engine(index)
            engine.font_size = size  # type: ignore[assignment]  # pyHanko's shaper uses it for its trailing Td (a float)
            parts.append(b"/F%d %.2f Tf %s" % (index + 1, size, engine.shape(run).graphics_ops))
        parts.append(b"ET Q" if bold else b"ET")
        return b" ".join(parts)

    def _width(self, txt: str, size: float) -> float:
        return sum(self._engine(i).shape(run).x_advance for i, run in self._runs(txt)) * size

    def _centred(self, txt: str, x: float, y: float, size: float) -> bytes:
        matrix = (1, 0, 0, 1, x - self._width(txt, size) / 2, y)
        return self._text(txt, size, matrix, bold=True)

    def _arc_text(self, name: str, cx: float, cy: float, inner: float) -> list[bytes]:
        """Each character upright along the upper arc, read left to right, as on a real seal."""
        if not name:
            return []
        span = math.radians(min(260.0, max(180.0, 22.0 * len(name))))
        size = inner * 0.30
        for _ in range(3):  # the baseline radius depends on the size and vice versa
            baseline = inner - size * 1.05
            size = min(inner * 0.30, 0.92 * baseline * span / len(name))
        baseline = inner - size * 1.05
        out = []
        for i, char in enumerate(name):
            theta = math.pi / 2 + span / 2 - span * (i + 0.5) / len(name)
            phi = theta - math.pi / 2
            cos, sin = math.cos(phi), math.sin(phi)
            half = self._width(char, size) / 2
            x = cx + baseline * math.cos(theta) - half * cos
            y = cy + baseline * math.sin(theta) - half * sin
            out.append(self._text(char, size, (cos, sin, -sin, cos, x, y), bold=True))
        return out

    def _lines(self, lines: list[str], left: float, right: float, height: float) -> list[bytes]:
        """Signer, date, reason: as large as fits the space beside the ring, vertically centred."""
        widest = max(self._width(s, 1.0) for s in lines) or 1.0
        size = max(4.0, min(height / (len(lines) * 1.5 + 0.5), (right - left) / widest))
        leading = size * 1.45
        top = height / 2 + leading * (len(lines) - 1) / 2 - size * 0.35
        return [
            self._text(s, size, (1, 0, 0, 1, left, top - i * leading)) for i, s in enumerate(lines)
        ]


def _circle(cx: float, cy: float, r: float) -> bytes:
    """A circle path from four Bézier arcs (PDF has no circle operator)."""
    k = 0.5523 * r
    return (
        b"%.2f %.2f m " % (cx + r, cy)
        + b"%.2f %.2f %.2f %.2f %.2f %.2f c " % (cx + r, cy + k, cx + k, cy + r, cx, cy + r)
        + b"%.2f %.2f %.2f %.2f %.2f %.2f c " % (cx - k, cy + r, cx - r, cy + k, cx - r, cy)
        + b"%.2f %.2f %.2f %.2f %.2f %.2f c " % (cx - r, cy - k, cx - k, cy - r, cx, cy - r)
        + b"%.2f %.2f %.2f %.2f %.2f %.2f c h" % (cx + k, cy - r, cx + r, cy - k, cx + r, cy)
    )


def _star(cx: float, cy: float, r: float) -> bytes:
    """A filled five-pointed star, point up."""
    points = []
    for i in range(10):
        radius = r if i % 2 == 0 else r * 0.382
        angle = math.pi / 2 + i * math.pi / 5
        points.append((cx + radius * math.cos(angle), cy + radius * math.sin(angle)))
    path = b"%.2f %.2f m " % points[0] + b" ".join(b"%.2f %.2f l" % p for p in points[1:])
    return path + b" h f"
