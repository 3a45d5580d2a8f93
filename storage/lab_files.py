"""Lab result files from the laboratory system, read and imported (issue 17).

Readers turn a file into ``clinical.lab_import.SourceResult``s:

- CSV (UTF-8, with or without BOM, or GB18030 as Chinese spreadsheets save it;
  comma, semicolon or tab separated) and XLSX (python-calamine; the mapping's sheet or
  the first worksheet), long or wide form, read with a ``ColumnMapping`` (given, saved
  under a name, or guessed from the header);
- HL7 v2.x ORU^R01: the ``hl7`` package splits the file into messages and gives the
  separators and the unescaping; each segment's fields are split only when read (the
  package's ``hl7.parse`` builds every component of every segment: seconds for a
  day's drop of a ward's results). A file of one or more messages (MLLP
  framing characters, batch segments and any line ending accepted); one result per
  numeric OBX, the test by OBX-3 (any of its identifiers: LOINC or local code), value
  OBX-5, unit OBX-6, range OBX-7, status OBX-11, the day by OBR-7 (specimen
  collection), else OBX-14, else MSH-7; the patient by PID-3 (every identifier).

``plan_file`` decides against the store without writing; ``import_plans`` writes the
labs of one or more patients' plans in one transaction, every audit row naming the
file (its name and SHA-256), or nothing when any result is refused.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from clinical.errors import HemalogError
from clinical.lab_import import (
    CodeTable, ColumnMapping, LabImportPlan, SourceResult, check_mapping, group_by_patient,
    guess_mapping, parse_code_table, plan_lab_import, results_from_table, unread_columns,
)
from clinical.plain_text import printable
from resources import LAB_CODES

if TYPE_CHECKING:
    from storage.contract import Store

__all__ = ["LabFile", "read_lab_file", "load_codes", "plan_file", "import_plans",
           "MappingStore", "LAB_SUFFIXES", "MAX_LAB_FILE_BYTES", "MAX_RESULTS"]

MAX_LAB_FILE_BYTES = 100 * 1024 * 1024
MAX_RESULTS = 250_000          # as many labs as one record may hold (MAX_ITEMS)
LAB_SUFFIXES = {".csv": "csv", ".txt": "csv", ".tsv": "csv", ".xlsx": "xlsx",
                ".hl7": "hl7", ".oru": "hl7", ".msg": "hl7"}


@dataclass
class LabFile:
    """One file read: its results and how they were read."""

    path: Path
    kind: str                               # "csv", "xlsx", "hl7"
    sha256: str
    results: list[SourceResult] = field(default_factory=list)
    header: list[str] = field(default_factory=list)     # tables: the columns
    mapping: ColumnMapping | None = None               # tables: as read
    messages: int = 0                                   # HL7: how many
    unread: list[str] = field(default_factory=list)     # tables: columns not read

    @property
    def source(self) -> str:
        """What the audit rows say the labs came from."""
        return f"imported from {printable(self.path.name)} (sha256 {self.sha256})"


def _refuse(name: str, why: str) -> HemalogError:
    return HemalogError(f"{name}: {why}")


def _read(path: Path) -> bytes:
    name = printable(str(path))
    try:
        if path.is_dir():
            raise _refuse(name, "is a folder, not a lab file")
        size = path.stat().st_size
        if size > MAX_LAB_FILE_BYTES:
            raise _refuse(name, f"file is too large ({size:,} bytes); at most "
                                f"{MAX_LAB_FILE_BYTES:,} bytes in one lab file")
        raw = path.read_bytes()
    except FileNotFoundError:
        raise _refuse(name, "no such file") from None
    except PermissionError:
        raise _refuse(name, "permission denied") from None
    except OSError as exc:
        raise _refuse(name, f"cannot read: {exc.strerror or exc}") from None
    if not raw.strip():
        raise _refuse(name, "the file is empty")
    return raw


def kind_of(path: Path, raw: bytes) -> str:
    """csv, xlsx or hl7: by the file's first bytes, then its suffix."""
    if raw[:4] == b"PK\x03\x04":
        return "xlsx"
    head = raw.lstrip(b"\x0b\xef\xbb\xbf \r\n\t")[:3]
    if head in (b"MSH", b"FHS", b"BHS"):
        return "hl7"
    return LAB_SUFFIXES.get(path.suffix.lower(), "csv")


