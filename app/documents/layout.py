"""Page templates: the GB/T 9704 official notice and the plain A4 sheet; the build step.

Why: every printed page must carry the same furniture — page numbers and the QR code
of the sheet it belongs to — whatever document it is, and official notices must keep
the GB/T 9704-2012 layout: A4, 天头 37 mm, 订口 28 mm, 版心 156 × 225 mm, 22 lines of
28 characters, title 2号 (22 pt) 小标宋, body 3号 (16 pt) 仿宋, page numbers
"— 1 —" in 4号 (14 pt) 7 mm under the 版心, odd pages right and even pages left,
one character in from the edge.

A signature block never stands alone on a page: the signature lines (and the 落款 of a
notice) are kept with the last rows of the table or the last lines of the text they
attest (:class:`Attested`, applied by :func:`render` to every story).

A PDF may hold several *sheets* (one result sheet per candidate, one commitment letter
per expert, one ballot per voter); each sheet starts on a new page with a
:class:`SheetStart` marker, has its own QR payload and its own "第 x 页 共 y 页". The
totals are not known while pages are drawn, so they are PDF form XObjects filled in
when the document is saved (one pass, no second build). The copies of one sheet (a round's
ballots, one per voter) are laid out and drawn once: each page's body is a form that every
copy's page shows, under its own page furniture (:attr:`ConclaveDocument.copies`).

The digest a sheet's QR code carries is taken from what the sheet *prints*
(:func:`printed_digests`): the text of every paragraph, table cell and signature line
of its story, in order, read from the story before it is laid out — so neither page
breaks nor fonts change it, and a fact that prints the same (a field that was None and
is now "", both printed as "（未填写）") leaves it, and the document's id, unchanged.
Only a document whose printed content changed is issued as a new revision.
"""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageBreak, PageTemplate, Spacer, Table

from app.documents.fonts import MissingGlyph
from app.documents.qr import canonical_sha256, draw_qr, qr_matrix, qr_payload
from app.documents.text import Para, TextStyle, Typesetter

# -- GB/T 9704 ---------------------------------------------------------------------
GB_TOP, GB_LEFT, GB_WIDTH, GB_HEIGHT = 37 * mm, 28 * mm, 156 * mm, 225 * mm
GB_LINES, GB_CHARS = 22, 28
LINE_PITCH = GB_HEIGHT / GB_LINES  # 28.99 pt
CHAR_PITCH = GB_WIDTH / GB_CHARS  # 15.79 pt: 16 pt glyphs on a 28-character grid
_GRID = {"leading": LINE_PITCH, "tracking": CHAR_PITCH - 16}

OFFICIAL_TITLE = TextStyle(role="title", size=22, leading=LINE_PITCH, align="center")
OFFICIAL_BODY = TextStyle(role="body", size=16, indent=2, **_GRID)
OFFICIAL_PLAIN = OFFICIAL_BODY.derive(indent=0, align="left")  # 主送机关, 附件
OFFICIAL_H1 = OFFICIAL_BODY.derive(role="heading")  # 一、 黑体
OFFICIAL_H2 = OFFICIAL_BODY.derive(role="kai")  # （一） 楷体
OFFICIAL_SIGN = OFFICIAL_BODY.derive(indent=0, align="right")  # 落款, 成文日期
PAGE_NO = TextStyle(role="plain", size=14, leading=14)

# -- plain sheets --------------------------------------------------------------------
PLAIN_MARGIN = 18 * mm
PLAIN_TOP, PLAIN_BOTTOM = 22 * mm, 30 * mm
TITLE = TextStyle(role="title", size=18, leading=30, align="center", space_after=6)
SUBTITLE = TextStyle(role="plain", size=11, leading=18, align="center", space_after=6)
H1 = TextStyle(role="heading", size=13, leading=22, align="left", space_before=8,
               space_after=2, keep_with_next=True)
