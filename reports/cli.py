"""`hemalog report MRN -o FILE.pdf [--deidentified] [--lang zh_CN]`: the summary PDF.

The output path is checked first (never the database, a backup, a folder or a
device) and the file is written atomically through storage.outputs, so a crash
or a full disk never leaves half a PDF under the name nor a temporary file.
"""

from __future__ import annotations

from pathlib import Path
from typing import BinaryIO

from clinical.record import Record
from reports.summary import build_summary_pdf
from storage.contract import Store
from storage.outputs import check_output, write_atomically

__all__ = ["write_report", "save_summary_pdf"]

EXAMPLE_NAME = "summary.pdf"


def write_report(store: Store, mrn: str, out: Path, *, deidentified: bool,
                 printed_by: str, language: str | None = None) -> Path:
    """Write the summary of the patient with ``mrn`` in ``store`` to ``out``; returns
    ``out``. The footer names ``store.location``.

    ``language``: "en" or "zh_CN" (the command line passes ``lang.choose(--lang)``).

    Raises HemalogError with one clear line for a refused output path (the
    database, a folder, a missing folder...), an unknown MRN (NotFoundError) or
    a failed write.
    """
    out = check_output(out, Path(store.location), example=EXAMPLE_NAME)
    patient = store.patients.get_by_mrn(mrn)
    assert patient.id is not None
    record = store.load_record(patient.id)
    return save_summary_pdf(record, out, printed_by=printed_by, database=store.location,
                            deidentified=deidentified, language=language)


def save_summary_pdf(record: Record, out: Path, *, printed_by: str, database: str,
                     deidentified: bool = False, language: str | None = None) -> Path:
    """Build the summary of a loaded record into ``out`` atomically (the GUI's Save as PDF…).

    ``database`` is where the record came from (its store's ``location``): it is
    named in the footer and, being a file, is never written over. ``language``: as
    build_summary_pdf (the app's current language by default).
    """
    out = check_output(out, Path(database), example=EXAMPLE_NAME)

    def build(f: BinaryIO) -> None:
        build_summary_pdf(record, out=f, printed_by=printed_by, database=database,
                          deidentified=deidentified, language=language)

    return write_atomically(out, build)
