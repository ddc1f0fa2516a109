"""Building blocks shared by the documents: tables, signature lines, seal area, boxes.

Why here: every sheet has the same ruled tables, the same "（签字）" lines and the same
formats for dates and rates; keeping them in one place keeps the documents alike and
the document modules about content only. Tables hold :class:`~app.documents.text.Para`
cells so that 避头尾, font fallback and missing-glyph reporting apply inside them too.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, LongTable, Table, TableStyle

from app.documents.model import (
    FAIL_REASON_NAMES,
    OUTCOME_NAMES,
    Candidate,
    FailReason,
    Meeting,
    MeetingReport,
    Outcome,
)
from app.documents.qr import canonical_sha256
from app.documents.text import TextStyle, Typesetter

CELL = TextStyle(role="plain", size=9, leading=13, align="left")
CELL_HEAD = CELL.derive(role="heading", align="center")
SIGN = CELL.derive(size=10.5)
SMALL_NOTE = CELL.derive(size=7.5, leading=10)
LONG_TABLE_ROWS = 60  # past this, LongTable: its height pass is linear in the rows


def date_cn(d: dt.date | None) -> str:
    """2026年11月20日 (Arabic numerals, as GB/T 9704-2012 writes dates)."""
    return f"{d.year}年{d.month}月{d.day}日" if d else "____年__月__日"


#: What a table prints for a fact that was never recorded, and running text's line to fill by hand:
#: a paper never guesses a fact (an authority, a filing number, a venue, a unit).
NOT_ENTERED = "（未填写）"
FILL_IN = "____________"


def entered(text: str | None, blank: str = NOT_ENTERED) -> str:
    """A recorded fact as printed, or ``blank`` when it was not recorded."""
    return text.strip() if text and text.strip() else blank


def date_span(start: dt.date, end: dt.date) -> str:
    """2026年11月20日, or 2026年11月20日至2026年11月21日 for a meeting of several days."""
    return date_cn(start) if start == end else f"{date_cn(start)}至{date_cn(end)}"


def draw_when(m: Meeting) -> str:
    """When the panel was drawn, as the draw recorded it, in local time: 2026年11月19日 09:30（北京时间）;
    "" when the meeting holds no time of its draw."""
    t = m.draw_time
    if t is not None:
        return f"{date_cn(t.date())} {t:%H:%M}（北京时间）"
    return date_cn(m.draw_date) if m.draw_date else ""


def percent(rate: Decimal | None) -> str:
    if rate is None:
        return "不限"
    return f"{format((rate * 100).normalize(), 'f')}%"


def outcome_text(outcome: Outcome, reason: FailReason | None, note: str = "") -> str:
    """通过 / 未通过（原因） / 待再次投票."""
    text = OUTCOME_NAMES[outcome]
    if outcome is Outcome.FAILED and reason is not None:
        text += f"（{FAIL_REASON_NAMES[reason]}{'；' + note if note else ''}）"
    return text


def candidate_outcome(c: Candidate) -> str:
    return outcome_text(c.outcome, c.fail_reason, c.fail_note)


def doc_id(report: MeetingReport, kind: str, *parts: str) -> str:
    """Document ids: ``<meeting id>.<kind>[.<part>...]``, e.g. ``QC2026-WSGJ.result.C001``."""
    return ".".join((report.meeting.id, kind, *parts))


def content_sha(report: MeetingReport, kind: str, /, **shown: Any) -> str:
    """Digest of what a document shows: its kind, committee, meeting and the parts named."""
    return canonical_sha256({"document": kind, "committee": report.committee,
                             "meeting": report.meeting, **shown})


def table(ts: Typesetter, header: Sequence[str], rows: Sequence[Sequence[Any]],
          widths: Sequence[float], *, aligns: Sequence[str] | None = None,
          style: TextStyle = CELL, head_style: TextStyle = CELL_HEAD,
          row_heights: float | None = None, extra: Sequence[tuple[Any, ...]] = ()) -> Table:
    """A ruled table with a repeated header row; strings become paragraphs."""
    aligns = aligns or ["left"] * len(widths)
    cell_styles = [style.derive(align=a) for a in aligns]
    data: list[list[Any]] = []
    if header:
        data.append([ts.para(h, head_style) for h in header])
    for row in rows:
        data.append([v if isinstance(v, Flowable) else ts.para(str(v), cell_styles[i])
                     for i, v in enumerate(row)])
    kind = LongTable if len(data) > LONG_TABLE_ROWS else Table
    heights = None if row_heights is None else [None] * (1 if header else 0) + [row_heights] * len(rows)
    t = kind(data, colWidths=list(widths), rowHeights=heights, repeatRows=1 if header else 0)
    commands: list[tuple[Any, ...]] = [
        ("FONTNAME", (0, 0), (-1, -1), base_font(ts)),  # else reportlab selects Helvetica
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), 3), ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ]
    if header:
        commands.append(("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#EEEEEE")))
    t.setStyle(TableStyle([*commands, *extra]))
    return t


def base_font(ts: Typesetter) -> str:
    """The bundled serif's reportlab name: every font a PDF names must be embedded."""
    return ts.roles.chain("plain").faces[-2].name


