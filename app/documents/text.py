"""Chinese line breaking (避头尾) and the paragraph flowable every document uses.

Why our own: reportlab's Paragraph breaks CJK text anywhere, so a line may start with
，or 。, and it knows only one font per run of markup — it cannot fall back glyph by
glyph to the Ext B font for 𠈌 or report a character no font has. Here:

* :func:`break_lines` breaks between any two characters except where 避头尾 forbids it:
  a line never starts with closing punctuation (:data:`NO_START`: ，。、；：！？）》” …)
  and never ends with opening punctuation (:data:`NO_END`: （《“ …); a doubled dash or
  ellipsis is never split; Latin words and numbers (C001, 2026-11-20, 40%) stay whole.
  When the character that overflows may not start a line, the previous character is
  pushed down with it (推出); justification then spreads the shorter line. Only when
  no legal break exists at all is the punctuation squeezed onto the line.
* :class:`Typesetter` measures and draws text run by run through a role's
  :class:`~app.documents.fonts.FontChain`, draws a boxed code point for a glyph no
  font has, and collects those as :class:`~app.documents.fonts.MissingGlyph`.
* :class:`Para` is a reportlab Flowable (usable in frames and table cells) that
  splits across pages line by line.
"""

from __future__ import annotations

import string
from collections.abc import Callable
from dataclasses import dataclass, replace
from itertools import combinations, pairwise
from typing import Any

from reportlab.lib import colors
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable

from app.documents.fonts import FontRoles, MissingGlyph, font_roles

#: May not start a line (行首禁则).
NO_START = frozenset("，。、；：！？）》」』】〕〉〗〙〛”’…·％‰℃,.;:!?)]}%")
#: May not end a line (行尾禁则).
NO_END = frozenset("（《「『【〔〈〖〘〚“‘([{￥$")
#: Doubled marks that are never split (——, ……).
PAIRED = frozenset("—…")
_WORD = frozenset(string.ascii_letters + string.digits + "._-/:@#&+%'")
_ASCENT = 0.88  # CJK em box: 0.88 above the baseline, 0.12 below
EPS = 0.01


@dataclass(frozen=True, slots=True)
class TextStyle:
    """How a paragraph is set. ``indent`` is the first-line indent in em (2 = 空两格)."""

    role: str = "plain"
    size: float = 10.5
    leading: float = 15.75
    align: str = "justify"  # left | center | right | justify
    indent: float = 0.0
    tracking: float = 0.0  # extra advance per character, pt (negative on the 28-char grid)
    color: Any = colors.black
    space_before: float = 0.0
    space_after: float = 0.0
    keep_with_next: bool = False

    def derive(self, **changes: Any) -> TextStyle:
        return replace(self, **changes)


@dataclass(frozen=True, slots=True)
class Line:
    """Characters ``text[start:end]`` on one line; ``last`` lines are not justified."""

    start: int
    end: int
    natural: float  # width without trailing spaces
    indent: float
    last: bool


def can_break(text: str, j: int) -> bool:
    """May a line end between ``text[j-1]`` and ``text[j]``?"""
    a, b = text[j - 1], text[j]
    if b in NO_START or a in NO_END:
        return False
    if a == " " or b == " ":
        return True
    if a == b and a in PAIRED:
        return False
    return not (a in _WORD and b in _WORD)


def break_lines(text: str, adv: list[float], width: float, indent: float = 0.0) -> list[Line]:
    """Greedy line breaking with 避头尾; ``adv[i]`` is the advance of ``text[i]``.

    ``\\n`` is a hard break. Every character lands on exactly one line, in order.
    """
    lines: list[Line] = []
    seg_start = 0
    for seg in text.split("\n"):
        s, e = seg_start, seg_start + len(seg)
        seg_start = e + 1
        start, first = s, True
        if s == e:
            lines.append(Line(s, s, 0.0, indent, True))
            continue
        while start < e:
            ind = indent if first else 0.0
            avail = width - ind
            x, i = 0.0, start
            while i < e and (i == start or x + adv[i] <= avail + EPS or text[i] == " "):
                x += adv[i]
                i += 1
            if i >= e:
                lines.append(_line(text, adv, start, e, ind, True))
                break
            j = i
            while j > start and not can_break(text, j):
                j -= 1
            if j == start:  # no legal break: squeeze closing punctuation in, else cut
                j = i + 1 if text[i] in NO_START else i
            lines.append(_line(text, adv, start, j, ind, j >= e))
            start = j
            while start < e and text[start] == " ":
                start += 1
            first = False
    return lines


def _line(text: str, adv: list[float], start: int, end: int, indent: float, last: bool) -> Line:
    stop = end
    while stop > start and text[stop - 1] == " ":
        stop -= 1
    return Line(start, stop, sum(adv[start:stop]), indent, last)


