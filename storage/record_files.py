"""Record files in and out: read and check JSON files, import them, export a patient."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from clinical.derive import derive
from clinical.errors import HemalogError
from clinical.record import Patient, Record
from clinical.record_json import record_text
from clinical.record_schema import MAX_DRUG_LINES, MAX_ITEMS, parse_record
from storage.outputs import write_atomically

if TYPE_CHECKING:
    from storage.contract import Store

__all__ = ["read_record_file", "read_import_files", "import_records", "import_files",
           "export_text", "write_text_atomically"]

MAX_FILE_BYTES = 200 * 1024 * 1024


# Budgets checked on the raw bytes before anything is decoded or parsed. Each
# value after the first in a list or object follows a comma; each list or object
# opens with a bracket. Commas and brackets inside text count too, so the counts
# are upper bounds. A record with every list at its cap (MAX_ITEMS, MAX_DRUG_LINES),
# written by export with its derived keys, has about 5.8 million values and 0.9
# million lists and objects. Within these budgets the parsed document of a file
# at the size cap stays under about 400 MB (under 850 MB with the text it comes
# from, for the worst files tried); unchecked, a 193 MB file of labs took 4 GB.
MAX_VALUES = 6_000_000
MAX_CONTAINERS = 1_000_000
# Decoded text costs 1, 2 or 4 bytes a character, its widest character deciding
# for the whole text: one emoji makes a file cost 4x its size in memory.
MAX_TEXT_BYTES = 256 * 1024 * 1024
_WIDE = {2: "beyond Latin-1 (such as Chinese)", 4: "beyond 16 bits (such as emoji)"}

_ITEM_NAMES = {"marrow": "marrow results"}


class _Refused(Exception):
    """The one problem line that ends reading a file."""


def _read_bytes(path: Path, name: str) -> bytes:
    try:
        size = path.stat().st_size
        if path.is_dir():
            raise _Refused(f"{name}: is a folder, not a record file")
        if size > MAX_FILE_BYTES:
            raise _Refused(f"{name}: file is too large ({size} bytes) for a patient record")
        return path.read_bytes()
    except FileNotFoundError:
        raise _Refused(f"{name}: no such file") from None
    except PermissionError:
        raise _Refused(f"{name}: permission denied") from None
    except OSError as exc:
        raise _Refused(f"{name}: cannot read: {exc.strerror or exc}") from None


def _caps() -> str:
    lists = [f"{MAX_ITEMS[key]:,} {_ITEM_NAMES.get(key, key)}" for key in MAX_ITEMS]
    lists[list(MAX_ITEMS).index("courses")] += f" of up to {MAX_DRUG_LINES} drug lines"
    return f"{', '.join(lists[:-1])} and {lists[-1]}"


def _check_budgets(raw: bytes, name: str) -> None:
    """Refuse, before parsing, a file whose parsed form would not fit in memory.

    Counting bytes takes a fraction of a second even at the size cap, so a file
    of millions of items is refused without building any of them.
    """
    values = raw.count(b",") + 1
    containers = raw.count(b"{") + raw.count(b"[")
    if values > MAX_VALUES or containers > MAX_CONTAINERS:
        found = (f"up to {values:,} values; at most {MAX_VALUES:,}" if values > MAX_VALUES
                 else f"up to {containers:,} lists and objects; at most {MAX_CONTAINERS:,}")
        raise _Refused(f"{name}: too many items for one patient record ({found}): "
                       f"a record holds at most {_caps()}")
    if not raw.isascii() and len(raw) * 4 > MAX_TEXT_BYTES:
        if any(bytes([lead]) in raw for lead in range(0xF0, 0xF5)):  # 4-byte characters
            raise _Refused(_too_wide(name, len(raw), width=4))


def _too_wide(name: str, size: int, width: int) -> str:
    return (f"{name}: file is too large ({size} bytes) for a patient record with characters "
            f"{_WIDE[width]}; at most {MAX_TEXT_BYTES // width} bytes")


def _decode(raw: bytes, name: str) -> str:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise _Refused(f"{name}: not UTF-8 text (byte {exc.start}); "
                       "is this a record file?") from None
    if sys.getsizeof(text) > MAX_TEXT_BYTES:  # 2 bytes a character: 4 were refused before
        raise _Refused(_too_wide(name, len(raw), width=2))
    if not text or text.isspace():  # not text.strip(): that would copy the whole text
        raise _Refused(f"{name}: the file is empty")
    return text


class _RepeatedKey(Exception):
    pass


def _one_value_per_key(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """An object of the file; a key given twice is refused (json keeps the last value and
    drops the first without a word, as an unknown key would be dropped)."""
    obj = dict(pairs)
    if len(obj) != len(pairs):
        seen: set[str] = set()
        raise _RepeatedKey(next(k for k, _ in pairs if k in seen or seen.add(k)))  # type: ignore[func-returns-value]
    return obj


def _load_json(text: str, name: str) -> Any:
    try:
        return json.loads(text, object_pairs_hook=_one_value_per_key)
    except _RepeatedKey as exc:
        raise _Refused(f"{name}: the key {json.dumps(exc.args[0], ensure_ascii=False)} is given "
                       "twice in one object: which value is meant? (nothing was imported)"
                       ) from None
    except json.JSONDecodeError as exc:
        where = f"line {exc.lineno} column {exc.colno}"
        if exc.pos >= len(text.rstrip()) or exc.msg.startswith("Unterminated string"):
            raise _Refused(f"{name}: not valid JSON: the file ends too early ({where}); "
                           "was it cut off?") from None
        raise _Refused(f"{name}: not valid JSON: {exc.msg} at {where}") from None
    except RecursionError:
        raise _Refused(f"{name}: not valid JSON: nested too deeply") from None
    except ValueError as exc:  # e.g. a number with thousands of digits
        raise _Refused(f"{name}: not valid JSON: {exc}") from None


def read_record_file(path: Path) -> tuple[Record | None, list[str]]:
    """Read and check one record file: (record, []) or (None, problem lines).

    Memory is bounded: the budgets are checked on the bytes before any parsing,
    and each stage's input is dropped as soon as the next stage has it, so at
    most two forms of the file (bytes and text, then text and document) are
    held at once.
    """
    name = str(path)
    try:
        raw = _read_bytes(path, name)
        _check_budgets(raw, name)
        text = _decode(raw, name)
        del raw
        doc = _load_json(text, name)
        del text
    except _Refused as exc:
        return None, [str(exc)]
    record, problems = parse_record(doc)
    return record, [f"{name}: {p}" for p in problems]


def read_import_files(paths: Sequence[Path]) -> list[Record]:
    """The records of ``paths``, read and checked before any database is opened (a
    refused import leaves no new database file behind); HemalogError naming every
    problem of every file, or two files holding one MRN."""
    records: list[Record] = []
    lines: list[str] = []
    for path in paths:
        record, problems = read_record_file(Path(path))
        lines.extend(problems)
        if record is not None:
            records.append(record)
    if not lines:
        lines = _shared_mrns(paths, records)
    if lines:
        raise HemalogError(lines)
    return records


def _shared_mrns(paths: Sequence[Path], records: Sequence[Record]) -> list[str]:
    lines = []
    mrn_files: dict[str, str] = {}
    for path, record in zip(paths, records):
        mrn = record.patient.mrn
        if mrn in mrn_files:
            lines.append(f"{path}: patient.mrn: {mrn} is also in {mrn_files[mrn]}")
        mrn_files.setdefault(mrn, str(path))
    return lines


def import_records(store: Store, paths: Sequence[Path], records: Sequence[Record]
                   ) -> list[Patient]:
    """Add ``records`` (read by read_import_files from ``paths``) unless a patient of
    theirs is in the database already: all of them or none."""
    lines = [f"{path}: patient.mrn: {record.patient.mrn} is already in this database"
             for path, record in zip(paths, records)
             if store.patients.list_mrns([record.patient.mrn])]
    if lines:
        raise HemalogError(lines)
    return store.add_records(list(records))


def import_files(store: Store, paths: Sequence[Path]) -> list[Patient]:
    """Import every file or none: all problems in all files are reported together (those
    of the files themselves first, then the patients already in the database)."""
    return import_records(store, paths, read_import_files(paths))


def export_text(store: Store, mrn: str) -> str:
    patient = store.patients.get_by_mrn(mrn)
    record = store.load_record(patient.id)  # type: ignore[arg-type]
    return record_text(record, derive(record))


def write_text_atomically(path: Path, text: str) -> None:
    """Write UTF-8 text so that a crash leaves either the old file or the new one."""
    write_atomically(path, text.encode("utf-8"))
