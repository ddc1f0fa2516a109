"""Step 9 归档保密: archive the meeting into a folder with a SHA-256 manifest.

The archive (a consistent copy of the database, the meeting record, and the
documents when asked for) is written off the UI thread — it takes
seconds — with a busy indicator; then the page shows the folder and the
``MANIFEST.sha256`` it contains, so the archivist can check it later.

Documents: with "Include the documents" ticked, the archive also holds every
document of the meeting (``app.documents.command.write_documents``: minutes,
result sheets, vote summary, ballots …, sealed when the committee key's
passphrase is given), written into its ``documents`` folder through
``ClosingService.archive(add_files=…)`` — the way ``conclave demo`` does it —
so they are registered where they lie and covered by the manifest. Documents
that cannot be made yet are listed on the page with the reason.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtGui import QFontDatabase, QFontInfo, QFontMetrics, QTextBlockFormat, QTextCursor
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QTextEdit,
)

from app.services import Conclave
from ui.i18n import local, tr
from ui.wizard import StepPage

if TYPE_CHECKING:  # the documents stack (reportlab, pyHanko) loads only when archiving
    from app.documents.command import DocumentsReport

Notes = list[tuple[str, str]]     # (document kind, why it was not made or not sealed)


def archive_with_documents(app: Conclave, actor: str, meeting_id: int, folder: Path, documents: bool,
                           passphrase: bytes | None) -> tuple[Path, int, Notes]:
    """Archive the meeting; with ``documents``, its documents are written into the archive first."""
    from app.documents.command import write_documents

    reports: list[DocumentsReport] = []

    def add_documents(target: Path) -> None:
        reports.append(write_documents(app, meeting_id, target / "documents", passphrase, actor))

    target = app.closing.archive(actor, meeting_id, folder, add_files=add_documents if documents else None)
    if not reports:
        return target, 0, []
    report = reports[0]
    return target, len(report.written), list(report.skipped) + [("missing glyph", g) for g in report.missing_glyphs]


class ArchivePage(StepPage):
    """归档保密 — choose a folder, archive, and see what was written."""

    def build(self) -> None:
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.body.addWidget(self.hint)
        row = QHBoxLayout()
        self.folder_label = QLabel()
        self.folder = QLineEdit(str(self.app.path.parent / "archive"))
        self.choose = QPushButton()
        self.choose.clicked.connect(self.choose_folder)
        row.addWidget(self.folder_label)
        row.addWidget(self.folder, 1)
        row.addWidget(self.choose)
        self.body.addLayout(row)
        row = QHBoxLayout()
        self.documents = QCheckBox()
        self.documents.setChecked(True)
        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.setMinimumWidth(260)
        self.documents.toggled.connect(self.passphrase.setEnabled)
        self.archive_button = QPushButton()
        self.archive_button.clicked.connect(self.archive)
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)
        self.busy.setMaximumWidth(200)
        self.busy.hide()
        row.addWidget(self.documents)
        row.addWidget(self.passphrase)
        row.addStretch(1)
        row.addWidget(self.busy)
        row.addWidget(self.archive_button)
        self.body.addLayout(row)
        self.where = QLabel()
        self.where.setWordWrap(True)
        self.body.addWidget(self.where)
        self.manifest = QTextEdit()
        self.manifest.setReadOnly(True)
        self.manifest.setLineWrapMode(QTextEdit.LineWrapMode.NoWrap)
        mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        mono.setFamilies([QFontInfo(mono).family(), *QApplication.font().families()])   # CJK file names too
        self.manifest.setFont(mono)
        self.body.addWidget(self.manifest, 1)
        self.dialog: QFileDialog | None = None
        self.documents_written = 0
        self.notes: Notes = []
        self.path: str | None = None

    def load(self) -> None:
        self.busy.hide()
        self.archive_button.setEnabled(True)
        self.path = self.app.views.meeting(self.meeting_id).archived_path
        self.loaded = True
        self._show_archive()

    def _show_archive(self) -> None:
        path = self.path
        manifest = Path(path) / "MANIFEST.sha256" if path else None
        if manifest is not None and manifest.is_file():
            lines = [tr("Archived in: {path}", path=path)]
            if self.documents_written:
                lines.append(tr("{n} documents written into the archive.", n=self.documents_written))
            for kind, why in self.notes:
                sealing = kind.endswith(" seal")
                lines.append(tr("{what}: written without a seal (no passphrase given)", what=kind[:-5]) if sealing
                             else tr("Document not made: {what}", what=f"{kind}: {local(why)}"))
            self.where.setText("\n".join(lines))
            text = manifest.read_text(encoding="utf-8")
            if text != self.manifest.toPlainText():
                self.manifest.setPlainText(text)
                self._even_lines()
        elif path:
            self.where.setText(tr("Archived in {path}, but its MANIFEST.sha256 cannot be read there now.", path=path))
            self.manifest.clear()
        else:
            self.where.setText(tr("Not archived yet."))
            self.manifest.clear()

    def _even_lines(self) -> None:
        """One line height for every manifest line, whether its file name is Chinese or not."""
        height = QFontMetrics(QApplication.font()).lineSpacing()
        cursor = QTextCursor(self.manifest.document())
        cursor.select(QTextCursor.SelectionType.Document)
        block = QTextBlockFormat()
        block.setLineHeight(height, QTextBlockFormat.LineHeightTypes.FixedHeight.value)
        cursor.mergeBlockFormat(block)

    def choose_folder(self) -> None:
        """A Qt (non-native) folder dialog: the same on every machine, and scriptable in tests."""
        self.dialog = QFileDialog(self, tr("Archive folder"), self.folder.text())
        self.dialog.setFileMode(QFileDialog.FileMode.Directory)
        self.dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
        self.dialog.setOption(QFileDialog.Option.ShowDirsOnly, True)
        self.dialog.fileSelected.connect(self.folder.setText)
        self.dialog.open()

    def archive(self) -> None:
        folder, actor, mid, app = Path(self.folder.text().strip()), self.actor(), self.meeting_id, self.app
        if not str(folder).strip() or str(folder) == ".":
            self.where.setText(tr("Choose the archive folder first."))
            return
        documents = self.documents.isChecked()
        passphrase = self.passphrase.text().encode("utf-8") or None

        def done(result: tuple[Path, int, Notes]) -> None:
            self.documents_written, self.notes = result[1], result[2]

        self.busy.show()
        self.archive_button.setEnabled(False)
        self.where.setText(tr("Archiving…"))
        self.act(lambda: archive_with_documents(app, actor, mid, folder, documents, passphrase), done)

    def retranslate(self) -> None:
        self.hint.setText(tr("The archive holds a consistent copy of the meeting database, the meeting record and "
                             "a SHA-256 manifest of every file. Keep it confidential (保密)."))
        self.folder_label.setText(tr("Archive folder"))
        self.choose.setText(tr("Choose…"))
        self.documents.setText(tr("Include the documents"))
        self.passphrase.setPlaceholderText(tr("Seal passphrase (optional)"))
        self.passphrase.setToolTip(tr("The committee key's passphrase seals the minutes and the result sheets; "
                                      "without it they are archived unsealed."))
        self.archive_button.setText(tr("Archive the meeting"))
        if getattr(self, "loaded", False):
            self._show_archive()
