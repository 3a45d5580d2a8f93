"""Print… renders the summary PDF's pages onto the printer; Save as PDF writes the file."""

from __future__ import annotations

import io
from pathlib import Path

from PySide6.QtPrintSupport import QPrinter
from pypdf import PdfReader

from clinical.record_schema import parse_record
from gui.printing import paint_pdf, summary_pdf_bytes
from resources import DEMO_RECORD


def _record():  # noqa: ANN202
    import json

    record, _ = parse_record(json.loads(DEMO_RECORD.read_text(encoding="utf-8")))
    return record


def test_every_summary_page_is_painted_onto_the_printer(qapp, tmp_path: Path) -> None:  # noqa: ANN001
    pdf = summary_pdf_bytes(_record(), printed_by="nurse", database="ward.db")
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    out = tmp_path / "printed.pdf"
    printer.setOutputFileName(str(out))
    pages = paint_pdf(printer, pdf, dpi=60)
    assert pages == len(PdfReader(io.BytesIO(pdf)).pages) >= 5
    assert len(PdfReader(str(out)).pages) == pages  # one printed sheet per summary page
