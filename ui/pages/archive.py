"""Step 9 归档保密: archive the meeting into a folder with a SHA-256 manifest.

The archive (a consistent copy of the database, the meeting record, and the
documents when asked for) is written off the UI thread — it takes
seconds — with a busy indicator; then the page shows the folder and the
``MANIFEST.sha256`` it contains, so the archivist can check it later.

Documents: with "Include the documents" ticked, the archive also holds every document
of the meeting (minutes, result sheets, vote summary, ballots …, sealed when the committee
key's passphrase is given), written into its ``documents`` folder by
``DocumentsService.archive`` — the call ``conclave demo`` makes — so they are registered
where they lie and covered by the manifest. Documents need the committee key: without one,
*Archive* first offers to create it (:class:`ui.key_dialog.CommitteeKeyDialog`). Documents
that cannot be made yet are listed on the page with the reason; one that waited for a year of
the working-day calendar is said to be ready once that year is saved (from the button below the
list, or anywhere else that refreshes the page) — it is not in the archive until archived again.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
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

from app.rules.calendar_years import unknown_year_in
from app.services.documents import ArchiveReport
from ui.calendar_offer import CalendarButton, briefly, year_in_texts
from ui.documents_list import kind_name
from ui.i18n import local, localise_file_dialog, tr
from ui.key_dialog import CommitteeKeyDialog
from ui.wizard import StepPage

Notes = list[tuple[str, str]]     # (document kind, why it was not made or not sealed)


def archive_notes(report: ArchiveReport) -> tuple[int, Notes]:
    """How many documents went into the archive, and what was not made (or not sealed) and why."""
    documents = report.documents
    if documents is None:
        return 0, []
    return len(documents.written), list(documents.skipped) + [("missing glyph", g) for g in documents.missing_glyphs]


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
        # papers held back by a year missing from the working-day calendar (the rest are archived)
        self.calendar_button = CalendarButton(self.app, self)
        self.calendar_button.setProperty("allowed_when_locked", True)
        self.calendar_button.stored.connect(self._calendar_stored)
        self.body.addWidget(self.calendar_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.manifest = QTextEdit()
        self.manifest.setReadOnly(True)
        self.manifest.setLineWrapMode(QTextEdit.LineWrapMode.NoWrap)
        mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        mono.setFamilies([QFontInfo(mono).family(), *QApplication.font().families()])   # CJK file names too
        self.manifest.setFont(mono)
        self.body.addWidget(self.manifest, 1)
        self.dialog: QFileDialog | None = None
        self.key_dialog: CommitteeKeyDialog | None = None
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
            entered = {y.year for y in self.app.views.calendar_years()}
            for kind, why in self.notes:
                sealing = kind.endswith(" seal")
                year = unknown_year_in(why)
                made = f"{kind_name(kind)}: {local(briefly(why))}"     # a missing year: said shortly, offered below
                if sealing:
                    lines.append(tr("{what}: written without a seal (no passphrase given)", what=kind_name(kind[:-5])))
                elif year in entered:      # the year it waited for was entered since: it can be made now
                    lines.append(tr("Document not in this archive: {what} — the holidays of {year} are entered now; "
                                    "archive again to include it", what=kind_name(kind), year=year))
                else:
                    lines.append(tr("Document not made: {what}", what=made))
            self.where.setText("\n".join(lines))
            self.calendar_button.offer(year_in_texts(why for _kind, why in self.notes
                                                     if unknown_year_in(why) not in entered))
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

    def _calendar_stored(self, _year: int) -> None:
        """A year saved from the calendar: the papers that waited for it are no longer said to wait."""
        if getattr(self, "loaded", False):
            self._show_archive()

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
        localise_file_dialog(self.dialog)
        self.dialog.fileSelected.connect(self.folder.setText)
        self.dialog.open()

    def archive(self) -> None:
        folder, actor, mid, app = Path(self.folder.text().strip()), self.actor(), self.meeting_id, self.app
        if not str(folder).strip() or str(folder) == ".":
            self.where.setText(tr("Choose the archive folder first."))
            return
        documents = self.documents.isChecked()
        key = app.documents.key_status(mid)
        if documents and not key.exists and key.root_fingerprint is None:
            if self.key_dialog is None:
                self.key_dialog = CommitteeKeyDialog(app, mid, self)
                self.key_dialog.created.connect(self._key_created)
            self.key_dialog.open()
            return
        passphrase = self.passphrase.text().encode("utf-8") or None

        def done(report: object) -> None:
            assert isinstance(report, ArchiveReport)
            self.documents_written, self.notes = archive_notes(report)
            self.passphrase.clear()       # the key's secret does not linger on the page

        self.busy.show()
        self.archive_button.setEnabled(False)
        self.where.setText(tr("Archiving…"))
        self.act(lambda: app.documents.archive(actor, mid, folder, documents=documents, passphrase=passphrase), done)

    def _key_created(self, secret: str) -> None:
        """The key was just made: archive, sealing with the passphrase just typed."""
        self.passphrase.setText(secret)
        self.archive()

    def retranslate(self) -> None:
        self.hint.setText(tr("The archive holds a consistent copy of the meeting database, the meeting record and "
                             "a SHA-256 manifest of every file. Keep it confidential (保密)."))
        self.folder_label.setText(tr("Archive folder"))
        self.choose.setText(tr("Choose…"))
        self.documents.setText(tr("Include the documents"))
        self.passphrase.setPlaceholderText(tr("Seal passphrase (blank: papers not sealed)"))
        self.passphrase.setToolTip(tr("The committee key's passphrase seals the minutes and the result sheets; "
                                      "without it they are archived unsealed."))
        self.archive_button.setText(tr("Archive the meeting"))
        if getattr(self, "loaded", False):
            self._show_archive()
