"""Write a record as the JSON document of the record format.

Keys come out in the order of the spec, values in a canonical form (whole
numbers as integers, dates as ISO text, absent optional values left out), so
two exports of the same data are byte-identical.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from enum import Enum
from operator import attrgetter
from typing import TYPE_CHECKING, Any

from clinical.record import (
    FORMAT_NAME, FORMAT_VERSION, Assessment, Course, DrugLine, Event, Lab, MarrowResult,
    AssessmentKind, Measurement, Patient, Record,
)
from clinical.rules import RULES_VERSION

if TYPE_CHECKING:
    from clinical.derive import Derived
    from clinical.dosing import DoseCalculation
    from clinical.grading.result import Grade

__all__ = ["to_document", "dumps", "record_text", "plain"]


def _whole_as_int(value: float) -> float | int:
    return int(value) if value.is_integer() and abs(value) < 2**53 else value


# How plain() converts a value of each exact type that never equals {} or (): None
# for "as it is". A record's values are nearly all of these types; an enum type of
# the record's (a str enum) is added when first met.
_PLAIN_TYPES: dict[type, Callable[[Any], Any] | None] = {
    str: None, int: None, bool: None, float: _whole_as_int, date: date.isoformat,
}


def plain(value: Any) -> Any:
    """A JSON-ready value: enums to their text, dates to ISO, 3.0 to 3."""
    kind = type(value)
    if kind in _PLAIN_TYPES:
        convert = _PLAIN_TYPES[kind]
        return value if convert is None else convert(value)
    if isinstance(value, Enum):
        return value._value_             # what .value gives, without its descriptor
    if isinstance(value, Decimal):
        value = float(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    return value


def _enum_text(value: Enum) -> Any:
    return value._value_


def _is_str_enum(kind: type) -> bool:
    """Whether ``kind`` is a str enum (as the record's enums are); it then joins the
    plain types: its members are never {} or ()."""
    if issubclass(kind, Enum) and issubclass(kind, str):
        _PLAIN_TYPES[kind] = _enum_text
        return True
    return False


class _Fields:
    """The keys one kind of item is written with, in the spec's order (``always``: kept
    even when empty), and a getter that reads all their values in one call."""

    __slots__ = ("keys", "values", "always")

    def __init__(self, *keys: str, always: tuple[str, ...] = ()) -> None:
        self.keys = keys
        self.values = attrgetter(*keys)      # a tuple: every item has two keys or more
        self.always = frozenset(always)


def _pick(obj: Any, fields: _Fields) -> dict[str, Any]:
    """The item's values as an object, absent and empty ones (None, {}, ()) left out.

    Called for every lab of a record: a value of a plain type is converted as plain()
    would, without plain()'s checks and without being compared with {} and ()."""
    out: dict[str, Any] = {}
    converter = _PLAIN_TYPES.get
    for key, value in zip(fields.keys, fields.values(obj)):
        if value is None:
            continue
        convert = converter(type(value), plain)      # plain: not a plain type (yet)
        if convert is None:
            out[key] = value
        elif convert is not plain or _is_str_enum(type(value)):
            out[key] = convert(value)                # (plain gives a str enum's text)
        elif key in fields.always or value not in ({}, ()):
            out[key] = plain(value)
    return out


_PATIENT = _Fields("mrn", "name", "sex", "birth_date", "age_at_diagnosis", "diagnosis",
                   "diagnosis_date", "immunophenotype", "notes")
_MEASUREMENT = _Fields("date", "height_cm", "weight_kg")
_DRUG = _Fields("drug", "dose", "unit", "days", "doses_per_day", "route")
_COURSE = _Fields("name", "category", "start_date", "day_reference")
_EVENT = _Fields("type", "date", "details", "notes")
_LAB = _Fields("date", "test", "value", "unit", "lln", "uln")
_MARROW = _Fields("date", "blasts_pct", "mrd_pct", "mrd_method", "mrd_lod_pct",
                  "cellularity_pct", "donor_chimerism_pct", "fibrosis_grade", "karyotype",
                  "notes")