class Typesetter:
    """Measures, breaks and draws text for one document; collects missing glyphs.

    One per document build: :attr:`missing` ends up on the DocumentResult.
    """

    def __init__(self, roles: FontRoles | None = None) -> None:
        self.roles = roles or font_roles()
        self.missing: dict[int, MissingGlyph] = {}

    def advances(self, text: str, style: TextStyle) -> list[float]:
        chain = self.roles.chain(style.role)
        size, track = style.size, style.tracking
        out = []
        for ch in text:
            cp = ord(ch)
            idx = chain.face_index(cp)
            if ch == "\n":
                out.append(0.0)
            elif idx < 0:
                out.append(size + track)
            else:
                out.append(chain.faces[idx].advance(cp) * size / 1000.0 + track)
        return out

    def layout(self, text: str, style: TextStyle, width: float) -> list[Line]:
        """Break ``text`` for ``width``; centred text (titles) gets lines of even length.

        GB/T 9704 wants a multi-line title arranged symmetrically, not a full line and
        an orphaned last word: the narrowest width that keeps the same number of lines
        is found by bisection and used for breaking.
        """
        self._note_missing(text, style)
        adv = self.advances(text, style)
        indent = style.indent * (style.size + style.tracking)  # 空两格 = two grid cells
        lines = break_lines(text, adv, width, indent)
        if style.align == "center" and len(lines) > 1 and "\n" not in text:
            lo, hi = sum(adv) / len(lines), width
            for _ in range(12):
                mid = (lo + hi) / 2
                if len(break_lines(text, adv, mid, indent)) > len(lines):
                    lo = mid
                else:
                    hi = mid
            lines = break_lines(text, adv, hi, indent)
        return lines

    def width(self, text: str, style: TextStyle) -> float:
        return sum(self.advances(text, style))

    def _note_missing(self, text: str, style: TextStyle) -> None:
        for ch in self.roles.chain(style.role).missing(text):
            cp = ord(ch)
            if cp not in self.missing:
                at = text.index(ch)
                context = text[max(0, at - 12): at + 12].replace("\n", " ")
                self.missing[cp] = MissingGlyph(ch, f"U+{cp:04X}", context)

    def draw_line(self, canv: Canvas, x: float, y: float, text: str, line: Line,
                  style: TextStyle, width: float) -> None:
        """Draw one laid-out line with its left edge at ``x`` and baseline at ``y``."""
        chunk = text[line.start:line.end]
        avail = width - line.indent
        extra = 0.0
        justify = style.align == "justify" and not line.last
        if len(chunk) > 1 and (justify or line.natural > avail + EPS):  # spread or squeeze
            extra = (avail - line.natural) / (len(chunk) - 1)
        natural = line.natural + extra * max(len(chunk) - 1, 0)
        offset = {"center": (avail - natural) / 2, "right": avail - natural}.get(style.align, 0.0)
        self.draw_chars(canv, x + line.indent + max(offset, 0.0), y, chunk, style, extra)

    def draw_text(self, canv: Canvas, x: float, y: float, text: str, style: TextStyle,
                  anchor: str = "left") -> float:
        """Draw a single line (headers, footers, cells drawn by hand); returns its width."""
        self._note_missing(text, style)
        w = self.width(text, style)
        x -= {"center": w / 2, "right": w}.get(anchor, 0.0)
        self.draw_chars(canv, x, y, text, style, 0.0)
        return w

    def draw_chars(self, canv: Canvas, x: float, y: float, text: str, style: TextStyle,
                   extra: float) -> None:
        """Draw ``text`` as one PDF text object, switching fonts run by run.

        One BT/ET per line keeps big documents fast; the placeholders for missing
        glyphs are drawn after it, at the positions the runs left for them.
        """
        chain = self.roles.chain(style.role)
        size, cs = style.size, style.tracking + extra
        runs = list(chain.runs(text))
        canv.saveState()
        canv.setFillColor(style.color)
        if any(i >= 0 and chain.embolden[i] for i, _ in runs):  # faux bold: fill and stroke
            canv.setStrokeColor(style.color)
            canv.setLineWidth(size * 0.035)
        t = canv.beginText(x, y)
        if cs:
            t.setCharSpace(cs)
        mode, holes = 0, []
        placeholders = any(i < 0 for i, _ in runs)      # only they need to know where a run ends
        for idx, run in runs:
            if idx < 0:
                for ch in run:
                    holes.append((x, ord(ch)))
                    x += size + cs
                t.setTextOrigin(x, y)
                continue
            face = chain.faces[idx]
            t.setFont(face.name, size)
            if (2 if chain.embolden[idx] else 0) != mode:
                mode = 2 - mode
                t.setTextRenderMode(mode)
            t.textOut(run)
            if placeholders:
                x += sum(face.advance(ord(c)) for c in run) * size / 1000.0 + cs * len(run)
        canv.drawText(t)
        canv.restoreState()
        for hx, cp in holes:
            self._placeholder(canv, hx, y, cp, size)

    def _placeholder(self, canv: Canvas, x: float, y: float, cp: int, size: float) -> None:
        """A glyph no font has: a red box with its code point in hex on two rows, as the
        "last resort" fonts show it — visible on paper, never a blank."""
        digits = f"{cp:X}"
        half = (len(digits) + 1) // 2
        small = size * 0.36
        canv.saveState()
        canv.setStrokeColor(colors.red)
        canv.setLineWidth(0.6)
        canv.rect(x + 0.06 * size, y - 0.12 * size, 0.88 * size, 0.98 * size)
        canv.setFillColor(colors.red)
        serif = self.roles.chain("plain").faces[-2]  # the bundled serif always has ASCII
        canv.setFont(serif.name, small)
        canv.drawCentredString(x + size / 2, y + 0.42 * size, digits[:half])
        canv.drawCentredString(x + size / 2, y + 0.02 * size, digits[half:])
        canv.restoreState()

    def para(self, text: str, style: TextStyle) -> Para:
        return Para(self, text, style)


