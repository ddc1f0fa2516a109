"""Rebuild the two bundled fonts from their Debian packages (a maintainer tool, not run by Conclave).

Why this exists: reportlab embeds TrueType (``glyf``) outlines only, and the best free
Simplified-Chinese Song face (Noto Serif CJK SC) ships with CFF outlines. This script
converts it, and cuts the CJK Ext B fallback out of GlyphWiki's HanaMinB, so that the
files under ``resources/fonts/`` can be reproduced and audited. It needs fontTools
(``pip install fonttools``), which Conclave itself does not need at run time.

    apt-get download fonts-noto-cjk fonts-hanazono
    dpkg-deb -x fonts-noto-cjk_*.deb x && dpkg-deb -x fonts-hanazono_*.deb x
    python resources/fonts/build_fonts.py \\
        --noto-ttc x/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc \\
        --hanamin-b x/usr/share/fonts/truetype/hanazono/HanaMinB.ttf --out resources/fonts
"""

from __future__ import annotations

import argparse
from pathlib import Path

from fontTools import subset
from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTFont, newTable

SC_FACE = 2  # index of "Noto Serif CJK SC" inside NotoSerifCJK-Regular.ttc
HANGUL = ((0x1100, 0x11FF), (0x3130, 0x318F), (0xA960, 0xA97F), (0xAC00, 0xD7FF))
EXT_B = (0x20000, 0x2A6DF)
DROP = ["GSUB", "GPOS", "GDEF", "BASE", "VORG", "vhea", "vmtx", "DSIG", "FFTM"]


def _options() -> subset.Options:
    opts = subset.Options()
    opts.layout_features = []  # reportlab does no shaping: layout tables are dead weight
    opts.drop_tables += DROP
    opts.hinting = False
    opts.glyph_names = False
    opts.notdef_outline = True
    opts.name_IDs = ["*"]
    opts.name_languages = ["*"]
    return opts


def _rename(font: TTFont, family: str, postscript: str, note: str) -> None:
    name = font["name"]
    version = name.getDebugName(5) or ""
    for rec in list(name.names):
        if rec.nameID in (1, 4, 16):
            name.setName(family if rec.nameID != 4 else f"{family} Regular", rec.nameID,
                         rec.platformID, rec.platEncID, rec.langID)
        elif rec.nameID == 6:
            name.setName(postscript, 6, rec.platformID, rec.platEncID, rec.langID)
        elif rec.nameID == 3:
            name.setName(f"{postscript};{note}", 3, rec.platformID, rec.platEncID, rec.langID)
        elif rec.nameID == 5:
            name.setName(f"{version}; {note}", 5, rec.platformID, rec.platEncID, rec.langID)


def build_serif(ttc: Path, out: Path) -> None:
    """Noto Serif CJK SC without Hangul, CFF outlines converted to quadratic TrueType."""
    font = TTFont(ttc, fontNumber=SC_FACE, recalcTimestamp=False)
    keep = [c for c in font.getBestCmap() if not any(a <= c <= b for a, b in HANGUL)]
    sub = subset.Subsetter(_options())
    sub.populate(unicodes=keep)
    sub.subset(font)
    glyph_set = font.getGlyphSet()
    order = font.getGlyphOrder()
    quad = {}
    for gname in order:
        pen = TTGlyphPen(glyph_set)
        glyph_set[gname].draw(Cu2QuPen(pen, 1.0, reverse_direction=True))
        quad[gname] = pen.glyph()
    font["loca"] = newTable("loca")
    glyf = font["glyf"] = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = quad
    del font["CFF "]
    glyf.compile(font)
    hmtx = font["hmtx"]
    for gname, g in quad.items():
        hmtx.metrics[gname] = (hmtx.metrics[gname][0], g.xMin if g.numberOfContours else 0)
    maxp = font["maxp"] = newTable("maxp")
    maxp.tableVersion = 0x00010000
    for attr in ("maxTwilightPoints", "maxStorage", "maxFunctionDefs", "maxInstructionDefs",
                 "maxStackElements", "maxSizeOfInstructions", "maxComponentElements"):
        setattr(maxp, attr, 0)
    maxp.maxZones = 1
    post = font["post"]
    post.formatType = 3.0
    post.extraNames, post.mapping = [], {}
    font.sfntVersion = "\x00\x01\x00\x00"
    _rename(font, "Noto Serif CJK SC", "NotoSerifCJKsc-Regular",
            "TrueType conversion for Conclave (cu2qu, no Hangul, no layout tables)")
    font.save(out)


def build_ext_b(hanamin_b: Path, out: Path) -> None:
    """The CJK Ext B block of HanaMinB, renamed (used under the Hanazono Font License)."""
    font = TTFont(hanamin_b, recalcTimestamp=False)
    keep = [c for c in font.getBestCmap() if EXT_B[0] <= c <= EXT_B[1]]
    sub = subset.Subsetter(_options())
    sub.populate(unicodes=keep)
    sub.subset(font)
    _rename(font, "GlyphWiki Han ExtB", "GlyphWikiHanExtB-Regular",
            "CJK Ext B subset of HanaMinB for Conclave")
    font.save(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--noto-ttc", type=Path, required=True)
    parser.add_argument("--hanamin-b", type=Path, required=True)
    parser.add_argument("--out", type=Path, default=Path(__file__).parent)
    ns = parser.parse_args()
    build_serif(ns.noto_ttc, ns.out / "NotoSerifSC-Regular-glyf.ttf")
    build_ext_b(ns.hanamin_b, ns.out / "GlyphWikiHanExtB.ttf")


if __name__ == "__main__":
    main()
