"""The documents dialog (文书): write and seal every document of a meeting, then preview,
print, export and check them.

Writing and sealing take seconds, so ``DocumentsService.write`` runs through
:func:`ui.ops.run_op`; its progress callback is called on the worker thread and only
emits a signal, which Qt queues to the interface thread. The service checks each seal
against the committee root recorded in the database as soon as it is made, so the list
says at once whether each seal holds. Without a committee key, *Generate all* first offers
to create it (:class:`ui.key_dialog.CommitteeKeyDialog`); nothing is written before.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QCloseEvent, QDesktopServices
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.errors import RuleViolation
from app.services import Conclave
from app.services.documents import DocumentsReport, VerifyReport
from ui.calendar_offer import CalendarButton, briefly, year_in_texts
from ui.documents_list import (
    COLUMNS,
    GREEN,
    RED,
    DocumentRow,
    Progress,
    copy_file,
    documents_table,
    hbox,
    label,
    page_count,
    skipped_lines,
    verdict_line,
)
from ui.i18n import bridge, details, headline, local, localise_file_dialog, rule_title, tr
from ui.key_dialog import CommitteeKeyDialog, key_summary
from ui.models import RowsModel
from ui.ops import run_op
from ui.pdf_preview import PdfPreview, print_pdf
from ui.scrolling import fit_to_screen


class DocumentsDialog(QDialog):
    """Generate all documents of a meeting into a folder, sealed, and work with each of them."""

    def __init__(self, app: Conclave, meeting_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.app, self.meeting_id = app, meeting_id
        self.busy = False
        self.report: DocumentsReport | None = None  # what the last "Generate all" wrote
        self._notice: tuple[str, Callable[[], str]] = (GREEN, str)  # re-rendered when the language changes
        self.file_dialog: QFileDialog | None = None
        self.key_dialog: CommitteeKeyDialog | None = None
        self.open_url: Callable[[QUrl], Any] = QDesktopServices.openUrl  # tests replace it
        self._progress = Progress(self)
        self._progress.step.connect(self._on_progress, Qt.ConnectionType.QueuedConnection)

        self.folder = QLineEdit(str(app.path.parent / f"documents-{meeting_id}"))
        self.browse_button = QPushButton("…")
        self.browse_button.setFixedWidth(self.browse_button.fontMetrics().horizontalAdvance("…") + 28)
        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.unsealed = QCheckBox()
        self.unsealed.toggled.connect(lambda on: self.passphrase.setEnabled(not on))
        self.generate_button = QPushButton()
        self.progress = QProgressBar()
        self.progress.setMaximumWidth(220)
        self.progress.hide()
        self.status, self.notice = label(selectable=True), label(selectable=True)  # notice: the last outcome
        self.key_info = label(selectable=True)
        self.model = RowsModel(COLUMNS, self)
        self.table = documents_table(self.model)
        self.skipped, self.glyphs = label(hidden=True), label(hidden=True, colour=RED)
        self.fonts_note = label(hidden=True)      # official fonts missing: the bundled one drew the papers
        # papers held back by a year missing from the working-day calendar: enter it, then generate again
        self.calendar_button = CalendarButton(app, self)
        self.preview = PdfPreview()
        self.placeholder, self.excel_note = label(centred=True), label(centred=True)
        self.stack = QStackedWidget()
        for page in (self.placeholder, self.preview, self.excel_note):
            self.stack.addWidget(page)
        self.verify_button, self.print_button = QPushButton(), QPushButton()
        self.export_button, self.open_folder_button, self.close_button = QPushButton(), QPushButton(), QPushButton()

        form = QFormLayout()
        self.folder_label, self.passphrase_label = QLabel(), QLabel()
        form.addRow(self.folder_label, hbox((self.folder, 1), self.browse_button))
        form.addRow(self.passphrase_label, hbox((self.passphrase, 1), self.unsealed))
        form.addRow(self.key_info)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        for widget, stretch in ((self.table, 1), (self.skipped, 0), (self.glyphs, 0), (self.fonts_note, 0)):
            left_layout.addWidget(widget, stretch)
        left_layout.addWidget(self.calendar_button, 0, Qt.AlignmentFlag.AlignLeft)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(self.stack)
        splitter.setSizes([600, 580])
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(hbox(self.generate_button, self.progress, (self.status, 1)))
        layout.addWidget(self.notice)
        layout.addWidget(splitter, 1)
        layout.addLayout(hbox(self.verify_button, self.print_button, self.export_button, self.open_folder_button,
                              (QWidget(), 1), self.close_button))

        self.browse_button.clicked.connect(self.choose_folder)
        self.generate_button.clicked.connect(self.generate)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._show_selected())
        self.verify_button.clicked.connect(self.verify_selected)
        self.print_button.clicked.connect(self.print_selected)
        self.export_button.clicked.connect(self.export_selected)
        self.open_folder_button.clicked.connect(self.open_folder)
        self.close_button.clicked.connect(self.close)
        bridge.language_changed.connect(self.retranslate)
        self.retranslate()
        self._show_selected()
        fit_to_screen(self, 1180, 760)

    def retranslate(self, _language: str = "") -> None:
        self.setWindowTitle(tr("Documents"))
        self.folder_label.setText(tr("Output folder"))
        self.browse_button.setToolTip(tr("Choose the output folder"))
        self.passphrase_label.setText(tr("Committee key passphrase"))
        self.unsealed.setText(tr("Generate unsealed"))
        self.generate_button.setText(tr("Generate all"))
        self._show_placeholder()
        self.excel_note.setText(tr("Excel workbooks are not previewed here: open the folder, or export a copy."))
        self.verify_button.setText(tr("Verify seal"))
        self.print_button.setText(tr("Print…"))
        self.export_button.setText(tr("Export copy…"))
        self.open_folder_button.setText(tr("Open folder"))
        self.close_button.setText(tr("Close"))
        self.notice.setText(self._notice[1]())
        self._show_key()
        self._show_report()
        if self.model.rowCount():  # kinds, "sealed" and verdicts are words too
            self.model.dataChanged.emit(self.model.index(0, 0),
                                        self.model.index(self.model.rowCount() - 1, self.model.columnCount() - 1))

    # -- generating -----------------------------------------------------------------------
    def choose_folder(self) -> None:
        dialog = self._file_dialog(tr("Choose the output folder"), self.folder.text())
        dialog.setFileMode(QFileDialog.FileMode.Directory)
        dialog.setOption(QFileDialog.Option.ShowDirsOnly)
        dialog.fileSelected.connect(self.folder.setText)
        dialog.open()

    def generate(self) -> None:
        """Write, seal and register every document (off the interface thread); without a committee
        key, offer to create it first."""
        folder = Path(self.folder.text().strip())
        secret = None if self.unsealed.isChecked() else self.passphrase.text()
        if not self.folder.text().strip():
            return self._say(RED, lambda: tr("Choose an output folder first."))
        key = self.app.documents.key_status(self.meeting_id)
        if not key.exists and key.root_fingerprint is None:
            return self._offer_key()
        if secret == "":
            return self._say(RED, lambda: tr("Enter the committee key passphrase, or choose to generate unsealed."))
        passphrase = None if secret is None else secret.encode("utf-8")
        actor = self.app.views.acting_secretary(self.meeting_id)
        app, meeting_id, emit = self.app, self.meeting_id, self._progress.step.emit

        def job() -> DocumentsReport:
            return app.documents.write(actor, meeting_id, folder, passphrase,
                                       lambda name, checking: emit(name, checking, 0))

        self.preview.clear()
        self._say(GREEN, str)
        self.report = None
        self.model.set_rows([])
        self._show_report()
        self._run(job, self._generated, tr("Writing the documents…"))

    def _offer_key(self) -> None:
        """The committee key dialog; once the key is made, generate with the passphrase just typed."""
        if self.key_dialog is None:
            self.key_dialog = CommitteeKeyDialog(self.app, self.meeting_id, self)
            self.key_dialog.created.connect(self._key_created)
        self.key_dialog.open()

    def _key_created(self, secret: str) -> None:
        self._show_key()
        if not self.unsealed.isChecked():
            self.passphrase.setText(secret)
        self.generate()

    def _show_key(self) -> None:
        self.key_info.setText(key_summary(self.app.documents.key_status(self.meeting_id)))

    def _show_placeholder(self) -> None:
        """Before the first run the list is empty: say what "Generate all" will put there."""
        self.placeholder.setText(tr("Select a document to preview it.") if self.model.rowCount() else tr(
            "\"Generate all\" writes the meeting's papers into the output folder and lists them here: the minutes, "
            "the result sheets, the vote summary, the commitment letters, the sign-in sheet, the publicity notice, "
            "the work summary, the experts' fees, each round's ballots and tally sheet, the filing report once the "
            "publicity has ended, and the Excel tables — sealed with the committee key when its passphrase is "
            "given."))

    def _generated(self, report: DocumentsReport) -> None:
        self.report, rows = report, list(report.written)
        self.passphrase.clear()  # the key's secret does not linger in an open window
        self.model.set_rows(rows)
        self._show_placeholder()
        self._show_report()
        sealed = [r for r in rows if r.sealed]
        broken = [r for r in sealed if not (r.verdict and r.verdict.ok)]
        self._say(RED if broken or not sealed else GREEN,
                  lambda: tr("{n} sealed, {bad} with a broken seal.", n=len(sealed), bad=len(broken)) if sealed
                  else tr("Nothing was sealed."))
        if rows:
            self.table.selectRow(0)

    def _show_report(self) -> None:
        """The last run's summary, what it could not write and why, and any glyph the fonts lack."""
        report = self.report
        if not self.busy:
            self.status.setText(tr("{n} documents written to {folder}", n=len(report.written),
                                   folder=str(report.folder)) if report else "")
        lines = skipped_lines([(kind, briefly(why)) for kind, why in report.skipped] if report else [])
        self.skipped.setText("\n• ".join([tr("Not written, or not sealed:"), *lines]))
        self.skipped.setVisible(bool(lines))
        self.calendar_button.offer(year_in_texts(reason for _kind, reason in report.skipped) if report else None)
        glyphs = report.missing_glyphs if report else []
        self.glyphs.setText("\n".join([tr("Characters missing from the fonts:"), *glyphs]))
        self.glyphs.setVisible(bool(glyphs))
        fonts = report.fonts_notice if report else None
        self.fonts_note.setText(local(fonts) if fonts else "")
        self.fonts_note.setVisible(bool(fonts))

    def _run(self, job: Callable[[], Any], done: Callable[[Any], None], text: str) -> None:
        """``run_op`` with this dialog busy (and not closable) until the job reports back."""

        def finish(result: Any) -> None:
            self._set_busy(False, "")
            done(result)

        self._set_busy(True, text)
        run_op(job, finish, self._refused, on_error=lambda: self._set_busy(False, ""))

    def _refused(self, exc: RuleViolation) -> None:
        self._set_busy(False, "")
        self.calendar_button.offer_for(exc)
        self._say(RED, lambda: "\n".join([*(tr("{what}: {why}", what=rule_title(x.rule), why=headline(x))
                                            for x in exc.violations), details(exc.violations)]))

    def _on_progress(self, name: str, done: int, total: int) -> None:
        if total:
            self.progress.setRange(0, total)
            self.progress.setValue(done)
            self.status.setText(tr("Printing page {page} of {n}…", page=min(done + 1, total), n=total))
        else:
            self.status.setText(tr("Checking the seal of {name}…", name=name) if done
                                else tr("Writing {name}…", name=name))

    def _set_busy(self, busy: bool, text: str) -> None:
        self.busy = busy
        self.progress.setRange(0, 0)
        self.progress.setVisible(busy)
        self.status.setText(text)
        if not busy:
            self._show_report()
        for widget in (self.generate_button, self.folder, self.browse_button, self.unsealed, self.table):
            widget.setEnabled(not busy)
        self.passphrase.setEnabled(not busy and not self.unsealed.isChecked())
        self._show_selected()

    def _say(self, colour: str, text: Callable[[], str]) -> None:
        """Show the outcome of the last action; ``text`` is called again when the language changes."""
        self._notice = (colour, text)
        self.notice.setStyleSheet(f"color:{colour};")
        self.notice.setText(text())

    # -- the selected document ------------------------------------------------------------
    def selected(self) -> DocumentRow | None:
        index = self.table.selectionModel().currentIndex()
        return self.model.row(index.row()) if index.isValid() else None

    def _show_selected(self) -> None:
        row = self.selected()
        if row is None or not row.path.exists():
            self.stack.setCurrentIndex(0)
        elif row.is_pdf:
            self.stack.setCurrentIndex(1)
            if self.preview.path != row.path:
                self.preview.load(row.path)
        else:
            self.stack.setCurrentIndex(2)
        idle = row is not None and not self.busy
        self.verify_button.setEnabled(idle and row.is_pdf)  # type: ignore[union-attr]
        self.print_button.setEnabled(idle and row.is_pdf and self.preview.pages() > 0)  # type: ignore[union-attr]
        self.export_button.setEnabled(idle)
        self.open_folder_button.setEnabled(not self.busy and Path(self.folder.text()).is_dir())

    def verify_selected(self) -> None:
        row = self.selected()
        if row is None:
            return
        app, meeting_id = self.app, self.meeting_id

        def done(report: VerifyReport) -> None:
            row.verdict = report
            self.model.dataChanged.emit(self.model.index(0, 0), self.model.index(self.model.rowCount() - 1, 4))
            self._say(GREEN if report.ok else RED, lambda: verdict_line(row.path.name, report))

        self._run(lambda: app.documents.verify_pdf(row.path, meeting_id), done, tr("Checking the seal…"))

    def print_selected(self) -> None:
        """Qt's print dialog, opened without blocking; the pages are printed off the interface thread."""
        row = self.selected()
        if row is not None and row.is_pdf:
            self.preview.open_print_dialog(lambda first, last: self._print(row, first, last))

    def _print(self, row: DocumentRow, first: int, last: int) -> None:
        printer, emit = self.preview.printer, self._progress.step.emit
        assert printer is not None

        def done(pages: int) -> None:
            self._say(GREEN, lambda: tr("{name}: {pages} sent to the printer.", name=row.path.name,
                                        pages=page_count(pages)))

        self._run(lambda: print_pdf(row.path, printer, first, last, lambda d, t: emit(row.path.name, d, t)),
                  done, tr("Printing…"))

    def export_selected(self) -> None:
        row = self.selected()
        if row is None:
            return
        dialog = self._file_dialog(tr("Export a copy"), str(Path.home() / row.path.name))
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setDefaultSuffix(row.path.suffix.lstrip("."))
        dialog.setNameFilter(f"*{row.path.suffix}")
        dialog.fileSelected.connect(lambda target: self._export(row, Path(target)))
        dialog.open()

    def _export(self, row: DocumentRow, target: Path) -> None:
        self._run(lambda: copy_file(row.path, target),
                  lambda path: self._say(GREEN, lambda: tr("Copied to {path}", path=str(path))), tr("Copying…"))

    def open_folder(self) -> None:
        self.open_url(QUrl.fromLocalFile(self.folder.text()))

    def _file_dialog(self, title: str, start: str) -> QFileDialog:
        dialog = QFileDialog(self, title, start)
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
        localise_file_dialog(dialog)
        self.file_dialog = dialog
        return dialog

    # -- closing --------------------------------------------------------------------------
    def reject(self) -> None:
        """Esc and Close wait while documents are written or printed: the job reports to this dialog."""
        if not self.busy:
            super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:
        """See :meth:`reject`; the preview lets go of its file when the dialog goes."""
        if self.busy:
            event.ignore()
            return
        self.preview.clear()
        super().closeEvent(event)
