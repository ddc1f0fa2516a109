"""A TrueType font whose ToUnicode map is right for characters beyond U+FFFF.

Why: reportlab (``reportlab.pdfbase.ttfonts.makeToUnicodeCMap``) writes each entry of
the ToUnicode CMap as ``"<%02X> <%04X>" % (code, codepoint)``. For a character of a
supplementary plane that gives five or six hex digits — 𠈌 U+2020C becomes ``<2020C>``
— an odd-length hex string that readers cut short: pdftotext returns † U+2020, pypdf
returns nothing. Copying or searching a name such as 李𠈌 in our minutes would fail.

The PDF reference says the destination of a ``bfchar`` entry is UTF-16BE, so a
supplementary character must be written as its surrogate pair (``<D840DE0C>``). It
also limits a ``beginbfchar`` block to 100 entries, which reportlab exceeds with its
256-code subsets; we write blocks of at most 100.

The fix is as narrow as we could make it: :class:`UnicodeTTFont` subclasses reportlab's
``TTFont`` and, after reportlab has created the PDF objects of the font's subsets,
replaces the content of each subset's ToUnicode stream (registered by reportlab under
the name ``toUnicodeCMap:<BaseFont>``). Nothing in reportlab is patched; fonts
registered with the plain ``TTFont`` are unaffected. Every font Conclave registers is a
``UnicodeTTFont``.
"""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.pdfbase import pdfdoc
from reportlab.pdfbase.ttfonts import SUBSETN, TTFont

#: PDF 1.7, 9.10.3 / Adobe TN 5411: at most 100 entries per beginbfchar block.
BFCHAR_BLOCK = 100


def utf16be_hex(codepoint: int) -> str:
    """The UTF-16BE code units of ``codepoint`` in hex: 4 digits, or 8 for a surrogate pair."""
    if codepoint < 0 or codepoint > 0x10FFFF:
        raise ValueError(f"not a Unicode code point: {codepoint:#x}")
    if codepoint <= 0xFFFF:
        return f"{codepoint:04X}"
    v = codepoint - 0x10000
    return f"{0xD800 + (v >> 10):04X}{0xDC00 + (v & 0x3FF):04X}"


def tounicode_cmap(fontname: str, subset: Sequence[int]) -> str:
    """The ToUnicode CMap for one reportlab font subset (code ``i`` shows ``subset[i]``).

    Same header as reportlab's, so BMP-only subsets differ only by the block split.
    """
    head = [
        "/CIDInit /ProcSet findresource begin",
        "12 dict begin",
        "begincmap",
        "/CIDSystemInfo",
        f"<< /Registry ({fontname})",
        f"/Ordering ({fontname})",
        "/Supplement 0",
        ">> def",
        f"/CMapName /{fontname} def",
        "/CMapType 2 def",
        "1 begincodespacerange",
        f"<00> <{len(subset) - 1:02X}>",
        "endcodespacerange",
    ]
    body: list[str] = []
    for start in range(0, len(subset), BFCHAR_BLOCK):
        block = subset[start:start + BFCHAR_BLOCK]
        body.append(f"{len(block)} beginbfchar")
        body.extend(f"<{start + i:02X}> <{utf16be_hex(cp)}>" for i, cp in enumerate(block))
        body.append("endbfchar")
    tail = ["endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end"]
    return "\n".join(head + body + tail)


class UnicodeTTFont(TTFont):
    """reportlab's ``TTFont`` with a correct ToUnicode CMap (see the module docstring)."""

    def addObjects(self, doc: pdfdoc.PDFDocument) -> None:
        """Let reportlab make the subset objects, then rewrite their ToUnicode streams.

        reportlab deletes the per-document state at the end of ``addObjects``, so the
        subsets are copied first; the base font names are rebuilt exactly as reportlab
        builds them, and a missing stream is an error rather than a silent skip.
        """
        state = self.state.get(doc)
        subsets = [list(s) for s in state.subsets] if state is not None else []
        super().addObjects(doc)
        for n, subset in enumerate(subsets):
            base = b"".join((SUBSETN(n), b"+", self.face.name, self.face.subfontNameX))
            key = "toUnicodeCMap:" + base.decode("pdfdoc")
            stream = doc.idToObject.get(key)
            if stream is None:  # pragma: no cover - would mean reportlab changed its naming
                raise RuntimeError(f"reportlab did not register {key}; ToUnicode fix cannot apply")
            stream.content = tounicode_cmap(base.decode("pdfdoc"), subset)