# --- code table and mappings ----------------------------------------------------------------
def load_codes(*extra: Path) -> CodeTable:
    """The shipped code table, then each of ``extra`` (a ward's own; later ones win)."""
    table, problems = parse_code_table(LAB_CODES.read_text(encoding="utf-8"), "codes.csv")
    if problems:   # shipped with hemalog: a test keeps this from happening
        raise HemalogError(problems)
    for path in extra:
        text = _decode(_read(path), printable(str(path)))
        more, problems = parse_code_table(text, printable(str(path)))
        if problems:
            raise HemalogError(problems)
        table = table.merged(more)
    return table


_NAME = re.compile(r"[^\W_][\w .-]{0,63}", re.UNICODE)


class MappingStore:
    """Column mappings saved by name, one JSON file each in ``folder`` (the user's
    hemalog settings folder: ``storage.locations``), shared by the app and the
    command line."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    @staticmethod
    def check_name(name: str) -> str:
        name = name.strip()
        if not _NAME.fullmatch(name) or name.endswith((".", " ")):
            raise HemalogError(f"mapping name {printable(name)!r}: use letters, digits, "
                               "spaces, '.', '-' or '_' (at most 64), not a path")
        return name

    def _path(self, name: str) -> Path:
        return self.folder / f"{self.check_name(name)}.json"

    def names(self) -> list[str]:
        if not self.folder.is_dir():
            return []
        return sorted(p.stem for p in self.folder.glob("*.json"))

    def load(self, name: str) -> ColumnMapping:
        """A mapping by name, or from a JSON file when ``name`` is a path to one."""
        candidate = Path(name)
        path = candidate if candidate.suffix == ".json" and candidate.is_file() \
            else self._path(name)
        shown = printable(name)
        if not path.is_file():
            known = ", ".join(self.names()) or "none saved yet"
            raise HemalogError(f"--mapping {shown}: no such mapping (saved: {known})")
        try:
            doc = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise HemalogError(f"mapping {shown}: {printable(str(path))} cannot be read "
                               f"({exc})") from None
        if not isinstance(doc, dict):
            raise HemalogError(f"mapping {shown}: {printable(str(path))} is not a mapping "
                               "(a JSON object)")
        try:
            return ColumnMapping.from_doc(doc, path.stem)
        except (TypeError, ValueError) as exc:
            raise HemalogError(str(exc)) from None

    def save(self, mapping: ColumnMapping) -> Path:
        from storage.outputs import write_atomically

        path = self._path(mapping.name)
        self.folder.mkdir(parents=True, exist_ok=True)
        write_atomically(path, (json.dumps(mapping.doc(), ensure_ascii=False, indent=2)
                                + "\n").encode("utf-8"))
        return path


# --- tables ---------------------------------------------------------------------------------
def _decode(raw: bytes, name: str) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise _refuse(name, "not text in UTF-8 or GB18030; save it as CSV UTF-8")


def _csv_rows(raw: bytes, name: str) -> Iterator[tuple[int, list[str]]]:
    text = _decode(raw, name)
    first = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first.count) if any(d in first for d in ",;\t") else ","
    try:
        for number, cells in enumerate(csv.reader(io.StringIO(text, newline=""),
                                                  delimiter=delimiter), start=1):
            yield number, cells
    except csv.Error as exc:
        raise _refuse(name, f"not a CSV file ({exc})") from None


def _xlsx_rows(raw: bytes, name: str, sheet: str | None) -> Iterator[tuple[int, list[Any]]]:
    """The rows of a workbook's sheet (the mapping's, else the first worksheet), read by
    python-calamine: numbers as numbers, dates and date-times as such, numbered as
    the sheet numbers them."""
    from python_calamine import CalamineError, CalamineWorkbook

    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(raw))
    except (CalamineError, ValueError, OSError) as exc:
        raise _refuse(name, f"not an XLSX workbook, or a damaged one ({exc})") from None
    try:
        worksheets = [m.name for m in book.sheets_metadata
                      if str(m.typ).rsplit(".", 1)[-1].lower() == "worksheet"]
        if sheet is not None and sheet not in worksheets:
            raise _refuse(name, f"no sheet {sheet!r} (sheets: {', '.join(worksheets)})")
        if not worksheets:
            raise _refuse(name, "the workbook has no worksheet")
        try:
            rows = book.get_sheet_by_name(sheet or worksheets[0]).to_python(
                skip_empty_area=False)
        except (CalamineError, ValueError, OSError) as exc:
            raise _refuse(name, f"not an XLSX workbook, or a damaged one ({exc})") from None
    finally:
        book.close()
    for number, cells in enumerate(rows, start=1):
        yield number, [None if c == "" else c for c in cells]


def _table(rows: Iterator[tuple[int, list[Any]]], name: str
           ) -> tuple[list[str], list[tuple[int, list[Any]]]]:
    """The header (the first row with anything in it) and the rows after it."""
    header: list[str] | None = None
    body: list[tuple[int, list[Any]]] = []
    for number, cells in rows:
        if header is None:
            if any(c is not None and str(c).strip() for c in cells):
                header = ["" if c is None else str(c).strip() for c in cells]
            continue
        body.append((number, cells))
        if len(body) > MAX_RESULTS:
            raise _refuse(name, f"more than {MAX_RESULTS:,} rows; split the file")
    if header is None:
        raise _refuse(name, "no header row (the column names)")
    return header, body


# --- HL7 v2 ---------------------------------------------------------------------------------
def _field(segment: Any, number: int, repeat: int = 1, component: int = 1) -> str:
    try:
        return str(segment.extract_field(1, number, repeat, component, 1)).strip()
    except (IndexError, KeyError, AttributeError):
        return ""


def _repeats(segment: Any, number: int) -> int:
    try:
        return max(1, len(segment[number]))
    except (IndexError, TypeError):
        return 0


class _Hl7Segment:
    """One segment as ``hl7.parse`` reads it, for ``_field`` and ``_repeats`` (the fields
    split only when asked for: ``hl7.parse`` builds every component of a 20,000-result
    file, ten times the time of the rest of the import)."""

    __slots__ = ("fields", "plan")

    def __init__(self, text: str, plan: Any) -> None:
        self.plan = plan
        if text[:3] in ("MSH", "BHS", "FHS"):   # MSH-1 is the separator, MSH-2 the others
            end = text.find(text[3], 4)
            rest = text[end + 1:]
            self.fields = [text[:3], text[3], text[4:end],
                           *(rest.split(plan.separators[1]) if rest else [])]
        else:
            self.fields = text.split(plan.separators[1])

    def __getitem__(self, number: int) -> Any:
        """The segment's name (0), or a field's repetitions."""
        text = self.fields[number]
        if number == 0 or (number in (1, 2) and self.fields[0] == "MSH"):
            return text if number == 0 else [text]
        return text.split(self.plan.separators[2])

    def extract_field(self, _segment: int, number: int, repeat: int = 1, component: int = 1,
                      subcomponent: int = 1) -> str:
        """What ``hl7.Segment.extract_field`` gives ("" for a part that is not there)."""
        fields = self.fields
        if number >= len(fields):
            return ""
        text = fields[number]
        if fields[0] == "MSH" and number in (1, 2):   # the separators, as they are
            return text if repeat == component == subcomponent == 1 else ""
        _, _, repetition, component_sep, subcomponent_sep = self.plan.separators
        for separator, index in ((repetition, repeat), (component_sep, component),
                                 (subcomponent_sep, subcomponent)):
            if separator in text:
                parts = text.split(separator)
                if index > len(parts):
                    return ""
                text = parts[index - 1]
            elif index != 1:
                return ""
        if self.plan.esc not in text:
            return text
        from hl7.util import unescape
        return unescape(self.plan, text)


class _Hl7Message(list[_Hl7Segment]):
    def segment(self, name: str) -> _Hl7Segment:
        for segment in self:
            if segment.fields[0] == name:
                return segment
        raise KeyError(name)


def _parse_hl7(text: str) -> _Hl7Message:
    """A message as ``hl7.parse`` splits it (its separators from MSH-1 and MSH-2, the
    package's ``create_parse_plan``), each segment's fields split on first use."""
    from hl7.parser import create_parse_plan

    text = text.strip()
    plan = create_parse_plan(text)
    if len(set(plan.separators)) != len(plan.separators):   # hl7.parse: AssertionError
        raise ValueError(f"MSH-1 and MSH-2 give a separator twice ({plan.separators[1:]!r})")
    return _Hl7Message(_Hl7Segment(line, plan) for line in text.split("\r"))


def _hl7_results(raw: bytes, name: str, table: CodeTable) -> tuple[list[SourceResult], int]:
    import hl7

    text = _decode(raw, name).replace("\x0b", "").replace("\x1c", "")
    text = text.replace("\r\n", "\r").replace("\n", "\r")
    out: list[SourceResult] = []
    messages = hl7.split_file(text)
    if not messages:
        raise _refuse(name, "no HL7 message (MSH segment) in the file")
    for m, message_text in enumerate(messages, start=1):
        try:
            message = _parse_hl7(message_text)
        except Exception as exc:  # noqa: BLE001 - the package raises several kinds
            raise _refuse(name, f"message {m} cannot be read as HL7 ({exc})") from None
        msh = message.segment("MSH")
        kind = (_field(msh, 9, 1, 1), _field(msh, 9, 1, 2))
        if kind[0] != "ORU":
            raise _refuse(name, f"message {m} is {'^'.join(kind)}, not a result message "
                                "(ORU^R01)")
        mrns: list[str] = []
        when_message = _field(msh, 7)
        when_order = ""
        obx_number = 0
        for segment in message:
            tag = str(segment[0])
            if tag == "PID":
                mrns = [_field(segment, 3, r, 1) for r in range(1, _repeats(segment, 3) + 1)]
                mrns = [x for x in mrns if x]
            elif tag == "OBR":
                when_order = _field(segment, 7)
            elif tag == "OBX":
                obx_number += 1
                where = f"message {m}, OBX {_field(segment, 1) or obx_number}"
                value_type = _field(segment, 2).upper()
                if value_type and value_type not in ("NM", "SN", "ST", "TX"):
                    continue   # an image, a document, a coded finding: not a number
                codes = [c for c in (_field(segment, 3, 1, 1), _field(segment, 3, 1, 4)) if c]
                value = _field(segment, 5)
                if value_type == "SN":   # structured numeric: comparator^number[^sep^number]
                    comparator = _field(segment, 5, 1, 1)
                    value = ("" if comparator == "=" else comparator) + _field(segment, 5, 1, 2)
                    if _field(segment, 5, 1, 3) or _field(segment, 5, 1, 4):
                        value = "^".join(_field(segment, 5, 1, c) for c in range(1, 5))
                        # a ratio (1:40) or a range (2-5): refused as not a number
                when = when_order or _field(segment, 14) or when_message
                out.append(SourceResult(
                    where=where, when=when[:8], code=_pick(codes, table), value=value,
                    unit=_unit(segment), reference=_field(segment, 7),
                    mrn=_one_mrn(mrns), status=_field(segment, 11), date_format="YYYYMMDD"))
                if len(out) > MAX_RESULTS:
                    raise _refuse(name, f"more than {MAX_RESULTS:,} results; split the file")
    return out, len(messages)


def _unit(segment: Any) -> str:
    """OBX-6's unit. Lab systems often send "10^9/L" without escaping the "^", which
    then splits the unit into components ("10", "9/L"): joined again when the joined
    text is a unit hemalog knows."""
    from clinical.lab_import import known_unit
    first, second = _field(segment, 6, 1, 1), _field(segment, 6, 1, 2)
    if second and known_unit(f"{first}^{second}"):
        return f"{first}^{second}"
    return first


def _pick(codes: list[str], table: CodeTable) -> str:
    """The identifier of OBX-3 that hemalog knows (the first when it knows neither)."""
    for code in codes:
        if table.lookup(code) is not None:
            return code
    return codes[0] if codes else ""


def _one_mrn(mrns: list[str]) -> str:
    """PID-3's identifiers ("A~B"); "" when the message names none (refused: the patient
    is matched by PID-3, never assumed)."""
    return "~".join(mrns)


# --- reading a file -------------------------------------------------------------------------
def read_lab_file(path: Path, *, codes: CodeTable, mapping: ColumnMapping | None = None
                  ) -> LabFile:
    """Read ``path`` (CSV, XLSX or HL7) into results. A table is read with ``mapping``
    or the one its header suggests; a mapping that does not fit is refused, naming
    the column."""
    path = Path(path)
    name = printable(str(path))
    raw = _read(path)
    kind = kind_of(path, raw)
    lab_file = LabFile(path, kind, hashlib.sha256(raw).hexdigest())
    if kind == "hl7":
        lab_file.results, lab_file.messages = _hl7_results(raw, name, codes)
        return lab_file
    rows = _xlsx_rows(raw, name, mapping.sheet if mapping else None) if kind == "xlsx" \
        else _csv_rows(raw, name)
    header, body = _table(rows, name)
    used = mapping or guess_mapping(header, codes, name="")
    problem = check_mapping(used, header, codes)
    if problem is not None:
        raise _refuse(name, str(problem))
    lab_file.header, lab_file.mapping = header, used
    lab_file.results = results_from_table(header, body, used, codes)
    lab_file.unread = unread_columns(used, header, codes)
    return lab_file


def file_kind(path: Path) -> str:
    """csv, xlsx or hl7 for a file (its first bytes, then its suffix); HemalogError
    names a file that cannot be read."""
    path = Path(path)
    return kind_of(path, _read(path))


def wide_columns(mapping: ColumnMapping, header: Sequence[str], codes: CodeTable
                 ) -> list[tuple[str, Any, str]]:
    """A wide table's test columns: (header, the test or None, the unit the header or
    the mapping gives, "" if none), for the columns step."""
    from clinical.lab_import import _wide_columns
    out = []
    for i, code, unit in _wide_columns(mapping, header, codes):
        found = codes.lookup(code)
        out.append((header[i], found.test if found else None, unit))
    return out


def table_preview(path: Path, *, sheet: str | None = None, rows: int = 8
                  ) -> tuple[list[str], list[list[Any]]]:
    """A table file's header and first ``rows`` rows (for choosing the columns)."""
    path = Path(path)
    name = printable(str(path))
    raw = _read(path)
    kind = kind_of(path, raw)
    if kind == "hl7":
        raise _refuse(name, "an HL7 file has no columns to choose")
    source = _xlsx_rows(raw, name, sheet) if kind == "xlsx" else _csv_rows(raw, name)
    header: list[str] | None = None
    shown: list[list[Any]] = []
    for _number, cells in source:
        if header is None:
            if any(c is not None and str(c).strip() for c in cells):
                header = ["" if c is None else str(c).strip() for c in cells]
            continue
        shown.append(cells)
        if len(shown) >= rows:
            break
    if header is None:
        raise _refuse(name, "no header row (the column names)")
    return header, shown


