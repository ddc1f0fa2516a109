"""A PDF on screen and on paper: :class:`PdfPreview` (QPdfView) and :func:`print_pdf`.

Printing goes through Qt's own PDF renderer (pdfium, in QtPdf) rather than an
external viewer: the laptop is offline and may have nothing else installed. Each
page is rendered to an image and painted on the printer page, fitted and centred
with its aspect kept. :func:`print_pdf` is meant for a worker thread: it opens its
own :class:`QPdfDocument` there and only paints on the printer it is given.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QPainter, QResizeEvent
from PySide6.QtPdf import QPdfDocument, QPdfDocumentRenderOptions
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QAbstractPrintDialog, QPrintDialog, QPrinter
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QPushButton, QSpinBox, QVBoxLayout, QWidget

from app.errors import RuleViolation
from app.text import bi
from ui.i18n import bridge, tr

MAX_PRINT_DPI = 300
"""Pages are rasterised at the printer's resolution up to this: a 1200 dpi A4 page would be a
half-gigabyte image, and 300 dpi is already finer than the documents' smallest type needs."""

ZOOM_STEPS = (0.25, 0.5, 0.75, 1.0, 1.25, 1.5, 2.0, 3.0, 4.0)


class PdfPreview(QWidget):
    """One PDF, scrolled page by page, with page navigation and zoom (预览)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = QPdfDocument(self)
        self.path: Path | None = None
        self.printer: QPrinter | None = None
        self.print_dialog: QPrintDialog | None = None
        self.view = QPdfView(self)
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.previous_button = QPushButton("◀")
        self.next_button = QPushButton("▶")
        self.page = QSpinBox()
        self.page.setMinimum(1)
        self.page.setKeyboardTracking(False)
        self.page_count = QLabel()
        self.zoom_out_button = QPushButton("−")
        self.zoom_in_button = QPushButton("+")
        self.zoom_label = QLabel()
        self.zoom_label.setMinimumWidth(self.zoom_label.fontMetrics().horizontalAdvance("00000 %"))
        self.zoom_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.fit_width_button = QPushButton()
        self.fit_page_button = QPushButton()
        for button in (self.previous_button, self.next_button, self.zoom_out_button, self.zoom_in_button):
            button.setFixedWidth(button.fontMetrics().horizontalAdvance("◀") + 24)
        bar = QHBoxLayout()
        bar.setContentsMargins(0, 0, 0, 0)
        for widget in (self.previous_button, self.page, self.page_count, self.next_button):
            bar.addWidget(widget)
        bar.addStretch(1)
        for widget in (self.zoom_out_button, self.zoom_label, self.zoom_in_button,
                       self.fit_width_button, self.fit_page_button):
            bar.addWidget(widget)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.view, 1)

        navigator = self.view.pageNavigator()
        navigator.currentPageChanged.connect(self._sync)
        self.document.pageCountChanged.connect(self._sync)
        self.view.zoomFactorChanged.connect(self._sync)
        self.view.zoomModeChanged.connect(self._sync)
        self.previous_button.clicked.connect(lambda: self.go_to(self.current_page() - 1))
        self.next_button.clicked.connect(lambda: self.go_to(self.current_page() + 1))
        self.page.valueChanged.connect(lambda value: self.go_to(value - 1))
        self.zoom_in_button.clicked.connect(lambda: self.zoom_step(+1))
        self.zoom_out_button.clicked.connect(lambda: self.zoom_step(-1))
        self.fit_width_button.clicked.connect(lambda: self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth))
        self.fit_page_button.clicked.connect(lambda: self.view.setZoomMode(QPdfView.ZoomMode.FitInView))
        bridge.language_changed.connect(self.retranslate)
        self.retranslate()

    def retranslate(self, _language: str = "") -> None:
        self.previous_button.setToolTip(tr("Previous page"))
        self.next_button.setToolTip(tr("Next page"))
        self.zoom_in_button.setToolTip(tr("Zoom in"))
        self.zoom_out_button.setToolTip(tr("Zoom out"))
        self.fit_width_button.setText(tr("Fit width"))
        self.fit_page_button.setText(tr("Whole page"))
        self._sync()

    def load(self, path: Path) -> bool:
        """Show ``path``; False (and an empty view) if Qt cannot read it."""
        self.document.close()
        ok = self.document.load(str(path)) == QPdfDocument.Error.None_
        self.path = path if ok else None
        if not ok:
            self.document.close()
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.go_to(0)
        self._sync()
        return ok

    def clear(self) -> None:
        """Let go of the file (it is about to be rewritten)."""
        self.document.close()
        self.path = None
        self._sync()

    def open_print_dialog(self, accepted: Callable[[int, int], None]) -> QPrintDialog:
        """Qt's print dialog for this document, opened without blocking (so tests can drive it);
        ``accepted(first, last)`` gets the chosen pages, 1-based, ``last`` 0 for "to the end".
        The printer is kept, so the next print starts from the same choices."""
        if self.printer is None:
            self.printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintDialog(self.printer, self)
        dialog.setMinMax(1, max(self.pages(), 1))
        dialog.setOption(QAbstractPrintDialog.PrintDialogOption.PrintPageRange)
        dialog.setOption(QAbstractPrintDialog.PrintDialogOption.PrintCurrentPage)
        dialog.accepted.connect(lambda *_: accepted(*self._chosen_pages()))
        self.print_dialog = dialog
        QDialog.open(dialog)  # PySide6's QPrintDialog.open() wants a receiver; the plain one is QDialog's
        return dialog

    def _chosen_pages(self) -> tuple[int, int]:
        assert self.printer is not None
        if self.printer.printRange() == QPrinter.PrintRange.PageRange:
            return self.printer.fromPage(), self.printer.toPage()
        if self.printer.printRange() == QPrinter.PrintRange.CurrentPage:
            return self.current_page() + 1, self.current_page() + 1
        return 1, 0

    def pages(self) -> int:
        return self.document.pageCount()

    def current_page(self) -> int:
        return self.view.pageNavigator().currentPage()

    def go_to(self, page: int) -> None:
        if 0 <= page < self.pages() and page != self.current_page():
            self.view.pageNavigator().jump(page, QPointF(), self.view.pageNavigator().currentZoom())

    def zoom_step(self, direction: int) -> None:
        """Next zoom step up or down from the zoom now shown (also from a fitted zoom)."""
        current = self._effective_zoom()
        steps = [z for z in ZOOM_STEPS if (z > current + 0.01 if direction > 0 else z < current - 0.01)]
        if steps:
            self.view.setZoomMode(QPdfView.ZoomMode.Custom)
            self.view.setZoomFactor(steps[0] if direction > 0 else steps[-1])

    def _effective_zoom(self) -> float:
        mode = self.view.zoomMode()
        if mode == QPdfView.ZoomMode.Custom or self.pages() == 0:
            return self.view.zoomFactor()
        size = self.document.pagePointSize(max(self.current_page(), 0))
        if size.width() <= 0 or size.height() <= 0:
            return 1.0
        pixels_per_point = self.logicalDpiX() / 72.0
        viewport = self.view.viewport().size()
        width_zoom = (viewport.width() - 2 * self.view.documentMargins().left()) / (size.width() * pixels_per_point)
        if mode == QPdfView.ZoomMode.FitToWidth:
            return width_zoom
        height_zoom = (viewport.height() - 2 * self.view.documentMargins().top()) / (size.height() * pixels_per_point)
        return min(width_zoom, height_zoom)

    def resizeEvent(self, event: QResizeEvent) -> None:
        """A fitted zoom changes with the size: keep the percentage shown true."""
        super().resizeEvent(event)
        self._sync()

    def _sync(self, *_args: object) -> None:
        pages = self.pages()
        current = self.current_page()
        self.page.blockSignals(True)
        self.page.setMaximum(max(pages, 1))
        self.page.setValue(current + 1 if pages else 1)
        self.page.blockSignals(False)
        self.page_count.setText(tr("of {n}", n=pages))
        for widget in (self.page, self.zoom_in_button, self.zoom_out_button,
                       self.fit_width_button, self.fit_page_button):
            widget.setEnabled(pages > 0)
        self.previous_button.setEnabled(pages > 0 and current > 0)
        self.next_button.setEnabled(pages > 0 and current < pages - 1)
        self.zoom_label.setText(f"{round(self._effective_zoom() * 100)} %" if pages else "")


def print_pdf(path: Path, printer: QPrinter, first: int = 1, last: int = 0,
              progress: Callable[[int, int], None] = lambda _done, _total: None) -> int:
    """Print pages ``first``..``last`` (1-based, 0 = to the end) of ``path`` on ``printer``.

    Runs on a worker thread: the printer must not be touched elsewhere meanwhile.
    Returns the number of pages printed.
    """
    document = QPdfDocument()
    try:
        if document.load(str(path)) != QPdfDocument.Error.None_:
            raise RuleViolation.single("documents.print", bi(
                f"{path.name} cannot be read as a PDF", f"无法读取PDF文件{path.name}"))
        count = document.pageCount()
        last = count if last <= 0 else min(last, count)
        pages = range(max(first, 1) - 1, last)
        painter = QPainter()
        if not pages or not painter.begin(printer):
            raise RuleViolation.single("documents.print", bi(
                "the printer could not be started", "打印机无法启动"))
        try:
            options = QPdfDocumentRenderOptions()
            options.setRenderFlags(QPdfDocumentRenderOptions.RenderFlag.Annotations)
            scale = min(1.0, MAX_PRINT_DPI / max(printer.resolution(), 1))
            area = printer.pageRect(QPrinter.Unit.DevicePixel)
            for done, page in enumerate(pages):
                if done:
                    printer.newPage()
                progress(done, len(pages))
                target = _fit(document.pagePointSize(page).width(), document.pagePointSize(page).height(),
                              area.width(), area.height())
                image = document.render(page, QSize(round(target.width() * scale),
                                                    round(target.height() * scale)), options)
                painter.drawImage(target, image)
        finally:
            painter.end()
        progress(len(pages), len(pages))
        return len(pages)
    finally:
        document.close()


def _fit(width: float, height: float, area_width: float, area_height: float) -> QRectF:
    """The largest rectangle of the page's aspect inside the area, centred."""
    if width <= 0 or height <= 0:
        return QRectF(0, 0, area_width, area_height)
    factor = min(area_width / width, area_height / height)
    w, h = width * factor, height * factor
    return QRectF((area_width - w) / 2, (area_height - h) / 2, w, h)