class Para(Flowable):
    """A paragraph set by :class:`Typesetter`; splits between lines across pages."""

    def __init__(self, ts: Typesetter, text: str, style: TextStyle,
                 lines: list[Line] | None = None, for_width: float | None = None) -> None:
        super().__init__()
        self.ts, self.text, self.style = ts, text, style
        self.spaceBefore, self.spaceAfter = style.space_before, style.space_after
        self.keepWithNext = style.keep_with_next
        self._lines: list[Line] = lines or []
        self._for_width = for_width if lines else None

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        if self._for_width != availWidth:
            self._lines = self.ts.layout(self.text, self.style, availWidth)
            self._for_width = availWidth
        self.width, self.height = availWidth, len(self._lines) * self.style.leading
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        self.wrap(availWidth, availHeight)
        fit = int((availHeight + EPS) // self.style.leading)
        if fit <= 0:
            return []
        if fit >= len(self._lines):
            return [self]
        cut = self._lines[fit].start
        head = Para(self.ts, self.text[:cut], self.style.derive(space_after=0.0),
                    self._lines[:fit], availWidth)
        tail_style = self.style.derive(space_before=0.0, indent=0.0)
        if self.text[cut - 1:cut] == "\n":  # the tail starts a new paragraph: keep its indent
            tail_style = tail_style.derive(indent=self.style.indent)
        shifted = [replace(ln, start=ln.start - cut, end=ln.end - cut) for ln in self._lines[fit:]]
        return [head, Para(self.ts, self.text[cut:], tail_style, shifted, availWidth)]

    def draw(self) -> None:
        lead, size = self.style.leading, self.style.size
        base = (lead - size) / 2 + _ASCENT * size
        for i, line in enumerate(self._lines):
            y = self.height - i * lead - base
            self.ts.draw_line(self.canv, 0.0, y, self.text, line, self.style, self.width)


#: Where an official title may break (GB/T 9704-2012 7.3.1: a title of several lines is broken so that
#: every word stays whole, 词意完整): after these words, and before these.
TITLE_BREAK_AFTER = ("关于", "年度", "系列", "委员会")
TITLE_BREAK_BEFORE = ("职称评审", "评审结果", "评审工作", "结果", "备案", "工作总结", "拟通过", "人员名单",
                      "的报告", "的公示", "的通知")


def title_breaks(text: str) -> list[int]:
    """The positions ``j`` where ``text`` may break between ``text[j-1]`` and ``text[j]``: at a word
    boundary of :data:`TITLE_BREAK_AFTER` / :data:`TITLE_BREAK_BEFORE`, never inside a word or a
    number (2026年度 stays whole)."""
    found = {j for j in range(1, len(text))
             if any(text[:j].endswith(w) for w in TITLE_BREAK_AFTER)
             or any(text.startswith(w, j) for w in TITLE_BREAK_BEFORE)}
    return sorted(found)


def break_title(text: str, width: Callable[[str], float], limit: float, most: int = 4) -> str:
    """``text`` with line breaks (``\\n``) at word boundaries (:func:`title_breaks`) so that every line
    is at most ``limit`` wide by ``width``: the fewest lines, then the most even ones (the widest line
    as narrow as can be), the longer line first when two splits are as even (GB/T 9704's 梯形). A title
    with explicit ``\\n`` is broken line by line; one that no word boundary lets fit is returned as it
    is, for the typesetter to break."""
    if "\n" in text:
        return "\n".join(break_title(line, width, limit, most) for line in text.split("\n"))
    if width(text) <= limit:
        return text
    points = title_breaks(text)
    for n in range(1, min(most, len(points)) + 1):
        best: tuple[float, float, list[str]] | None = None
        for cut in combinations(points, n):
            edges = (0, *cut, len(text))
            lines = [text[a:b] for a, b in pairwise(edges)]
            widths = [width(line) for line in lines]
            if max(widths) > limit:
                continue
            key = (max(widths), -widths[0])
            if best is None or key < best[:2]:
                best = (*key, lines)
        if best is not None:
            return "\n".join(best[2])
    return text
