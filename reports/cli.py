"""`hemalog report MRN -o FILE.pdf [--deidentified]`: the summary PDF from the database.

The file is written atomically (a temporary file in the same folder, then
os.replace), so a crash or a full disk never leaves half a PDF under the name.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from clinical.errors import HemalogError
from clinical.record import Record
from reports.summary import build_summary_pdf
from storage.repository import SqliteStore

__all__ = ["write_report", "save_summary_pdf"]


def write_report(store: SqliteStore, mrn: str, out: Path, *, deidentified: bool,
                 printed_by: str) -> Path:
    """Write the summary of the patient with ``mrn`` to ``out``; returns ``out``.

    Raises HemalogError with one clear line for a missing folder, a folder
    given as the file, an unknown MRN (NotFoundError) or a failed write.
    """
    out = _check_target(Path(out))
    patient = store.patients.get_by_mrn(mrn)
    assert patient.id is not None
    record = store.load_record(patient.id)
    return save_summary_pdf(record, out, printed_by=printed_by, database=str(store.path),
                            deidentified=deidentified)


def save_summary_pdf(record: Record, out: Path, *, printed_by: str, database: str,
                     deidentified: bool = False) -> Path:
    """Build the summary of a loaded record into ``out`` atomically (the GUI's Save as PDF…)."""
    out = _check_target(Path(out))
    tmp = None
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent)
        with os.fdopen(fd, "wb") as f:
            build_summary_pdf(record, out=f, printed_by=printed_by, database=database,
                              deidentified=deidentified)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, out)
        tmp = None
    except OSError as exc:
        raise HemalogError(f"{out}: cannot write: {exc.strerror or exc}") from None
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
    return out


def _check_target(out: Path) -> Path:
    if out.is_dir():
        raise HemalogError(f"{out}: is a folder; give a file name such as {out / 'summary.pdf'}")
    if not out.parent.is_dir():
        raise HemalogError(f"{out}: the folder {out.parent} does not exist")
    return out
