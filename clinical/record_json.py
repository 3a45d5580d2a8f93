"""Write a record as the JSON document of the record format.

Keys come out in the order of the spec, values in a canonical form (whole
numbers as integers, dates as ISO text, absent optional values left out), so
two exports of the same data are byte-identical.
"""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from enum import Enum
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

__all__ = ["to_document", "dumps", "plain"]


def plain(value: Any) -> Any:
    """A JSON-ready value: enums to their text, dates to ISO, 3.0 to 3."""
    if isinstance(value, Enum):
        return value.value
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


def _pick(obj: Any, keys: tuple[str, ...], always: tuple[str, ...] = ()) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key in keys:
        value = getattr(obj, key)
        if value is None or (key not in always and value in ({}, ())):
            continue
        out[key] = plain(value)
    return out


def patient_doc(p: Patient) -> dict[str, Any]:
    return _pick(p, ("mrn", "name", "sex", "birth_date", "age_at_diagnosis", "diagnosis",
                     "diagnosis_date", "immunophenotype", "notes"))


def measurement_doc(m: Measurement) -> dict[str, Any]:
    return _pick(m, ("date", "height_cm", "weight_kg"))


def drug_doc(d: DrugLine) -> dict[str, Any]:
    return _pick(d, ("drug", "dose", "unit", "days", "doses_per_day", "route"))


def course_doc(c: Course) -> dict[str, Any]:
    out = _pick(c, ("name", "category", "start_date", "day_reference"))
    out["drugs"] = [drug_doc(d) for d in c.drugs]
    if c.notes is not None:
        out["notes"] = c.notes
    return out


def event_doc(e: Event) -> dict[str, Any]:
    return _pick(e, ("type", "date", "details", "notes"))


def lab_doc(lab: Lab) -> dict[str, Any]:
    return _pick(lab, ("date", "test", "value", "unit", "lln", "uln"))


def marrow_doc(m: MarrowResult) -> dict[str, Any]:
    return _pick(m, ("date", "blasts_pct", "mrd_pct", "mrd_method", "mrd_lod_pct",
                     "cellularity_pct", "donor_chimerism_pct", "fibrosis_grade",
                     "karyotype", "notes"))


def assessment_doc(a: Assessment) -> dict[str, Any]:
    return _pick(a, ("kind", "date", "findings", "notes"), always=("findings",))


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


def to_document(record: Record, derived: Derived | None = None) -> dict[str, Any]:
    """The record as a format-version-1 document; with ``derived``, the derived keys too."""
    courses = [course_doc(c) for c in record.courses]
    assessments = [assessment_doc(a) for a in record.assessments]
    marrow = [marrow_doc(m) for m in record.marrow]
    labs = [lab_doc(lab) for lab in record.labs]
    doc: dict[str, Any] = {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "patient": patient_doc(record.patient),
        "measurements": [measurement_doc(m) for m in record.measurements],
        "courses": courses,
        "events": [event_doc(e) for e in record.events],
        "labs": labs,
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
    for item, ctcae in zip(labs, derived.lab_ctcae_docs()):
        if ctcae is not None:
            item["ctcae"] = ctcae
    doc["summary"] = derived.summary()
    return doc


def dumps(document: dict[str, Any]) -> str:
    """Canonical JSON text: UTF-8 friendly, two-space indent, newline at the end."""
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"
