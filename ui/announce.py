"""The results screen (结果公布): what the chair reads out after the vote, on the projector.

Big type, light on dark, the committee and the meeting at the top, the voters
present and the threshold, then the passed candidates and the not passed with
the reason in words, and any runoff still to hold. When it does not fit it
pages (←/→, PageUp/PageDown, Space); Esc closes. Sizes follow the window, so
1920×1080 and 1280×720 show the same layout. It also keeps the words for
outcomes and reasons that the ballot and signing pages share.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QRect, Qt, QTimer
from PySide6.QtGui import QColor, QFont, QFontMetrics, QKeyEvent, QPainter, QPaintEvent, QResizeEvent
from PySide6.QtWidgets import QApplication, QWidget

from app.domain import OUTCOME_ZH, REASON_ZH
from app.services import Conclave
from app.views.ballot import ResultRow, result_rows
from ui.i18n import bridge, joined, tr

REASON_EN = {
    "below_threshold": "Fewer than two thirds of the experts present voted yes",
    "ineligible": "Did not pass the eligibility re-check",
    "pass_rate_cap": "Over the pass-rate cap",
    "quota": "Over the quota of posts",
}
OUTCOME_EN = {"passed": "Passed", "failed": "Not passed", "runoff_pending": "Runoff pending"}


def outcome_text(outcome: str | None) -> str:
    if not outcome:
        return "—"
    return OUTCOME_ZH.get(outcome, outcome) if bridge.language == "zh" else OUTCOME_EN.get(outcome, outcome)


def reason_text(reason: str | None) -> str:
    """The reason for a failure in words: :data:`app.domain.REASON_ZH` in Chinese."""
    if not reason:
        return ""
    return REASON_ZH.get(reason, reason) if bridge.language == "zh" else REASON_EN.get(reason, reason)


def names(codes: object, name_of: dict[str, str]) -> str:
    return joined(f"{c} {name_of.get(c, '')}".strip() for c in sorted(codes))  # type: ignore[call-overload]


BACKGROUND = QColor("#0a1626")
TEXT = QColor("#ffffff")
DIM = QColor("#b8c7dc")
_TOP = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop
COLOURS = {"passed": QColor("#8ef0a6"), "failed": QColor("#ffb4a8"), "pending": QColor("#ffd860"),
           "note": QColor("#ffffff")}


Item = list[str]   # fields drawn in aligned columns; in a one-column section the last one wraps


@dataclass
class Section:
    title: str
    kind: str
    items: list[Item]
    columns: int = 1


@dataclass
class Placed:
    rect: QRect
    text: str
    font: QFont
    colour: QColor
    flags: int


class AnnouncementView(QWidget):
    """Full-screen results for the chair to read out; never shows how anyone voted."""

    def __init__(self, app: Conclave, meeting_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.app, self.meeting_id = app, meeting_id
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMinimumSize(640, 360)
        self.page = 0
        self.pages: list[list[Placed]] = [[]]
        self.header: list[Placed] = []
        self.sections: list[Section] = []
        self.heading: list[str] = []
        self.timer = QTimer(self)
        self.timer.setInterval(2000)
        self.timer.timeout.connect(self.reload)
        bridge.language_changed.connect(self._on_language)
        self.reload()

    def _on_language(self, _language: str) -> None:
        self.reload()

    # -- content -----------------------------------------------------------------
    def reload(self) -> None:
        info = self.app.views.meeting(self.meeting_id)
        rounds = self.app.views.rounds(self.meeting_id)
        results = self.app.views.results(self.meeting_id)
        cands = self.app.views.candidates(self.meeting_id)
        name_of = {c.code: c.name for c in cands}
        self.setWindowTitle(f"{tr('Results screen')} — {info.title}")
        self.heading = [info.committee, tr("{title}: results of the secret ballot", title=info.title)]
        self.sections = []
        open_round = next((r for r in rounds if r.status == "open"), None)
        if any(r.status == "closed" for r in rounds):
            self.heading.append(tr("Voters present: {n}   Pass mark: at least {t} yes votes (two thirds)",
                                   n=results.attending_voters, t=results.threshold))
            rows = result_rows(results, cands)
            # a candidate a runoff decided is marked *, the mark explained in the heading, its runoff votes in
            # the runoff's own section (C024 passed with "赞成 10 票" on screen while the runoff's table said 8,
            # and nothing linked the two; the runoff's votes written beside it took the list to two columns)
            decided = {code for number, counts in results.counts.items() if number > 1 for code in counts}

            def item(r: ResultRow) -> Item:
                votes = tr("{n} yes", n=r.tally.yes if r.tally else 0)
                return [r.code, r.name, votes + (" *" if r.code in decided else "")]

            passed = [item(r) for r in rows if r.outcome == "passed"]
            failed = [[*item(r), reason_text(r.reason)] for r in rows if r.outcome == "failed"]
            runoff_passed = any(r.code in decided for r in rows if r.outcome == "passed")
            title = tr("Passed ({n}; * decided by a runoff, its votes on a later page)", n=len(passed)) \
                if runoff_passed else tr("Passed ({n})", n=len(passed))
            self.sections.append(Section(title, "passed", passed, 3))
            pending = [[tr("Runoff among {names} for {places} place(s)", names=names(p.candidates, name_of),
                           places=p.places)] for p in results.allocation.pending]
            if pending:
                self.sections.append(Section(tr("Runoff (再次投票) to hold"), "pending", pending))
            self.sections.append(Section(tr("Not passed ({n})", n=len(failed)), "failed", failed))
            for r in rounds:
                if r.kind == "runoff" and r.status == "closed":
                    held = [[x.code, x.name, tr("{n} yes", n=x.tally.yes if x.tally else 0),     # this round's
                             outcome_text(x.outcome) + (" — " + reason_text(x.reason) if x.reason else "")]
                            for x in result_rows(results, cands, r.number)]
                    self.sections.append(Section(tr("Runoff, round {n}: {places} place(s)", n=r.number,
                                                    places=r.places), "note", held))
        if open_round is not None:
            self.sections.insert(0, Section(tr("Voting in progress"), "pending", [[tr(
                "Round {n} is open: {v} of {t} voters have voted",
                n=open_round.number, v=len(open_round.voted), t=len(open_round.voters))]]))
            self.timer.start()
        else:
            self.timer.stop()
        if not rounds:
            self.sections.append(Section(tr("No results yet"), "note", [[tr("The ballot has not been held yet.")]]))
        self._layout()
        self.update()

    # -- layout and paging -------------------------------------------------------
    def _font(self, px: int, bold: bool = False) -> QFont:
        font = QFont(QApplication.font())
        font.setPixelSize(max(12, px))
        font.setBold(bold)
        return font

    def _layout(self) -> None:
        w, h = self.width(), self.height()
        margin = int(w * 0.04)
        inner = QRect(margin, int(h * 0.04), w - 2 * margin, int(h * 0.92))
        self.header = []
        y = inner.top()
        for i, line in enumerate(self.heading):
            font = self._font(int(h / (19 if i < 2 else 30)), bold=i < 2)
            wide = QFontMetrics(font).horizontalAdvance(line)
            if wide > inner.width():      # a long committee name shrinks to fit, never clipped
                font = self._font(int(font.pixelSize() * inner.width() / wide), bold=i < 2)
            height = QFontMetrics(font).lineSpacing()
            self.header.append(Placed(QRect(inner.left(), y, inner.width(), height), line, font,
                                      TEXT if i < 2 else DIM, int(_TOP)))
            y += height + int(h * 0.006)
        self.body_top, self.bottom = y + int(h * 0.03), inner.bottom() - int(h * 0.06)
        self.heading_font, self.item_font = self._font(int(h / 22), bold=True), self._font(int(h / 26))
        self.pages = [[]]
        self.at_y = self.body_top
        for section in self.sections:
            self._place(section, inner, h)
        self.footer_font = self._font(int(h / 40))
        self.footer_rect = QRect(inner.left(), self.bottom + int(h * 0.01), inner.width(),
                                 inner.bottom() - self.bottom)
        self.page = min(self.page, len(self.pages) - 1)

    def _place(self, section: Section, inner: QRect, h: int) -> None:
        """Lay one section out in aligned fields, starting a new page (heading repeated) when full."""
        fm, hm = QFontMetrics(self.item_font), QFontMetrics(self.heading_font)
        gap, indent = int(h * 0.025), int(h * 0.03)
        fixed = max((len(i) for i in section.items), default=1) - (0 if section.columns > 1 else 1)
        widths = [max((fm.horizontalAdvance(i[k]) for i in section.items if len(i) > k), default=0) + gap
                  for k in range(fixed)]
        cols = max(1, min(section.columns, (inner.width() - indent) // max(1, sum(widths) + gap)))
        col_w = (inner.width() - indent) // cols
        line = int(fm.lineSpacing() * 1.3)
        head = int(hm.lineSpacing() * 1.35)
        rows = [section.items[i:i + cols] for i in range(0, len(section.items), cols)]
        free = inner.width() - indent - sum(widths)
        heights = [line if cols > 1 else max(line, fm.boundingRect(
            QRect(0, 0, max(1, free), 100000), int(Qt.TextFlag.TextWordWrap), r[0][-1]).height()
            + line - fm.lineSpacing()) for r in rows]

        def heading(title: str) -> None:
            self.pages[-1].append(Placed(QRect(inner.left(), self.at_y, inner.width(), head), title,
                                         self.heading_font, COLOURS[section.kind], int(_TOP)))
            self.at_y += head

        if self.at_y + head + (heights[0] if heights else 0) > self.bottom and self.pages[-1]:
            self.pages.append([])
            self.at_y = self.body_top
        heading(section.title)
        for row, rh in zip(rows, heights, strict=True):
            if self.at_y + rh > self.bottom:
                self.pages.append([])
                self.at_y = self.body_top
                heading(section.title + tr(" (continued)"))
            for c, fields in enumerate(row):
                x = inner.left() + indent + c * col_w
                for k, text in enumerate(fields):
                    last = k >= fixed
                    width = (inner.left() + inner.width() - x) if last else widths[k]
                    flags = int(_TOP | Qt.TextFlag.TextWordWrap) if last else int(_TOP)
                    shown = text if last else fm.elidedText(text, Qt.TextElideMode.ElideRight, width)
                    self.pages[-1].append(Placed(QRect(x, self.at_y, width, rh), shown, self.item_font, TEXT, flags))
                    x += widths[k] if not last else 0
            self.at_y += rh
        self.at_y += int(h * 0.025)

    # -- Qt events ---------------------------------------------------------------
    def resizeEvent(self, event: QResizeEvent) -> None:
        """The type scales with the screen, so the pages are cut again."""
        super().resizeEvent(event)
        self._layout()

    def paintEvent(self, _event: QPaintEvent) -> None:
        """Painted rather than laid out with widgets, so paging is exact at any size."""
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        painter.fillRect(self.rect(), BACKGROUND)
        for p in [*self.header, *self.pages[self.page]]:
            painter.setFont(p.font)
            painter.setPen(p.colour)
            painter.drawText(p.rect, p.flags, p.text)
        painter.setFont(self.footer_font)
        painter.setPen(DIM)
        hint = tr("← → page    Esc: close")
        painter.drawText(self.footer_rect, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), hint)
        if len(self.pages) > 1:
            painter.drawText(self.footer_rect, int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
                             tr("Page {n} of {total}", n=self.page + 1, total=len(self.pages)))
        painter.end()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Paging and closing by keyboard: the chair has a clicker or a keyboard, not a mouse."""
        key = event.key()
        if key == Qt.Key.Key_Escape:
            self.close()
        elif key in (Qt.Key.Key_Right, Qt.Key.Key_PageDown, Qt.Key.Key_Space, Qt.Key.Key_Down):
            self.page = min(self.page + 1, len(self.pages) - 1)
            self.update()
        elif key in (Qt.Key.Key_Left, Qt.Key.Key_PageUp, Qt.Key.Key_Up):
            self.page = max(self.page - 1, 0)
            self.update()
        elif key == Qt.Key.Key_Home:
            self.page = 0
            self.update()
        elif key == Qt.Key.Key_F5:
            self.reload()
        else:
            super().keyPressEvent(event)
