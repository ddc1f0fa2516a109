"""The draw record on paper: the list of drawn experts with the time of the draw, the seed, the
pool's SHA-256, the witness and the excluded experts, printed or saved as PDF (QPrinter,
QTextDocument). The time is the one the draw recorded, shown in 北京时间 (UTC+8) whatever the
laptop's time-zone setting.

The supervisor signs the printed list; the seed and the hash let an auditor redo the
draw from the archived pool (see :mod:`app.rules.draw`).
"""

from __future__ import annotations

import datetime as dt
import html
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtGui import QFont, QPageLayout, QPageSize, QTextDocument
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QApplication, QFileDialog, QHBoxLayout, QPushButton, QWidget

from app.views.meeting import PlanView
from app.views.panel import DrawView, PoolRow
from ui.i18n import joined, tr
from ui.ops import messages
from ui.pages.common import exclusion_name


@dataclass(frozen=True)
class DrawnRow:
    specialty: str
    order: int
    code: str
    name: str
    unit: str
    title: str
    alternate: bool
    rule: str = ""


def drawn_time(local: dt.datetime | None) -> str:
    """When a draw ran, as it recorded it, in 北京时间; says so when a draw holds no time (an older file)."""
    if local is None:
        return tr("not recorded")
    return tr("{when} (Beijing time, UTC+8)", when=f"{local:%Y-%m-%d %H:%M}")


def drawn_rows(record: DrawView, pool: dict[str, PoolRow]) -> list[DrawnRow]:
    """Drawn experts then alternates of each specialty, in draw order."""
    out = []
    for specialty, codes in record.drawn.items():
        spare = record.alternates.get(specialty, [])
        for i, code in enumerate([*codes, *spare], start=1):
            e = pool.get(code)
            out.append(DrawnRow(specialty, i, code, e.name if e else "", e.unit if e else "",
                                e.title if e else "", i > len(codes)))
    return out


def record_html(plan: PlanView, record: DrawView, pool: dict[str, PoolRow]) -> str:
    """The draw record as a printable HTML page, in the interface language."""
    e = html.escape
    cell = "border:1px solid #444;padding:3px 6px;"

    def grid(head: list[str], rows: list[list[str]]) -> str:
        top = "".join(f"<th style='{cell}background:#eee'>{e(h)}</th>" for h in head)
        body = "".join("<tr>" + "".join(f"<td style='{cell}'>{e(v)}</td>" for v in r) + "</tr>" for r in rows)
        return f"<table cellspacing='0' style='border-collapse:collapse;width:100%'><tr>{top}</tr>{body}</table>"

    drawn = [[r.specialty, str(r.order), r.code, r.name, r.unit, r.title,
              tr("Alternate") if r.alternate else tr("Panel")] for r in drawn_rows(record, pool)]
    excluded = [[code, pool[code].name if code in pool else "", rule, exclusion_name(rule)]
                for code, rule in record.excluded]
    facts = [
        (tr("Committee"), plan.committee), (tr("Meeting"), plan.title),
        (tr("Meeting date"), plan.meeting_date.isoformat()), (tr("Drawn at"), drawn_time(record.drawn_local)),
        (tr("Witness"), record.witness),
        (tr("Seed"), record.seed), (tr("Pool SHA-256"), record.pool_sha256),
        (tr("Needs"), joined(f"{s} {n}" for s, n in record.needs.items())),
    ]
    head = "".join(f"<tr><td style='padding:2px 8px 2px 0'><b>{e(k)}</b></td><td>{e(v)}</td></tr>"
                   for k, v in facts)
    signature = e(tr("Witness (纪检监察) signature: ____________    Secretary signature: ____________"))
    signature += "&nbsp;" * 8 + e(tr("Date: ____________"))
    return (f"<h2 style='text-align:center'>{e(tr('Record of the expert draw'))}</h2>"
            f"<table>{head}</table>"
            f"<h3>{e(tr('Drawn experts, in draw order'))}</h3>"
            + grid([tr("Specialty"), tr("Order"), tr("Code"), tr("Name"), tr("Unit"), tr("Title"),
                    tr("Drawn as")], drawn)
            + f"<h3>{e(tr('Excluded from the draw'))}</h3>"
            + (grid([tr("Code"), tr("Name"), tr("Rule"), tr("Why not drawn")], excluded) if excluded
               else f"<p>{e(tr('none'))}</p>")
            + f"<p style='margin-top:36px'>{signature}</p>")


def render(document_html: str, printer: QPrinter) -> None:
    printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    printer.setPageOrientation(QPageLayout.Orientation.Portrait)
    doc = QTextDocument()
    font = QFont(QApplication.font())
    font.setPointSize(9)
    doc.setDefaultFont(font)
    doc.setHtml(document_html)
    doc.print_(printer)


def save_pdf(document_html: str, path: Path) -> Path:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    render(document_html, printer)
    return path


class PrintButtons(QWidget):
    """Print… and Save as PDF… for the draw record shown on the draw tab."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setProperty("allowed_when_locked", True)   # printing a finished record is reading it
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.print_button, self.pdf_button = QPushButton(), QPushButton()
        self.print_button.clicked.connect(self.print_record)
        self.pdf_button.clicked.connect(self.choose_pdf)
        row.addWidget(self.print_button)
        row.addWidget(self.pdf_button)
        self.source: tuple[PlanView, DrawView, dict[str, PoolRow]] | None = None

    def set_document(self, plan: PlanView, record: DrawView, pool: dict[str, PoolRow]) -> None:
        self.source = (plan, record, pool)

    def html(self) -> str:
        assert self.source is not None
        return record_html(*self.source)

    def retranslate(self) -> None:
        self.print_button.setText(tr("Print…"))
        self.pdf_button.setText(tr("Save as PDF…"))

    def print_record(self) -> None:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle(tr("Print the draw record"))
        if dialog.exec() == QPrintDialog.DialogCode.Accepted:
            render(self.html(), printer)

    def choose_pdf(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, tr("Save as PDF…"), tr("draw-record.pdf"), "PDF (*.pdf)")
        if path:
            self.save(Path(path))

    def save(self, path: Path) -> Path:
        if path.suffix.lower() != ".pdf":
            path = path.with_suffix(".pdf")
        save_pdf(self.html(), path)
        messages.post("info", tr("Saved"), str(path))
        return path
