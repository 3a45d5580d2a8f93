"""Print… (preview, then the system print dialog) and Save as PDF… for the summary.

The printout is the same PDF that Save as PDF writes: its pages are rendered
with PDFium (pypdfium2) onto the printer, so paper and file never differ.
"""

from __future__ import annotations

import io
from pathlib import Path

import pypdfium2 as pdfium
from PySide6.QtCore import QCoreApplication, QRect, Qt
from PySide6.QtGui import QImage, QPainter
from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

import lang
from clinical.errors import HemalogError
from clinical.record import Record
from reports.cli import save_summary_pdf
from reports.summary import build_summary_pdf


def summary_pdf_bytes(record: Record, *, printed_by: str, database: str,
                      deidentified: bool = False, language: str | None = None) -> bytes:
    """The summary PDF in ``language`` (default: the window's)."""
    buffer = io.BytesIO()
    build_summary_pdf(record, out=buffer, printed_by=printed_by, database=database,
                      deidentified=deidentified, language=language or lang.current())
    return buffer.getvalue()


def paint_pdf(printer: QPrinter, pdf: bytes, dpi: int = 200) -> int:
    """Draw every page of ``pdf`` onto ``printer``, fitted to the page; returns the count."""
    document = pdfium.PdfDocument(pdf)
    count = len(document)
    painter = QPainter()
    if not painter.begin(printer):
        document.close()
        return 0
    try:
        for index in range(count):
            if index:
                printer.newPage()
            page = document[index]
            bitmap = page.render(scale=dpi / 72, rev_byteorder=True)  # RGB order for Qt
            array = bitmap.to_numpy()
            height, width = array.shape[:2]
            image = QImage(array.data, width, height, bitmap.stride,
                           QImage.Format.Format_RGB888).copy()
            target = painter.viewport()
            size = image.size().scaled(target.size(), Qt.AspectRatioMode.KeepAspectRatio)
            painter.drawImage(QRect(target.x(), target.y(), size.width(), size.height()), image)
    finally:
        painter.end()
        document.close()
    return count


def print_summary(parent: QWidget, record: Record, *, printed_by: str, database: str,
                  deidentified: bool = False) -> None:
    """Preview the summary; the preview's print button opens the system print dialog."""
    try:
        pdf = summary_pdf_bytes(record, printed_by=printed_by, database=database,
                                deidentified=deidentified)
    except HemalogError as exc:
        QMessageBox.warning(parent, QCoreApplication.translate("Printing", "Cannot print"),
                            lang.render_lines(exc.lines))
        return
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setDocName(f"hemalog summary {'' if deidentified else record.patient.mrn}".strip())
    preview = QPrintPreviewDialog(printer, parent)
    preview.setWindowTitle(
        QCoreApplication.translate("Printing", "Print preview — patient summary"))
    preview.paintRequested.connect(lambda p: paint_pdf(p, pdf))
    preview.exec()


def save_summary_as(parent: QWidget, record: Record, *, printed_by: str, database: str,
                    deidentified: bool = False, suggested: str | None = None) -> Path | None:
    """``suggested``: the folder and file name the dialog starts with (the caller knows
    the last folder used); without it, a name in the current folder."""
    suggested = suggested or ("summary-deidentified.pdf" if deidentified
                              else f"summary-{record.patient.mrn}.pdf")
    name, _ = QFileDialog.getSaveFileName(
        parent, QCoreApplication.translate("Printing", "Save summary as PDF"), suggested,
        QCoreApplication.translate("Printing", "PDF document (*.pdf)"))
    if not name:
        return None
    try:
        return save_summary_pdf(record, Path(name), printed_by=printed_by, database=database,
                                deidentified=deidentified, language=lang.current())
    except HemalogError as exc:
        QMessageBox.warning(parent, QCoreApplication.translate("Printing", "Not saved"),
                            lang.render_lines(exc.lines))
        return None