H2 = TextStyle(role="heading", size=11, leading=18, align="left", space_before=6,
               keep_with_next=True)
BODY = TextStyle(role="plain", size=10.5, leading=17)
SMALL = TextStyle(role="plain", size=8, leading=10, align="left")
MARKING = TextStyle(role="heading", size=10, leading=12, align="center", color=colors.HexColor("#B3261E"))
QR_SIZE = 20 * mm
OFFICIAL_QR_SIZE = 22 * mm   # below the 版心, beside the page number
QR_MODULE = 0.55 * mm        # 3.2 px at 150 dpi: a 150 dpi scan of the paper still decodes (zbarimg)

_BUILD_LOCK = threading.Lock()  # reportlab fonts keep per-document state: one build at a time


@dataclass(frozen=True, slots=True)
class Sheet:
    """A printed unit with its own QR code: document id and digest of what it shows — left empty by
    the document functions, and filled by :func:`render` from what the sheet prints
    (:func:`printed_digests`)."""

    doc_id: str
    sha256: str = ""
    qr_text: str = ""  # the QR's text when it is not the ``conclave:1:`` form (signed facts)

    @property
    def payload(self) -> str:
        return self.qr_text or qr_payload(self.doc_id, self.sha256)


@dataclass(frozen=True, slots=True)
class SheetRef:
    """Where a sheet landed in the PDF."""

    doc_id: str
    sha256: str
    first_page: int
    pages: int
    seal_box: tuple[float, float, float, float] | None = None  # the seal circle on the sheet's page
    seal_page: int | None = None  # 1-based page of the PDF holding seal_box


@dataclass(frozen=True, slots=True)
class DocumentResult:
    """What a document function made. ``missing_glyphs`` empty means every character printed."""

    path: Path
    doc_id: str
    sha256: str
    pages: int
    missing_glyphs: tuple[MissingGlyph, ...] = ()
    sheets: tuple[SheetRef, ...] = ()


def qr_size(payload: str, least: float) -> float:
    """The printed size of the QR code of ``payload``: at least ``least``, and at least
    :data:`QR_MODULE` per module, so a longer payload (more modules) is printed larger."""
    return max(least, len(qr_matrix(payload)) * QR_MODULE)


class SheetStart(Flowable):
    """Zero-size marker: from this page on, pages belong to ``sheet``."""

    def __init__(self, sheet: Sheet) -> None:
        super().__init__()
        self.sheet = sheet
        self.width = self.height = 0

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        self.canv._doctemplate.start_sheet(self.sheet)


def sheets_story(parts: Sequence[tuple[Sheet, list[Flowable]]]) -> list[Flowable]:
    """Concatenate sheets, each starting on a new page."""
    story: list[Flowable] = []
    for i, (sheet, flowables) in enumerate(parts):
        if i:
            story.append(PageBreak())
        story.append(SheetStart(sheet))
        story.extend(flowables)
    return story


class _Canvas(Canvas):
    """Canvas that lets the document define its deferred forms right before saving."""

    before_save: Callable[[Canvas], None] | None = None

    def save(self) -> None:
        if self.before_save is not None:
            self.before_save(self)
        super().save()


@dataclass
class _SheetState:
    sheet: Sheet
    first_page: int
    pages: int = 0
    seal_box: tuple[float, float, float, float] | None = None
    seal_page: int | None = None
    copy_of: int | None = None      # the sheet this one repeats page for page (:attr:`ConclaveDocument.copies`)


