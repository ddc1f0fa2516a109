"""The documents dialog: generate and seal off the interface thread, list, preview, print, export, verify;
the committee key created first when there is none."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QColor
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrinter

from app.domain import Step
from app.sealing.keys import DEMO_PASSPHRASE
from app.services.documents import DocumentsReport
from ui import ops
from ui.catalog import ZH
from ui.documents import DocumentsDialog
from ui.i18n import bridge

from .conftest import OpenMeeting

SEALING_TIMEOUT = 60_000  # writing and sealing every document of the demo meeting takes seconds


@pytest.fixture
def dialog(qtbot, meeting_at: OpenMeeting) -> DocumentsDialog:
    """The dialog on a finished demo meeting, with the demo committee key beside its database.

    The template database already holds the demo key's root, so the key file travels with the copy
    (a fresh key would be refused: it would orphan the documents sealed so far)."""
    app, mid = meeting_at(Step.PUBLICITY)
    assert app.documents.key_status(mid).exists
    widget = DocumentsDialog(app, mid)
    qtbot.addWidget(widget)
    widget.show()
    return widget


def generate(qtbot, dialog: DocumentsDialog, folder: Path, passphrase: str | None = DEMO_PASSPHRASE) -> None:
    dialog.folder.setText(str(folder))
    if passphrase is None:
        dialog.unsealed.setChecked(True)
    else:
        dialog.passphrase.setText(passphrase)
    qtbot.mouseClick(dialog.generate_button, Qt.MouseButton.LeftButton)
    assert dialog.busy and dialog.progress.isVisible() and not dialog.generate_button.isEnabled()
    dialog.close()  # refused while the job runs: it reports back to this dialog
    assert dialog.isVisible()
    qtbot.waitUntil(lambda: not ops.busy(), timeout=SEALING_TIMEOUT)


def rows_by_kind(dialog: DocumentsDialog) -> dict:
    return {row.kind: row for row in dialog.model.rows}


def select(dialog: DocumentsDialog, kind: str) -> None:
    dialog.table.selectRow([r.kind for r in dialog.model.rows].index(kind))


def test_generate_all_seals_lists_previews_prints_exports_and_verifies(
        qtbot, qtmodeltester, dialog: DocumentsDialog, tmp_path: Path) -> None:
    folder = tmp_path / "out"
    assert dialog.folder.text().endswith("documents-1")  # beside the database by default
    key = dialog.app.documents.key_status(dialog.meeting_id)
    assert key.root_fingerprint and key.root_fingerprint[:23] in dialog.key_info.text()
    assert "评委会签章密钥：" in dialog.key_info.text()
    steps: list[str] = []
    dialog._progress.step.connect(lambda name, _d, _t: steps.append(name), Qt.ConnectionType.QueuedConnection)
    generate(qtbot, dialog, folder)

    assert "01_评审会议记录.pdf" in steps  # progress reached the interface while the worker wrote
    rows = rows_by_kind(dialog)
    for kind in ("minutes", "result-sheets"):
        assert rows[kind].sealed and rows[kind].verdict is not None and rows[kind].verdict.ok
        assert rows[kind].path.parent == folder and rows[kind].path.exists()
    assert not rows["vote-summary"].sealed and rows["roster"].path.suffix == ".xlsx"
    qtmodeltester.check(dialog.model)
    row = list(rows).index("minutes")
    assert dialog.model.index(row, 3).data() == "已盖章" and dialog.model.index(row, 4).data() == "完好可信"
    assert dialog.model.index(row, 3).data(Qt.ItemDataRole.ForegroundRole).color() == QColor("#2e7d32")
    assert "filing-report" in rows and not dialog.skipped.isVisible()    # the demo recorded its publicity outcome
    assert not dialog.glyphs.isVisible()
    assert "已盖章 32 份" in dialog.notice.text()     # the minutes, the print file and each of 30 sheets
    # a long file name gives way in its middle, so each candidate's sheet shows the name and ".pdf"
    # (a wrapping view would cut every one at its end: "02_评审结论_C009_李…")
    assert dialog.table.textElideMode() == Qt.TextElideMode.ElideMiddle and not dialog.table.wordWrap()

    # the first document (the minutes) is selected and previewed, with navigation and zoom
    preview = dialog.preview
    selected = dialog.selected()
    assert selected is not None and selected.kind == "minutes" and dialog.stack.currentWidget() is preview
    pages = preview.pages()
    assert pages > 1 and preview.page_count.text() == f"共 {pages} 页"
    qtbot.mouseClick(preview.next_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: preview.current_page() == 1)
    assert preview.page.value() == 2 and preview.previous_button.isEnabled()
    qtbot.mouseClick(preview.zoom_in_button, Qt.MouseButton.LeftButton)
    assert preview.view.zoomMode() == preview.view.ZoomMode.Custom
    qtbot.mouseClick(preview.fit_page_button, Qt.MouseButton.LeftButton)
    assert preview.view.zoomMode() == preview.view.ZoomMode.FitInView

    # print the minutes to a PDF file through the (non-blocking) print dialog
    printed = tmp_path / "printed.pdf"
    preview.printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    preview.printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    preview.printer.setOutputFileName(str(printed))
    qtbot.mouseClick(dialog.print_button, Qt.MouseButton.LeftButton)
    assert preview.print_dialog is not None and preview.print_dialog.isVisible()
    preview.print_dialog.accept()
    qtbot.waitUntil(lambda: not ops.busy(), timeout=SEALING_TIMEOUT)
    out = QPdfDocument()
    assert out.load(str(printed)) == QPdfDocument.Error.None_
    assert out.pageCount() == pages
    image = out.render(0, QSize(120, 170))
    assert any(image.pixelColor(x, y).lightness() < 128 for x in range(120) for y in range(170))  # not blank
    out.close()
    assert f"已向打印机发送 {pages} 页" in dialog.notice.text()

    # the same printer again, pages 2 to 3 only
    preview.printer.setOutputFileName(str(tmp_path / "pages-2-3.pdf"))
    preview.printer.setPrintRange(QPrinter.PrintRange.PageRange)
    preview.printer.setFromTo(2, 3)
    qtbot.mouseClick(dialog.print_button, Qt.MouseButton.LeftButton)
    preview.print_dialog.accept()
    qtbot.waitUntil(lambda: not ops.busy(), timeout=SEALING_TIMEOUT)
    assert out.load(str(tmp_path / "pages-2-3.pdf")) == QPdfDocument.Error.None_ and out.pageCount() == 2
    out.close()

    # verify the seal of the minutes again on demand
    qtbot.mouseClick(dialog.verify_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not ops.busy(), timeout=SEALING_TIMEOUT)
    assert "01_评审会议记录.pdf：完好可信" in dialog.notice.text()

    # an Excel file: no preview, no print, no seal check; export a copy and open the folder
    select(dialog, "roster")
    assert dialog.stack.currentWidget() is dialog.excel_note
    assert not dialog.print_button.isEnabled() and not dialog.verify_button.isEnabled()
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    target = tmp_path / "copy.xlsx"
    assert dialog.file_dialog is not None and dialog.file_dialog.isVisible()
    dialog.file_dialog.selectFile(str(target))
    dialog.file_dialog.accept()
    qtbot.waitUntil(lambda: not ops.busy(), timeout=SEALING_TIMEOUT)
    assert target.read_bytes() == rows["roster"].path.read_bytes()
    opened: list = []
    dialog.open_url = opened.append
    qtbot.mouseClick(dialog.open_folder_button, Qt.MouseButton.LeftButton)
    assert opened and Path(opened[0].toLocalFile()) == folder


def test_wrong_passphrase_is_refused_and_nothing_is_sealed_then_unsealed_on_request(
        qtbot, dialog: DocumentsDialog, tmp_path: Path) -> None:
    folder = tmp_path / "out"
    registered = len(dialog.app.documents.issued(dialog.meeting_id))
    qtbot.mouseClick(dialog.generate_button, Qt.MouseButton.LeftButton)  # no passphrase, not unsealed
    assert not ops.busy() and "签章口令" in dialog.notice.text()

    generate(qtbot, dialog, folder, "not-the-passphrase")
    *said, detail = dialog.notice.text().split("\n")
    assert "签章口令错误" in said[0] and "seal.passphrase" not in said[0]     # the headline: Chinese, no rule id
    assert detail == "详情：seal.passphrase"
    assert ops.messages.history[-1][0] == "refused"
    assert dialog.model.rowCount() == 0 and not list(folder.glob("*.pdf"))
    assert len(dialog.app.documents.issued(dialog.meeting_id)) == registered
    assert dialog.generate_button.isEnabled() and not dialog.busy

    generate(qtbot, dialog, folder, None)  # explicitly unsealed
    rows = rows_by_kind(dialog)
    assert not rows["minutes"].sealed and rows["minutes"].verdict is None
    assert dialog.model.index(list(rows).index("minutes"), 3).data() == "未盖章"
    assert "未提供签章口令" in dialog.skipped.text() and "本次未加盖电子签章" in dialog.notice.text()


def test_language_switches_at_run_time_and_missing_glyphs_show_in_red(dialog: DocumentsDialog) -> None:
    assert dialog.generate_button.text() == "全部生成" and dialog.windowTitle() == "文书"
    # nothing generated yet: the empty list's neighbour says what "全部生成" will put there
    assert dialog.placeholder.text().startswith("点击“全部生成”后") and "评审会议记录" in dialog.placeholder.text()
    dialog.report = DocumentsReport(Path("out"), skipped=[("ballots", "no ballot round has been opened yet")],
                                    missing_glyphs=["01_评审会议记录.pdf: 𠀀"])
    dialog._show_report()
    assert dialog.glyphs.isVisible() and "𠀀" in dialog.glyphs.text() and "#b3261e" in dialog.glyphs.styleSheet()
    assert "表决票：no ballot round" in dialog.skipped.text()
    bridge.set_language("en")
    assert dialog.generate_button.text() == "Generate all" and dialog.windowTitle() == "Documents"
    assert dialog.model.headerData(0, Qt.Orientation.Horizontal) == "File"
    assert dialog.preview.fit_width_button.text() == "Fit width"
    assert dialog.placeholder.text().startswith("\"Generate all\" writes the meeting's papers")
    assert "Ballot papers: no ballot round" in dialog.skipped.text() and "Characters missing" in dialog.glyphs.text()


def test_every_documents_string_has_its_chinese() -> None:
    root = Path(__file__).resolve().parents[2] / "ui"
    missing = []
    for name in ("documents.py", "documents_list.py", "key_dialog.py", "pdf_preview.py"):
        for node in ast.walk(ast.parse((root / name).read_text("utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("tr", "Column")
                    and node.args and isinstance(node.args[0], ast.Constant) and node.args[0].value not in ZH):
                missing.append((name, node.args[0].value))
    assert not missing