def side_by_side(ts: Typesetter, cells: Sequence[Any], widths: Sequence[float]) -> Table:
    """One borderless row of flowables (signature lines beside the seal area)."""
    t = Table([list(cells)], colWidths=list(widths))
    t.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), base_font(ts)),
                           ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))
    return t


def kv_table(ts: Typesetter, rows: Sequence[tuple[str, str]], width: float,
             label_width: float = 28 * mm) -> Table:
    """Label | value rows (基本情况 tables)."""
    return table(ts, (), rows, (label_width, width - label_width),
                 extra=[("BACKGROUND", (0, 0), (0, -1), colors.HexColor("#F4F4F4"))])


class SignatureLine(Flowable):
    """``label`` followed by a rule to sign on, and optionally a date rule."""

    def __init__(self, ts: Typesetter, label: str, width: float, *, with_date: bool = True,
                 style: TextStyle = SIGN, height: float = 30) -> None:
        super().__init__()
        self.ts, self.label, self.style = ts, label, style
        self.with_date, self.width, self.height = with_date, width, height

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return self.width, self.height

    def printed(self) -> list[str]:
        return [self.label, "日期："] if self.with_date else [self.label]

    def draw(self) -> None:
        c, y = self.canv, 6
        x = self.ts.draw_text(c, 0, y, self.label, self.style) + 4
        end = self.width * (0.62 if self.with_date else 1.0)
        c.setLineWidth(0.6)
        c.line(x, y - 3, end, y - 3)
        if self.with_date:
            x = end + 10 + self.ts.draw_text(c, end + 10, y, "日期：", self.style)
            c.line(x, y - 3, self.width, y - 3)


def root_fingerprint_line(ts: Typesetter, report: MeetingReport) -> Flowable:
    """The committee root's SHA-256 in small print: the anchor a verifier compares with the root they
    were handed (``conclave verify --trust ROOT.pem``). Before the key exists, a line to fill in."""
    value = report.root_fingerprint or FILL_IN * 4
    return ts.para(f"评委会根证书SHA-256指纹（核验电子签章及二维码用）：{value}",
                   SMALL_NOTE.derive(color=colors.HexColor("#444444")))


class SealArea(Flowable):
    """A dashed circle where the committee seal (评委会印章) is stamped."""

    def __init__(self, ts: Typesetter, label: str = "（评委会印章）", diameter: float = 42 * mm
                 ) -> None:
        super().__init__()
        self.ts, self.label, self.d = ts, label, diameter
        self.width = self.height = diameter

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return self.d, self.d

    def printed(self) -> list[str]:
        return [self.label]

    def draw(self) -> None:
        c, r = self.canv, self.d / 2
        x, y = c.absolutePosition(0, 0)
        note = getattr(getattr(c, "_doctemplate", None), "note_seal_box", None)
        if note is not None:        # the committee's seal is placed in this circle when sealed
            note((x, y, x + self.d, y + self.d))
        c.saveState()
        c.setStrokeColor(colors.HexColor("#999999"))
        c.setDash(3, 3)
        c.circle(r, r, r - 1)
        c.restoreState()
        self.ts.draw_text(c, r, r - 3, self.label,
                          CELL.derive(color=colors.HexColor("#777777")), anchor="center")


class Box(Flowable):
    """An empty square to tick (ballots); centred in its cell."""

    def __init__(self, size: float = 5 * mm) -> None:
        super().__init__()
        self.size = size
        self.width = self.height = size

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.width = availWidth
        return availWidth, self.size

    def draw(self) -> None:
        self.canv.setLineWidth(0.8)
        self.canv.rect((self.width - self.size) / 2, 0, self.size, self.size)
