"""Record files in and out: read and check JSON files, import them, export a patient."""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path

from clinical.derive import derive
from clinical.errors import HemalogError
from clinical.record import Patient, Record
from clinical.record_json import dumps, to_document
from clinical.record_schema import parse_record
from storage.repository import SqliteStore

__all__ = ["read_record_file", "import_files", "export_text", "write_text_atomically"]

MAX_FILE_BYTES = 200 * 1024 * 1024


def read_record_file(path: Path) -> tuple[Record | None, list[str]]:
    """Read and check one record file: (record, []) or (None, problem lines)."""
    name = str(path)
    try:
        size = path.stat().st_size
        if path.is_dir():
            return None, [f"{name}: is a folder, not a record file"]
        if size > MAX_FILE_BYTES:
            return None, [f"{name}: file is too large ({size} bytes) for a patient record"]
        raw = path.read_bytes()
    except FileNotFoundError:
        return None, [f"{name}: no such file"]
    except PermissionError:
        return None, [f"{name}: permission denied"]
    except OSError as exc:
        return None, [f"{name}: cannot read: {exc.strerror or exc}"]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return None, [f"{name}: not UTF-8 text (byte {exc.start}); is this a record file?"]
    if not text.strip():
        return None, [f"{name}: the file is empty"]
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        where = f"line {exc.lineno} column {exc.colno}"
        if exc.pos >= len(text.rstrip()) or exc.msg.startswith("Unterminated string"):
            return None, [f"{name}: not valid JSON: the file ends too early ({where}); "
                          "was it cut off?"]
        return None, [f"{name}: not valid JSON: {exc.msg} at {where}"]
    except RecursionError:
        return None, [f"{name}: not valid JSON: nested too deeply"]
    except ValueError as exc:  # e.g. a number with thousands of digits
        return None, [f"{name}: not valid JSON: {exc}"]
    record, problems = parse_record(doc)
    return record, [f"{name}: {p}" for p in problems]


def import_files(store: SqliteStore, paths: Sequence[Path]) -> list[Patient]:
    """Import every file or none: all problems in all files are reported together."""
    records: list[Record] = []
    lines: list[str] = []
    for path in paths:
        record, problems = read_record_file(Path(path))
        lines.extend(problems)
        if record is not None:
            records.append(record)
    mrn_files: dict[str, str] = {}
    for path, record in zip(paths, records):
        mrn = record.patient.mrn
        if mrn in mrn_files:
            lines.append(f"{path}: patient.mrn: {mrn} is also in {mrn_files[mrn]}")
        mrn_files.setdefault(mrn, str(path))
        existing = store.patients.list_mrns([mrn])
        if existing:
            lines.append(f"{path}: patient.mrn: {mrn} is already in this database")
    if lines:
        raise HemalogError(lines)
    return store.add_records(records)


def export_text(store: SqliteStore, mrn: str) -> str:
    patient = store.patients.get_by_mrn(mrn)
    record = store.load_record(patient.id)  # type: ignore[arg-type]
    return dumps(to_document(record, derive(record)))


def write_text_atomically(path: Path, text: str) -> None:
    """Write a file so that a crash leaves either the old file or the new one."""
    path = Path(path)
    if not path.parent.is_dir():
        raise HemalogError(f"{path}: the folder {path.parent} does not exist")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        raise HemalogError(f"{path}: cannot write: {exc.strerror or exc}") from None