# --- planning and importing -----------------------------------------------------------------
def _mrn_matches(result: SourceResult, mrn: str) -> SourceResult:
    """An HL7 result names every identifier of PID-3 ("A~B"): the one that is ``mrn``
    stands for the patient."""
    if result.mrn is not None and "~" in result.mrn and mrn in result.mrn.split("~"):
        return SourceResult(**{**vars(result), "mrn": mrn})   # dataclasses.replace, faster
    return result


def plan_file(store: Store, lab_file: LabFile, codes: CodeTable, *, mrn: str | None = None,
              today: date | None = None) -> list[tuple[int | None, LabImportPlan]]:
    """(patient id, plan) per patient: for ``mrn`` (every result must be theirs), or,
    without it, for each MRN the file names (a drop folder's file). Nothing is written.
    A plan for an MRN not in the database has patient id None and every row refused."""
    from clinical.lab_import import NO_PATIENT, TWO_PATIENTS, UNKNOWN_MRN, Action, PlannedRow
    from clinical.messages import msg

    today = today or date.today()
    plans: list[tuple[int | None, LabImportPlan]] = []
    if mrn is not None:
        patient = store.patients.get_by_mrn(mrn)   # HemalogError names an unknown MRN
        existing = store.labs.list(patient.id)
        results = [_mrn_matches(r, mrn) for r in lab_file.results]
        plans.append((patient.id, plan_lab_import(results, mrn=mrn, existing=existing,
                                                  codes=codes, today=today)))
        return plans
    groups = group_by_patient(lab_file.results)
    # PID-3 "A" in one message and "A~B" in another are one patient: one plan, so a
    # result twice in the file is skipped, and two values for a test and day refused
    found_of = {key: sorted(store.patients.list_mrns(key.split("~")))
                for key in groups if key is not None}
    patient_of = {key: found[:1] if len(found) == 1 else [] for key, found in found_of.items()}
    of_patient: dict[str, list[SourceResult]] = {}
    for result in lab_file.results:   # in file order
        key = (result.mrn or "").strip()
        if patient_of.get(key):
            of_patient.setdefault(patient_of[key][0], []).append(result)
    planned: set[str] = set()
    for key, results in groups.items():
        if key is None:
            rows = tuple(PlannedRow(r, Action.REFUSE, why=msg(NO_PATIENT)) for r in results)
            plans.append((None, LabImportPlan("", rows)))
            continue
        if not patient_of[key]:
            why = msg(UNKNOWN_MRN, mrn=repr(key)) if not found_of[key] else \
                msg(TWO_PATIENTS, mrn=repr(key), mrns=", ".join(found_of[key]))
            rows = tuple(PlannedRow(r, Action.REFUSE, why=why) for r in results)
            plans.append((None, LabImportPlan(key, rows)))
            continue
        (the_mrn,) = patient_of[key]
        if the_mrn in planned:
            continue
        planned.add(the_mrn)
        results = of_patient[the_mrn]
        patient = store.patients.get_by_mrn(the_mrn)
        existing = store.labs.list(patient.id)
        results = [_mrn_matches(r, the_mrn) for r in results]
        plans.append((patient.id, plan_lab_import(results, mrn=the_mrn, existing=existing,
                                                  codes=codes, today=today)))
    return plans