class ConclaveDocument(BaseDocTemplate):
    """A document of one or more sheets, ``official`` (GB/T 9704) or ``plain`` A4."""

    def __init__(self, path: Path, ts: Typesetter, *, title: str, header: str = "",
                 official: bool = False, wide: bool = False, marking: str = "",
                 qr_size: float = QR_SIZE, copies: int = 1) -> None:
        pagesize = landscape(A4) if wide else A4
        if official:
            margins = {"leftMargin": GB_LEFT, "topMargin": GB_TOP,
                       "rightMargin": A4[0] - GB_LEFT - GB_WIDTH,
                       "bottomMargin": A4[1] - GB_TOP - GB_HEIGHT}
        else:
            margins = {"leftMargin": PLAIN_MARGIN, "rightMargin": PLAIN_MARGIN,
                       "topMargin": PLAIN_TOP, "bottomMargin": max(PLAIN_BOTTOM, qr_size + 10 * mm)}
        super().__init__(str(path), pagesize=pagesize, title=title, author=header,
                         creator="Conclave", invariant=1, lang="zh-CN",
                         initialFontName=ts.roles.chain("plain").faces[-2].name, **margins)
        self.ts, self.official, self.doc_title, self.header = ts, official, title, header
        self.marking = marking  # printed at the top of every page, e.g. 内部资料 严格保密 (X§10(九))
        frame = Frame(self.leftMargin, self.bottomMargin, self.width, self.height,
                      leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0, id="body")
        self.addPageTemplates([PageTemplate("page", [frame], onPage=self._begin_page, onPageEnd=self._decorate)])
        self.sheet_states: list[_SheetState] = []
        self.pages = 0
        self.qr_size = qr_size
        # ``copies`` > 1: the story is one sheet printed that many times (a round's ballots, one per
        # voter): its pages are laid out and drawn once, as forms, and every copy's pages show them
        self.copies = copies
        self._page_forms: list[str] = []
        self._qr_forms: dict[str, str] = {}   # payload -> the form that draws its QR code

    def build(self, flowables: list[Flowable], **kw: Any) -> None:
        """Build with the canvas that defines the deferred forms (totals, QR codes)."""
        kw.setdefault("canvasmaker", _Canvas)
        super().build(flowables, **kw)

    # -- sheets and page furniture --------------------------------------------------
    def start_sheet(self, sheet: Sheet) -> None:
        self.sheet_states.append(_SheetState(sheet, self.canv.getPageNumber()))

    def note_seal_box(self, box: tuple[float, float, float, float]) -> None:
        """Where the current sheet's seal circle was drawn (page coordinates): the seal goes there."""
        state = self.sheet_states[-1]
        state.seal_box, state.seal_page = box, self.canv.getPageNumber()

    def beforeDocument(self) -> None:
        self.canv.before_save = self._finish

    def _begin_page(self, canv: Canvas, _doc: BaseDocTemplate) -> None:
        if self.copies > 1:                  # the page's body is drawn into a form, shown by every copy
            self._page_forms.append(f"page{len(self._page_forms)}")
            canv.beginForm(self._page_forms[-1])

    def _decorate(self, canv: Canvas, _doc: BaseDocTemplate) -> None:
        if self.copies > 1:
            canv.endForm()
            canv.doForm(self._page_forms[-1])
        self.pages += 1
        if not self.sheet_states:
            raise RuntimeError("a document must start with SheetStart")
        state = self.sheet_states[-1]
        state.pages += 1
        self._furniture(canv, state, len(self.sheet_states) - 1)

    def _furniture(self, canv: Canvas, state: _SheetState, k: int) -> None:
        canv.saveState()
        if self.official:
            self._official_furniture(canv, state.pages, k)
        else:
            self._plain_furniture(canv, state, k)
        canv.restoreState()

    def _finish(self, canv: Canvas) -> None:
        """The other copies' pages — each shows the body of the first copy's page and its own page
        furniture, as the first copy's — then the forms."""
        if self.copies > 1:
            if len(self.sheet_states) != 1:
                raise RuntimeError("a document of copies holds one sheet")
            first = self.sheet_states[0]
            for _ in range(self.copies - 1):
                copy = _SheetState(first.sheet, self.pages + 1, copy_of=0, seal_box=first.seal_box)
                if first.seal_page is not None:
                    copy.seal_page = copy.first_page + first.seal_page - first.first_page
                self.sheet_states.append(copy)
                for form in self._page_forms:
                    canv.doForm(form)
                    copy.pages += 1
                    self.pages += 1
                    self._furniture(canv, copy, 0)       # its page total is the first copy's (pgtotal0)
                    canv.showPage()
        self._define_forms(canv)

    def _official_furniture(self, canv: Canvas, page: int, k: int) -> None:
        y = self.bottomMargin - 7 * mm - PAGE_NO.size * 0.88
        label = f"— {page} —"
        right = page % 2 == 1  # 单页码居右空一字，双页码居左空一字
        edge = self.leftMargin + self.width - PAGE_NO.size if right else self.leftMargin + PAGE_NO.size
        self.ts.draw_text(canv, edge, y, label, PAGE_NO, anchor="right" if right else "left")
        payload = self.sheet_states[k].sheet.payload
        size = qr_size(payload, OFFICIAL_QR_SIZE)
        qx = self.leftMargin if right else self.leftMargin + self.width - size
        self._qr(canv, payload, qx, 6 * mm, size)

    def _plain_furniture(self, canv: Canvas, state: _SheetState, k: int) -> None:
        w, h = self.pagesize
        left, right = self.leftMargin, w - self.rightMargin
        small = SMALL.derive(color=colors.HexColor("#444444"))
        top = h - self.topMargin + 8
        self.ts.draw_text(canv, left, top, self.header, small)
        self.ts.draw_text(canv, right, top, self.doc_title, small, anchor="right")
        if self.marking:
            self.ts.draw_text(canv, w / 2, top, self.marking, MARKING, anchor="center")
        canv.setStrokeColor(colors.HexColor("#888888"))
        canv.setLineWidth(0.5)
        canv.line(left, top - 3, right, top - 3)
        y = 12 * mm
        text = f"第 {state.pages} 页  共 "
        x = w / 2 - self.ts.width(text, SMALL) / 2 - 6
        x += self.ts.draw_text(canv, x, y, text, SMALL)
        canv.saveState()
        canv.translate(x, y)
        canv.doForm(f"pgtotal{k}")
        canv.restoreState()
        self.ts.draw_text(canv, left, y + 9, f"文档编号 {state.sheet.doc_id}", small)
        self.ts.draw_text(canv, left, y, f"SHA-256 {state.sheet.sha256[:32]}…", small)
        size = qr_size(state.sheet.payload, self.qr_size)
        self._qr(canv, state.sheet.payload, right - size, 5 * mm, size)

    def _qr(self, canv: Canvas, payload: str, x: float, y: float, size: float) -> None:
        """The QR code of ``payload``: one form for all the sheets that carry it (a round's ballots
        are one sheet printed once per voter: the same code on every copy, drawn once)."""
        form = self._qr_forms.setdefault(payload, f"qr{len(self._qr_forms)}")
        canv.saveState()
        canv.translate(x, y)
        canv.scale(size, size)
        canv.doForm(form)
        canv.restoreState()

    def _define_forms(self, canv: Canvas) -> None:
        """Totals and QR codes as form XObjects, now that every sheet is complete."""
        defined: set[str] = set()
        for k, state in enumerate(self.sheet_states):
            if state.copy_of is not None:        # its pages show the forms of the sheet it repeats
                continue
            form = self._qr_forms.get(state.sheet.payload)
            if form is not None and form not in defined:
                defined.add(form)
                canv.beginForm(form, 0, 0, 1, 1)
                draw_qr(canv, state.sheet.payload, 0, 0, 1)
                canv.endForm()
            if not self.official:
                canv.beginForm(f"pgtotal{k}", 0, -5, 60, 20)
                self.ts.draw_text(canv, 0, 0, f"{state.pages} 页", SMALL)
                canv.endForm()

    def refs(self) -> tuple[SheetRef, ...]:
        return tuple(SheetRef(s.sheet.doc_id, s.sheet.sha256, s.first_page, s.pages, s.seal_box, s.seal_page)
                     for s in self.sheet_states)