_ASSESSMENT = _Fields("kind", "date", "findings", "notes", always=("findings",))


def patient_doc(p: Patient) -> dict[str, Any]:
    return _pick(p, _PATIENT)


def measurement_doc(m: Measurement) -> dict[str, Any]:
    return _pick(m, _MEASUREMENT)


def drug_doc(d: DrugLine) -> dict[str, Any]:
    return _pick(d, _DRUG)


def course_doc(c: Course) -> dict[str, Any]:
    out = _pick(c, _COURSE)
    out["drugs"] = [drug_doc(d) for d in c.drugs]
    if c.notes is not None:
        out["notes"] = c.notes
    return out


def event_doc(e: Event) -> dict[str, Any]:
    return _pick(e, _EVENT)


def lab_doc(lab: Lab) -> dict[str, Any]:
    return _pick(lab, _LAB)


def marrow_doc(m: MarrowResult) -> dict[str, Any]:
    return _pick(m, _MARROW)


def assessment_doc(a: Assessment) -> dict[str, Any]:
    return _pick(a, _ASSESSMENT)


def computed_doc(calc: DoseCalculation) -> dict[str, Any]:
    """A drug line's derived `computed` object."""
    return {
        "amount": plain(calc.amount),
        "unit": calc.unit,
        "administrations": calc.administrations,
        "total": plain(calc.total),
        "dates": plain(list(calc.dates)) if calc.dates is not None else None,
    }


def grade_doc(kind: AssessmentKind, grade: Grade) -> dict[str, Any]:
    """An assessment's derived keys: grade or severity (and stages), scale, reason, flags."""
    out: dict[str, Any] = {}
    if kind is AssessmentKind.CGVHD:
        out["severity"] = grade.value
    else:
        out["grade"] = grade.value
    if kind is AssessmentKind.AGVHD:
        out["stages"] = plain(grade.details.get("stages"))
    # the version of hemalog's rules that gave this grade (docs/clinical-rules.md)
    out.update(scale=grade.scale, reason=grade.reason, flags=list(grade.flags),
               rules_version=RULES_VERSION)
    return out


_CTCAE = "ctcae"   # a lab's derived key, after its own keys


def to_document(record: Record, derived: Derived | None = None) -> dict[str, Any]:
    """The record as a format-version-1 document; with ``derived``, the derived keys too."""
    doc = _document(record, derived)
    if derived is not None:
        for item, ctcae in zip(doc["labs"], derived.lab_ctcae_docs()):
            if ctcae is not None:
                item[_CTCAE] = ctcae
    return doc


def _document(record: Record, derived: Derived | None) -> dict[str, Any]:
    """The document of ``to_document`` but for the labs' derived `ctcae` objects
    (``record_text`` writes those itself)."""
    courses = [course_doc(c) for c in record.courses]
    assessments = [assessment_doc(a) for a in record.assessments]
    marrow = [marrow_doc(m) for m in record.marrow]
    doc: dict[str, Any] = {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "patient": patient_doc(record.patient),
        "measurements": [measurement_doc(m) for m in record.measurements],
        "courses": courses,
        "events": [event_doc(e) for e in record.events],
        "labs": [lab_doc(lab) for lab in record.labs],
        "marrow": marrow,
        "assessments": assessments,
    }
    if derived is None:
        return doc
    for course, calcs in zip(courses, derived.doses):
        for line, calc in zip(course["drugs"], calcs):
            line["computed"] = computed_doc(calc)
            line["warnings"] = list(calc.warnings)
    for item, a, grade in zip(assessments, record.assessments, derived.grades):
        item.update(grade_doc(a.kind, grade))
    for i, (item, mrd) in enumerate(zip(marrow, derived.mrd)):
        item["mrd_negative"] = mrd.value
        item["chimerism"], item["flags"] = derived.chimerism_doc(i)
    doc["summary"] = derived.summary()
    return doc


