"""docs/record-format.md: its examples are real record files, and it names everything
the record schema knows.

Conventions the document keeps (so that it can be kept in step):

- Every fenced block whose info string starts with ``json`` is a WHOLE record file.
  Each is imported with the real command (``main.py --db DB import FILE``, exit 0),
  exported again, and compared:
  - a block without a top-level ``summary`` is an input file: its meaningful parts
    (every value it gives, the schema's defaults for what it leaves out, lab values
    in the stored unit; derived keys dropped) equal the export's;
  - a block with ``summary`` shows what export writes: the export equals it exactly
    (as JSON values: the layout may differ).
  The export is then imported into a fresh database and exported again: byte for
  byte the same (import ignores the derived keys; export is canonical).
  Fragments belong in tables or ``text`` blocks, never in ``json`` blocks.
- Every key, item kind, enumerated value and unit the schema knows, and every key an
  export writes, appears in the document in backticks (as `name`, or as a quoted
  "name" inside a backticked span). Names are read from clinical.record_schema,
  clinical.record and clinical.units, so a new field without documentation fails.
- Each list of the record, the patient, the summary and each assessment kind has a
  heading that starts with its key (``## labs``, ``### crs: ...``).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from enum import Enum
from pathlib import Path
from typing import Any

import pytest

from clinical.derive import derive
from clinical.engraftment import ENGRAFTMENT_FLAGS
from clinical.record import (
    AssessmentKind, CourseCategory, DayReference, DoseUnit, EventType, LabTest, Marker,
    MrdMethod, Sex,
)
from clinical.record_json import to_document
from clinical.record_schema import (
    ASSESSMENT_FIELDS, COURSE_FIELDS, DERIVED_KEYS, DRUG_FIELDS, EVENT_DETAILS, EVENT_FIELDS,
    FINDINGS, ICE_ITEMS, LAB_FIELDS, LIST_KEYS, MARROW_FIELDS, MEASUREMENT_FIELDS,
    PATIENT_FIELDS, parse_record,
)
from clinical.rollups import CHIMERISM_WORDS
from clinical.units import LAB_UNITS, to_stored_unit
from resources import DEMO_RECORD
from tests.docs.fences import FENCE, fenced_blocks

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "record-format.md"
MAIN = ROOT / "main.py"


def json_blocks() -> list[tuple[int, str]]:
    return [(line, "\n".join(lines) + "\n") for line, info, lines in fenced_blocks(DOC)
            if info.split(" ")[0] == "json"]


def prose(text: str) -> str:
    """The document without its fenced blocks."""
    kept: list[str] = []
    inside = None
    for line in text.splitlines():
        opened = FENCE.match(line)
        if inside is None and opened:
            inside = opened.group(1)
        elif inside is not None and line.startswith(inside):
            inside = None
        elif inside is None:
            kept.append(line)
    return "\n".join(kept)


def documented_names(text: str) -> set[str]:
    """What the prose writes in backticks: each span, and each "quoted" word inside one."""
    names: set[str] = set()
    for span in re.findall(r"`([^`\n]+)`", prose(text)):
        names.add(span.strip())
        names.update(re.findall(r'"([^"]+)"', span))
    return names


# --- running hemalog ------------------------------------------------------------------------
def hemalog(cwd: Path, *argv: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "HEMALOG_LANG": "en", "HOME": str(cwd)}
    for name in ("HEMALOG_DB", "HEMALOG_USER"):
        env.pop(name, None)
    result = subprocess.run([sys.executable, str(MAIN), *argv], cwd=cwd, env=env,
                            stdin=subprocess.DEVNULL, capture_output=True, text=True,
                            timeout=120)
    assert "Traceback" not in result.stdout + result.stderr, result.stderr
    return result


def import_then_export(folder: Path, db: str, record: Path, mrn: str) -> str:
    imported = hemalog(folder, "--db", db, "import", str(record))
    assert imported.returncode == 0, imported.stderr
    out = folder / f"{db}.export.json"
    exported = hemalog(folder, "--db", db, "export", mrn, "-o", str(out))
    assert exported.returncode == 0, exported.stderr
    return out.read_text(encoding="utf-8")


# --- the meaningful parts of a record document -------------------------------------------------
def _default(value: Any) -> Any:
    return value.value if isinstance(value, Enum) else value


def _fields_of(fields: dict[str, Any], given: dict[str, Any], derived: frozenset[str]
               ) -> dict[str, Any]:
    """An item as a document gives it, with the schema's defaults for what is left out
    (null counts as left out) and without derived keys."""
    out: dict[str, Any] = {}
    for key, spec in fields.items():
        value = given.get(key)
        if value is None:
            value = _default(spec.default)
        if value is not None:
            out[key] = value
    unknown = set(given) - set(fields) - derived
    assert not unknown, f"keys the schema does not know: {sorted(unknown)}"
    return out


def _lab(given: dict[str, Any]) -> dict[str, Any]:
    lab = _fields_of(LAB_FIELDS, given, DERIVED_KEYS["lab"])
    test = LabTest(lab["test"])
    stored = next(iter(LAB_UNITS[test]))
    if lab["unit"] != stored:
        for key in ("value", "lln", "uln"):
            if key in lab:
                lab[key] = to_stored_unit(test, lab["unit"], lab[key])
        lab["unit"] = stored
    return lab


def meaningful(doc: dict[str, Any]) -> dict[str, Any]:
    """What a record document says, in a form two documents can be compared in."""
    def many(key: str, item: Any) -> list[Any]:
        return [item(x) for x in (doc.get(key) or [])]

    def course(c: dict[str, Any]) -> dict[str, Any]:
        out = _fields_of(COURSE_FIELDS, c, frozenset())
        out["drugs"] = [_fields_of(DRUG_FIELDS, d, DERIVED_KEYS["drug"]) for d in c["drugs"]]
        return out

    return {
        "format": doc["format"],
        "version": doc["version"],
        "patient": _fields_of(PATIENT_FIELDS, doc["patient"], frozenset()),
        "measurements": many("measurements",
                             lambda m: _fields_of(MEASUREMENT_FIELDS, m, frozenset())),
        "courses": many("courses", course),
        "events": many("events", lambda e: _fields_of(EVENT_FIELDS, e, frozenset())),
        "labs": many("labs", _lab),
        "marrow": many("marrow", lambda m: _fields_of(MARROW_FIELDS, m, DERIVED_KEYS["marrow"])),
        "assessments": many("assessments", lambda a: _fields_of(
            ASSESSMENT_FIELDS, a, DERIVED_KEYS["assessment"])),
    }


# --- the examples ---------------------------------------------------------------------------------
BLOCKS = json_blocks()


def test_the_document_has_whole_record_examples() -> None:
    assert len(BLOCKS) >= 3, "expected the smallest file, a fuller one and an export"
    assert any("summary" in json.loads(body) for _, body in BLOCKS), \
        "no json block shows an exported file (with its summary)"


@pytest.mark.parametrize(("line", "body"), BLOCKS, ids=[f"line{line}" for line, _ in BLOCKS])
def test_json_example_imports_and_round_trips(tmp_path: Path, line: int, body: str) -> None:
    try:
        doc = json.loads(body)
    except json.JSONDecodeError as exc:
        pytest.fail(f"{DOC.name}:{line}: the json block is not valid JSON: {exc}")
    assert isinstance(doc, dict), f"{DOC.name}:{line}: not a record (one JSON object)"
    record, problems = parse_record(doc)
    assert record is not None, [str(p) for p in problems]
    mrn = doc["patient"]["mrn"]
    example = tmp_path / "example.json"
    example.write_text(body, encoding="utf-8")

    first = import_then_export(tmp_path, "a.db", example, mrn)
    exported = json.loads(first)
    if "summary" in doc:
        assert exported == doc, (f"{DOC.name}:{line}: this is not what export writes for it; "
                                 "the export is:\n" + first)
    else:
        assert meaningful(exported) == meaningful(doc), f"{DOC.name}:{line}"

    again = tmp_path / "exported.json"
    again.write_text(first, encoding="utf-8")
    second = import_then_export(tmp_path, "b.db", again, mrn)
    assert second == first


# --- everything the schema knows is named ------------------------------------------------------------
def _choices(parser: Any) -> tuple[str, ...]:
    """The allowed values of a parser made by record_schema.one_of (none for others)."""
    if "one_of" not in getattr(parser, "__qualname__", ""):
        return ()
    for cell in parser.__closure__ or ():
        value = cell.cell_contents
        if isinstance(value, tuple) and all(isinstance(v, str) for v in value):
            return value
    raise AssertionError(f"cannot read the values of {parser.__qualname__}")


def _keys(value: Any, found: set[str]) -> set[str]:
    """Every key of a document, except the data keys of an immunophenotype."""
    if isinstance(value, dict):
        for key, inner in value.items():
            found.add(key)
            if key != "immunophenotype":
                _keys(inner, found)
    elif isinstance(value, list):
        for inner in value:
            _keys(inner, found)
    return found


def schema_names() -> dict[str, set[str]]:
    names: dict[str, set[str]] = {
        "top-level keys": {"format", "version", "patient", *LIST_KEYS, *DERIVED_KEYS["record"]},
        "item kinds": set(LIST_KEYS),
        "event types": {t.value for t in EventType},
        "assessment kinds": {k.value for k in AssessmentKind},
        "fields": {*PATIENT_FIELDS, *MEASUREMENT_FIELDS, *COURSE_FIELDS, *DRUG_FIELDS,
                   *EVENT_FIELDS, *LAB_FIELDS, *MARROW_FIELDS, *ASSESSMENT_FIELDS, *ICE_ITEMS},
        "event details": {k for fields in EVENT_DETAILS.values() for k in fields},
        "findings": {k for fields in FINDINGS.values() for k in fields},
        "derived keys": {k for keys in DERIVED_KEYS.values() for k in keys},
        "enumerated values": {m.value for e in (Sex, Marker, CourseCategory, DayReference,
                                                DoseUnit, LabTest, MrdMethod) for m in e},
        "lab units": {u for units in LAB_UNITS.values() for u in units},
        "allowed values of details and findings": {
            v for fields in (*EVENT_DETAILS.values(), *FINDINGS.values())
            for spec in fields.values() for v in _choices(spec.parser)},
        "derived vocabularies": {*ENGRAFTMENT_FLAGS, *CHIMERISM_WORDS.values(),
                                 "chimerism_boundary", "none", "mild", "moderate", "severe"},
    }
    exported: set[str] = set()
    for source in [DEMO_RECORD.read_text(encoding="utf-8"), *(b for _, b in BLOCKS)]:
        record, problems = parse_record(json.loads(source))
        assert record is not None, problems
        _keys(to_document(record, derive(record)), exported)
    names["keys an export writes"] = exported
    return names


def test_the_schema_reader_finds_the_allowed_values() -> None:
    """The closure reading above must see one_of's values, or the check below is empty."""
    assert _choices(EVENT_DETAILS[EventType.HSCT]["graft"].parser) == (
        "haploidentical", "matched_sibling", "matched_unrelated", "cord")
    assert _choices(FINDINGS[AssessmentKind.CRS]["temperature_c"].parser) == ()


def test_every_key_kind_and_value_the_schema_knows_is_documented() -> None:
    named = documented_names(DOC.read_text(encoding="utf-8"))
    missing = {what: sorted(names - named) for what, names in schema_names().items()
               if names - named}
    assert not missing, f"{DOC.name} does not name (in backticks): {missing}"


def test_each_part_of_the_record_has_its_heading() -> None:
    headings = [line.lstrip("#").strip().split(":")[0].split(" ")[0]
                for line in DOC.read_text(encoding="utf-8").splitlines()
                if line.startswith("#")]
    wanted = ["patient", *LIST_KEYS, "summary", *(k.value for k in AssessmentKind)]
    missing = [key for key in wanted if key not in headings]
    assert not missing, f"{DOC.name} has no heading for: {missing}"


def test_the_document_stays_inside_the_repository() -> None:
    """Nobody who downloads hemalog has the specs it was written from."""
    text = DOC.read_text(encoding="utf-8")
    assert "shared/" not in text and "/work/" not in text