class Attested(Flowable):
    """A table or paragraph and the signature block under it, laid out so that the block is never
    alone on a page. When both fit they are drawn together (one flowable, so a heading kept with
    it stays with it too); when the content runs over the page it is split as usual and the block
    follows its tail; when only the block does not fit, the content's last ``keep_rows`` rows
    (table) or two lines (text) go over with it — content too short to split moves over whole."""

    def __init__(self, content: Flowable, block: list[Flowable], keep_rows: int = 2) -> None:
        super().__init__()
        self.content, self.block, self.keep_rows = content, block, keep_rows
        self._sizes: list[float] = []

    def _parts(self) -> list[Flowable]:
        return [self.content, *self.block]

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self._sizes = [f.wrapOn(self.canv, availWidth, availHeight)[1] for f in self._parts()]
        spaces = [f.getSpaceBefore() + f.getSpaceAfter() for f in self._parts()]
        self._content_h = self._sizes[0] + spaces[0]
        self._block_h = sum(self._sizes[1:]) + sum(spaces[1:])
        self.width, self.height = availWidth, self._content_h + self._block_h
        return self.width, self.height

    def draw(self) -> None:
        y = self.height
        for f, h in zip(self._parts(), self._sizes, strict=True):
            y -= f.getSpaceBefore() + h
            f.drawOn(self.canv, 0, y)
            y -= f.getSpaceAfter()

    def _kept(self) -> float:
        """The height of the content that must go with the block: its last rows or lines."""
        c = self.content
        if isinstance(c, Table):
            heights = list(getattr(c, "_rowHeights", None) or [])
            return float(sum(heights[-self.keep_rows:])) if len(heights) > self.keep_rows + c.repeatRows else \
                self._content_h
        if isinstance(c, Para):
            return min(self._content_h, 2 * c.style.leading)
        return self._content_h

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        self.wrap(availWidth, availHeight)
        if self.height <= availHeight:
            return [self]
        # the content runs over: fill the page, the block follows the rest; else keep its last rows
        target = min(availHeight, self._content_h - self._kept())
        parts = self.content.split(availWidth, target) if target > 0 else []
        if len(parts) >= 2:
            return [parts[0], Attested(parts[1], self.block, self.keep_rows)]
        frame = getattr(self, "_frame", None)
        if frame is None or getattr(frame, "_atTop", False):
            return [self.content, *self.block]     # taller than a page from its top: split as it may
        return []                                  # all of it on the next page


