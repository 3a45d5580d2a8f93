"""`hemalog export --all --format csv -o DIR [--deidentified]`: the research export.

One CSV per kind of data (clinical/research.py: patients, measurements, courses,
drug_lines, events, labs, marrow, assessments) and ``data_dictionary.csv`` in REDCap's
data dictionary format, in a new (or empty) folder. The files are written into a
private folder beside it (0700, files 0600) that is renamed to DIR when all are
written: a crash or a full disk leaves no half export under DIR's name.

The patient key is pseudonymous and stable: the first 16 hex digits of SHA-256 over
the hash of the database's first audit row and the patient's internal id. The same
patient has the same key in every export of this database; without the database
the key leads nowhere (it is not made from the MRN, which could be guessed and
hashed). The files are plain UTF-8 for statistics software and REDCap; values are
written as recorded (a spreadsheet should open them as text, not run them).
"""

from __future__ import annotations

import csv
import hashlib
import os
import secrets
import shutil
from pathlib import Path
from typing import TYPE_CHECKING

from clinical.derive import derive
from clinical.errors import HemalogError
from clinical.plain_text import printable
from clinical.research import REDCAP_HEADER, TABLES, header, redcap_dictionary, table_rows
from storage.audit import first_hash
from storage.outputs import sync_folder

if TYPE_CHECKING:
    from storage.contract import Store

__all__ = ["write_research", "patient_key"]

DICTIONARY = "data_dictionary.csv"


def patient_key(secret: str, patient_id: int) -> str:
    return hashlib.sha256(f"{secret}:{patient_id}".encode()).hexdigest()[:16]


def _target(out: Path) -> Path:
    shown = printable(str(out))
    if out.exists():
        if not out.is_dir():
            raise HemalogError(f"-o {shown}: not a folder; the research export writes a "
                               "folder of CSV files (give a new folder's name)")
        if any(out.iterdir()):
            raise HemalogError(f"-o {shown}: the folder is not empty; give a new or empty "
                               "folder (an export never replaces files)")
    elif not out.parent.is_dir():
        raise HemalogError(f"-o {shown}: the folder {printable(str(out.parent))} does not exist")
    return out   # the database itself is a file: refused above as "not a folder"


def _open_private(path: Path):  # noqa: ANN202 - a text file
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    return os.fdopen(fd, "w", encoding="utf-8", newline="")


def write_research(store: Store, out: Path, *, database: Path | None,
                   deidentified: bool = False) -> dict[str, int]:
    """Write the export into ``out``; returns rows per file written."""
    out = _target(Path(out))
    staging = out.parent / f".{out.name}.partial-{secrets.token_hex(4)}"
    staging.mkdir(mode=0o700)
    counts: dict[str, int] = {}
    try:
        with store.reading():
            secret = first_hash(store.sql) or ""
        files = {t: _open_private(staging / f"{t}.csv") for t in TABLES}
        try:
            writers = {t: csv.writer(f, lineterminator="\n") for t, f in files.items()}
            for table, writer in writers.items():
                writer.writerow(header(table, deidentified))
                counts[f"{table}.csv"] = 0
            for patient in store.patients.list():
                assert patient.id is not None
                record = store.load_record(patient.id)
                rows = table_rows(record, derive(record), patient_key(secret, patient.id),
                                  deidentified=deidentified)
                for table, table_rows_ in rows.items():
                    writers[table].writerows(table_rows_)
                    counts[f"{table}.csv"] += len(table_rows_)
            for f in files.values():
                f.flush()
                os.fsync(f.fileno())
        finally:
            for f in files.values():
                f.close()
        with _open_private(staging / DICTIONARY) as f:
            writer = csv.writer(f, lineterminator="\n")
            writer.writerow(REDCAP_HEADER)
            entries = redcap_dictionary(deidentified)
            writer.writerows(entries)
            f.flush()
            os.fsync(f.fileno())
        counts[DICTIONARY] = len(entries)
        sync_folder(staging)
        if out.exists():
            out.rmdir()          # empty (checked): the export takes its name
        os.rename(staging, out)
        sync_folder(out.parent)
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise HemalogError(f"-o {printable(str(out))}: the export could not be written "
                           f"({exc.strerror or exc}); nothing was left behind") from None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return counts