def dumps(document: dict[str, Any]) -> str:
    """Canonical JSON text: UTF-8 friendly, two-space indent, newline at the end."""
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def record_text(record: Record, derived: Derived) -> str:
    """The record with its derived keys as export writes it: exactly
    ``dumps(to_document(record, derived))``, written faster.

    With its indent, json.dumps runs json's pure-Python encoder (only the C one
    writes fast, and it does not indent), and a record of years has tens of thousands
    of labs: they took most of an export's time. Here the labs are written by the C
    encoder (see _labs_text), the rest of the document as dumps writes it.
    """
    doc = _document(record, derived)
    parts = []
    for key, value in doc.items():
        if key == "labs":
            text = _labs_text(value, derived.lab_ctcae_docs())
        else:
            # A value one level deep is its own text with each line break indented
            # once more: json writes a line break only between items and around them
            # (one inside a text is written as \n).
            text = json.dumps(value, ensure_ascii=False, indent=2).replace("\n", "\n  ")
        parts.append(f"  {json.dumps(key, ensure_ascii=False)}: {text}")
    return "{\n" + ",\n".join(parts) + "\n}\n"


def _labs_text(labs: list[dict[str, Any]], ctcae: list[dict[str, Any] | None]) -> str:
    """The document's `labs` list, each lab with its `ctcae` object (if it has one) as
    its last key, exactly as dumps writes it one level deep.

    A lab's own keys hold plain values and a `ctcae` object holds plain values, so
    json's C encoder can write them all: the labs' own keys in one call, the `ctcae`
    objects in another, each with the separator of its depth; only the brackets
    around them and the line breaks next to the brackets are added here."""
    if not labs:
        return "[]"
    ctcae = (ctcae + [None] * len(labs))[:len(labs)]   # paired as to_document pairs them
    graded = [doc for doc in ctcae if doc is not None]
    own_texts = _flat_objects(labs, 3)
    graded_texts = _flat_objects(graded, 4) if graded else []
    if own_texts is None or graded_texts is None or any(_CTCAE in lab for lab in labs):
        # not all plain (or a `ctcae` to replace in place): as dumps writes it
        for item, doc in zip(labs, ctcae):
            if doc is not None:
                item[_CTCAE] = doc
        return json.dumps(labs, ensure_ascii=False, indent=2).replace("\n", "\n  ")
    lab_open, lab_close = "{\n" + "  " * 3, "\n" + "  " * 2 + "}"
    ctcae_open = ",\n" + "  " * 3 + json.dumps(_CTCAE, ensure_ascii=False) + ": {\n" + "  " * 4
    ctcae_close = "\n" + "  " * 3 + "}" + lab_close
    next_graded = iter(graded_texts).__next__
    texts = [f"{lab_open}{own}{lab_close}" if doc is None else
             f"{lab_open}{own}{ctcae_open}{next_graded()}{ctcae_close}"
             for own, doc in zip(own_texts, ctcae)]
    return "[\n" + "  " * 2 + (",\n" + "  " * 2).join(texts) + "\n  ]"


def _flat_objects(objects: list[Any], depth: int) -> list[str] | None:
    """Each object's keys and values as dumps writes them ``depth`` levels deep (the
    text between its braces); None unless every one is a non-empty object of plain
    values with no "{" or "[" in its texts.

    All are written by one call of json's C encoder, its separator between items the
    one of that depth, and cut apart at the separators between the objects. A line
    break is only ever written in a separator (one inside a text is \\n) and each
    key starts with a quote, so a separator followed by "{" is one between two
    objects. The cuts are right when the objects' own are the only "{" in the text
    and the list's own the only "[" (no object or list inside, none in a text): that
    is checked on the text, and every object is then one piece."""
    between = ",\n" + "  " * depth
    text = json.dumps(objects, ensure_ascii=False, separators=(between, ": "))
    if not text.startswith("[{") or text.count("{") != len(objects) or "[" in text[1:]:
        return None
    pieces = text[2:-2].split("}" + between + "{")
    if len(pieces) != len(objects) or "" in pieces:
        return None
    return pieces