def _signs(item: Flowable) -> bool:
    """Is ``item`` part of a signature block: a signature line, the seal area, a row holding them,
    or the 落款 and date of an official notice?"""
    if callable(getattr(item, "printed", None)) and not isinstance(item, Para):
        return True
    if isinstance(item, Para):
        return item.style == OFFICIAL_SIGN
    if isinstance(item, Table):
        return any(_signs(x) for row in item._cellvalues for cell in row
                   for x in (cell if isinstance(cell, list | tuple) else [cell]) if isinstance(x, Flowable))
    return False


def attest_signatures(story: list[Flowable]) -> list[Flowable]:
    """``story`` with every signature block (signature lines, seal area, 落款 — with the spacing
    around them) bound to the table or paragraph right before it (:class:`Attested`)."""
    out: list[Flowable] = []
    i = 0
    while i < len(story):
        j = i
        while j < len(story) and (isinstance(story[j], Spacer) or _signs(story[j])):
            j += 1
        block = story[i:j]
        if any(_signs(x) for x in block) and out and isinstance(out[-1], Table | Para) and not _signs(out[-1]):
            out[-1] = Attested(out[-1], block)
            heading = out[-2] if len(out) > 1 else None
            if isinstance(heading, Para) and heading.style.role in ("heading", "kai"):
                heading.keepWithNext = True       # its text goes over with the signature: so does it
            i = j
            continue
        out.append(story[i])
        i += 1
    return out