def import_plans(store: Store, plans: Sequence[tuple[int | None, LabImportPlan]],
                 source: str) -> int:
    """Save every plan's labs in one transaction, or nothing: refused when any result
    of any plan is refused. Returns how many labs were saved."""
    refused = [(plan, row) for _, plan in plans for row in plan.rows
               if row.action.value == "refuse"]
    if refused:
        raise HemalogError([f"{row.source.where}: {row.why}" for _, row in refused[:50]] +
                           ([f"... and {len(refused) - 50} more"] if len(refused) > 50 else []))
    saved = 0
    with store.writing():
        for patient_id, plan in plans:
            labs = plan.labs
            if labs and patient_id is not None:
                saved += store.labs.add_many(patient_id, labs, reason=source)
    return saved


def settings_files() -> tuple[Path, Path]:
    """(the folder of saved mappings, the ward's own code table): in the user's
    settings folder, or HEMALOG_LAB_SETTINGS (a folder shared by the ward's
    workstations, set by its IT)."""
    shared = os.environ.get("HEMALOG_LAB_SETTINGS")
    if shared:
        base = Path(shared)
    else:
        from storage.locations import settings_folder
        base = settings_folder()
    return base / "lab-mappings", base / "lab-codes.csv"


def ward_codes() -> CodeTable:
    """The shipped code table with the ward's own (lab-codes.csv) when there is one."""
    _, ward = settings_files()
    return load_codes(ward) if ward.is_file() else load_codes()
