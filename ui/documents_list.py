"""The parts of the documents dialog: its rows (one written file each, its kind in words, its
seal's verdict) and the table that lists them.

The rows are the documents service's :class:`~app.services.documents.WrittenDocument`; the
verdict is the service's check against the committee root recorded in the meeting database
(never against anything inside the file itself).
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QAbstractItemView, QHBoxLayout, QHeaderView, QLabel, QTableView, QWidget

from app.errors import RuleViolation
from app.services import documents as v
from app.services.documents import SEALED, WrittenDocument
from app.text import bi
from ui.i18n import local, tr
from ui.models import Column, RowsModel

GREEN, RED = "#2e7d32", "#b3261e"

DocumentRow = WrittenDocument
"""One written file: its kind (``minutes``…), where it is, its pages (PDF) or rows (Excel), its seal."""


def kind_name(kind: str) -> str:
    """A document kind of the documents service in words."""
    if kind.endswith(" seal"):
        return tr("Seal of the {document}", document=kind_name(kind.removesuffix(" seal")))
    if match := re.fullmatch(r"ballots-(\d+)", kind):
        return tr("Ballots, round {n}", n=match[1])
    if match := re.fullmatch(r"tally-(\d+)", kind):
        return tr("Tally sheet, round {n}", n=match[1])
    names = {"minutes": tr("Minutes"), "result-sheets": tr("Result sheets"), "vote-summary": tr("Vote summary"),
             "commitment-letters": tr("Commitment letters"), "check-in": tr("Check-in sheet"),
             "publicity": tr("Publicity notice"), "filing-report": tr("Filing report"),
             "work-summary": tr("Work summary"), "honoraria": tr("Expert honoraria"),
             "roster": tr("Candidate roster"), "vote-summary-xlsx": tr("Vote summary (Excel)"),
             "ballots": tr("Ballot papers"), "result-sheet": tr("Result sheet of one candidate")}
    return names.get(kind, kind)


def verdict_text(report: v.VerifyReport) -> str:
    """The seal check's verdict in words: intact, or what is wrong."""
    return {v.STATUS_OK: tr("intact"), v.STATUS_CHANGED: tr("changed after sealing"),
            v.STATUS_APPENDED: tr("content added after sealing"), v.STATUS_UNKNOWN_SIGNER: tr("unknown signer"),
            v.STATUS_CERT_NOT_VALID: tr("certificate not valid"),
            v.STATUS_POLICY: tr("rejected by the signature policy"), v.STATUS_NOT_SIGNED: tr("not sealed"),
            v.STATUS_UNREADABLE: tr("unreadable")}.get(report.status, report.status)


def verdict_line(name: str, report: v.VerifyReport) -> str:
    """The verdict on one file for a person: who sealed it and when if intact, else what is wrong."""
    line = tr("{what}: {why}", what=name, why=verdict_text(report))
    if report.ok and report.signer:
        line += tr(" — sealed by {signer}", signer=report.signer)
    if report.ok and report.signed_at:
        line += tr(", sealed on {when}", when=f"{report.signed_at.astimezone():%Y-%m-%d %H:%M}")
    return line + "".join(f"\n{local(failure)}" for failure in report.failures)


def page_count(n: int) -> str:
    return tr("1 page") if n == 1 else tr("{n} pages", n=n)


def pages_or_rows(row: DocumentRow) -> str:
    if row.is_pdf:
        return page_count(row.size)
    return tr("1 row") if row.size == 1 else tr("{n} rows", n=row.size)


def skipped_lines(skipped: list[tuple[str, str]]) -> list[str]:
    """What was not written (or not sealed), and why, one line each."""
    return [tr("{what}: {why}", what=kind_name(kind.removesuffix(" seal")),
               why=tr("written unsealed, no passphrase given")) if kind.endswith(" seal")
            else tr("{what}: {why}", what=kind_name(kind), why=local(reason)) for kind, reason in skipped]


COLUMNS = [
    Column("File", lambda r: r.path.name),
    Column("Document", lambda r: kind_name(r.kind)),
    Column("Pages / rows", pages_or_rows, align_right=True),
    Column("Seal", lambda r: (tr("sealed") if r.sealed else tr("unsealed")) if r.kind in SEALED else "—",
           colour=lambda r: (GREEN if r.sealed else RED) if r.kind in SEALED else None),
    Column("Seal check", lambda r: verdict_text(r.verdict) if r.verdict else "—",
           colour=lambda r: (GREEN if r.verdict.ok else RED) if r.verdict else None),
]


def copy_file(source: Path, target: Path) -> Path:
    """Copy for "Export copy…"; a file system error becomes a refusal a person can act on."""
    try:
        shutil.copyfile(source, target)
    except OSError as exc:
        raise RuleViolation.single("documents.export", bi(
            f"cannot copy {source.name} to {target}: {exc.strerror or exc}",
            f"无法将{source.name}复制到{target}：{exc.strerror or exc}")) from None
    return target


class Progress(QObject):
    """Carries progress from the worker thread to the interface thread (queued)."""

    step = Signal(str, int, int)  # what, done, total (total 0 = unknown)


def documents_table(model: RowsModel) -> QTableView:
    """One row per file, selected whole; the file name column gives way (elided) to the others."""
    table = QTableView()
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setTextElideMode(Qt.TextElideMode.ElideMiddle)   # "02_评审结论_…李䶮.pdf": the name and kind stay
    table.setWordWrap(False)      # with wrapping on, Qt elides a cell's last line at its end whatever the mode
    table.verticalHeader().hide()
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
    return table


def label(*, selectable: bool = False, hidden: bool = False, centred: bool = False, colour: str = "") -> QLabel:
    widget = QLabel()
    widget.setWordWrap(True)
    if selectable:
        widget.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    if centred:
        widget.setAlignment(Qt.AlignmentFlag.AlignCenter)
    if colour:
        widget.setStyleSheet(f"color:{colour};")
    widget.setHidden(hidden)
    return widget


def hbox(*items: QWidget | tuple[QWidget, int]) -> QHBoxLayout:
    """A row of widgets; ``(widget, stretch)`` for one that takes the room left."""
    row = QHBoxLayout()
    for item in items:
        widget, stretch = item if isinstance(item, tuple) else (item, 0)
        row.addWidget(widget, stretch)
    return row