def printed_text(item: Any) -> Iterator[str]:
    """The text ``item`` prints, in reading order: paragraphs, table cells (row by row), the
    contents of KeepTogether and similar wrappers, and what a flowable names in its own
    ``printed()`` (signature lines, the seal area). Page furniture is not part of it."""
    if item is None:
        return
    if isinstance(item, str):
        yield item
    elif isinstance(item, Para):
        yield item.text
    elif isinstance(item, list | tuple):
        for x in item:
            yield from printed_text(x)
    elif isinstance(item, Table):
        for row in item._cellvalues:
            for cell in row:
                yield from printed_text(cell)
    elif isinstance(item, Attested):
        yield from printed_text([item.content, *item.block])
    elif callable(getattr(item, "printed", None)):
        yield from item.printed()
    elif isinstance(getattr(item, "_content", None), list):      # KeepTogether, KeepInFrame
        yield from printed_text(item._content)


def printed_digests(story: list[Flowable], doc_id: str) -> tuple[list[Flowable], str]:
    """``story`` with each sheet's digest replaced by the SHA-256 of what the sheet prints, and the
    digest of the whole document ``doc_id``: its own sheet's when the document is one sheet under
    its own id, else that of its sheets' digests in order (their ids left out).

    The copies of one sheet (ballots: the same paper for every voter) share one digest, over all
    their text; a document's id and revision are never part of it, so an unchanged document
    keeps its digest whatever revision the others reach."""
    texts: dict[str, list[str]] = {}
    current: list[str] | None = None
    for item in story:
        if isinstance(item, SheetStart):
            current = texts.setdefault(item.sheet.doc_id, [])
        elif current is not None:
            current.extend(printed_text(item))
    digests = {did: canonical_sha256({"printed": parts}) for did, parts in texts.items()}
    out: list[Flowable] = []
    for item in story:
        if isinstance(item, SheetStart):
            item = SheetStart(dataclasses.replace(item.sheet, sha256=digests[item.sheet.doc_id]))
        out.append(item)
    whole = digests.get(doc_id) or canonical_sha256({"sheets": list(digests.values())})
    return out, whole


def render(doc: ConclaveDocument, story: list[Flowable], doc_id: str) -> DocumentResult:
    """Build ``story`` into ``doc`` and describe the result. The digests of the document and of
    its sheets are those of what they print (:func:`printed_digests`), worked out here — for a
    document of copies (:attr:`ConclaveDocument.copies`), over the text of every copy."""
    Path(doc.filename).parent.mkdir(parents=True, exist_ok=True)
    if doc.copies > 1:           # the copies' digest is over all their text, as if each were laid out
        every, whole = printed_digests(sheets_story([(_one_sheet(story), story[1:])] * doc.copies), doc_id)
        story = [every[0], *story[1:]]
    else:
        story, whole = printed_digests(story, doc_id)
    story = attest_signatures(story)
    with _BUILD_LOCK:
        doc.build(story)
    return DocumentResult(
        path=Path(doc.filename), doc_id=doc_id, sha256=whole, pages=doc.pages,
        missing_glyphs=tuple(sorted(doc.ts.missing.values(), key=lambda m: m.codepoint)),
        sheets=doc.refs(),
    )


def _one_sheet(story: list[Flowable]) -> Sheet:
    """The sheet of a story that is one sheet (it starts with its :class:`SheetStart`)."""
    if not story or not isinstance(story[0], SheetStart):
        raise RuntimeError("a document must start with SheetStart")
    return story[0].sheet


@dataclass
class Story:
    """A small helper to write stories: ``s.p(text, style)``, ``s.add(flowable)``."""

    ts: Typesetter
    items: list[Flowable] = field(default_factory=list)

    def p(self, text: str, style: TextStyle = BODY) -> None:
        self.items.append(self.ts.para(text, style))

    def add(self, *flowables: Flowable) -> None:
        self.items.extend(flowables)
